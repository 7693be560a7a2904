import { Initial1795837665637 } from './Initial1795837665637';
import { EntityResolution1796157118377 } from './EntityResolution1796157118377';

/** Checked-in PostgreSQL migrations, oldest first; `npm run migration:generate` writes them. */
export const migrations: Function[] = [Initial1795837665637, EntityResolution1796157118377];
