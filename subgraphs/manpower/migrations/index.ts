import { Initial1795837665537 } from './Initial1795837665537';
import { MaintainedFigures1796168098173 } from './MaintainedFigures1796168098173';

/** Checked-in PostgreSQL migrations, oldest first; `npm run migration:generate` writes them. */
export const migrations: Function[] = [Initial1795837665537, MaintainedFigures1796168098173];
