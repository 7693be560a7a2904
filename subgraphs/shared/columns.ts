import { Column, ColumnOptions } from 'typeorm';

/**
 * Column kinds that mean the same on SQLite and PostgreSQL. Dates are `YYYY-MM-DD` strings on both
 * drivers; instants are ISO-8601 UTC strings, which sort correctly as text.
 */
export const DateColumn = (options: ColumnOptions = {}) => Column('date', options);
export const InstantColumn = (options: ColumnOptions = {}) => Column('varchar', { length: 24, ...options });
export const TextColumn = (options: ColumnOptions = {}) => Column('varchar', options);
export const CodeColumn = (length: number, options: ColumnOptions = {}) => Column('varchar', { length, ...options });
