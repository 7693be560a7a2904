import { Initial1795837665729 } from './Initial1795837665729';
import { FindingCases1796138606635 } from './FindingCases1796138606635';
import { FindingRegency1796139151264 } from './FindingRegency1796139151264';

/** Checked-in PostgreSQL migrations, oldest first; `npm run migration:generate` writes them. */
export const migrations: Function[] = [Initial1795837665729, FindingCases1796138606635, FindingRegency1796139151264];
