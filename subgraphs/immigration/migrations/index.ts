import { Initial1795837665452 } from './Initial1795837665452';
import { NameSearch1795837700000 } from './NameSearch1795837700000';
import { EntityResolution1796158093321 } from './EntityResolution1796158093321';
import { MaintainedFigures1796168064428 } from './MaintainedFigures1796168064428';

/** Checked-in PostgreSQL migrations, oldest first; `npm run migration:generate` writes them. */
export const migrations: Function[] = [
  Initial1795837665452,
  NameSearch1795837700000,
  EntityResolution1796158093321,
  MaintainedFigures1796168064428,
];
