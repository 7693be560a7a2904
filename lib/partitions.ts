import { DataSource } from 'typeorm';

/**
 * A PostgreSQL table partitioned by calendar year of a date or ISO-8601 instant column (the
 * migration that partitions it creates `timpora_ensure_yearly_partitions` and a default partition).
 * SQLite tables are not partitioned.
 */
export interface YearlyPartitioning {
  table: string;
  column: string;
}

/** The first year with a partition of its own; older records wait in the default partition. */
export const FIRST_PARTITION_YEAR = 2000;

/** Years after the current one that already have their partition, so writes never land in the default. */
export const PARTITION_YEARS_AHEAD = 3;

/**
 * Creates the partitions missing up to `PARTITION_YEARS_AHEAD` years from now (and moves rows of
 * those years out of the default partition); `npm run migrate` runs it each time, so running it
 * once a year keeps every write in its year's partition. Returns how many were created.
 */
export async function ensureYearlyPartitions(
  db: DataSource,
  { table, column }: YearlyPartitioning,
  thisYear = new Date().getUTCFullYear(),
): Promise<number> {
  const [{ created }] = await db.query('SELECT timpora_ensure_yearly_partitions($1, $2, $3, $4) AS created', [
    table,
    column,
    FIRST_PARTITION_YEAR,
    thisYear + PARTITION_YEARS_AHEAD,
  ]);
  return Number(created);
}
