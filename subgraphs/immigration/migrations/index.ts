import { Initial1795837665452 } from './Initial1795837665452';
import { NameSearch1795837700000 } from './NameSearch1795837700000';
import { EntityResolution1796158093321 } from './EntityResolution1796158093321';
import { CrossingPartitions1796167757183 } from './CrossingPartitions1796167757183';
import { MaintainedFigures1796168064428 } from './MaintainedFigures1796168064428';
import { EmploymentSearch1796168101571 } from './EmploymentSearch1796168101571';
import { PermitSearchColumns1796169534596 } from './PermitSearchColumns1796169534596';
import { EmploymentSearchHolder1796170628883 } from './EmploymentSearchHolder1796170628883';
import { EmploymentSearchCovering1796186373922 } from './EmploymentSearchCovering1796186373922';
import { RegencyStandingIndex1796188429073 } from './RegencyStandingIndex1796188429073';
import { BlockKeysWithoutPersonIndex1796298363415 } from './BlockKeysWithoutPersonIndex1796298363415';

/** Checked-in PostgreSQL migrations, oldest first; `npm run migration:generate` writes them. */
export const migrations: Function[] = [
  Initial1795837665452,
  NameSearch1795837700000,
  EntityResolution1796158093321,
  CrossingPartitions1796167757183,
  MaintainedFigures1796168064428,
  EmploymentSearch1796168101571,
  PermitSearchColumns1796169534596,
  EmploymentSearchHolder1796170628883,
  EmploymentSearchCovering1796186373922,
  RegencyStandingIndex1796188429073,
  BlockKeysWithoutPersonIndex1796298363415,
];
