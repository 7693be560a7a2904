import { Initial1795837665729 } from './Initial1795837665729';
import { FindingCurrentCase1796137963737 } from './FindingCurrentCase1796137963737';

/** Checked-in PostgreSQL migrations, oldest first; `npm run migration:generate` writes them. */
export const migrations: Function[] = [Initial1795837665729, FindingCurrentCase1796137963737];
