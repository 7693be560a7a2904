import { registerEnumType } from 'type-graphql';

/**
 * Broad sector of an employer, grouping its KBLI 2020 code for figures. Manpower's vocabulary,
 * shared because immigration's search filters by it (`employerSector`): one list, one GraphQL enum.
 */
export enum Sector {
  MINING = 'MINING',
  MANUFACTURING = 'MANUFACTURING',
  AGRICULTURE = 'AGRICULTURE',
  CONSTRUCTION = 'CONSTRUCTION',
  TRADE = 'TRADE',
  HOSPITALITY = 'HOSPITALITY',
  EDUCATION = 'EDUCATION',
  SERVICES = 'SERVICES',
}

registerEnumType(Sector, { name: 'Sector' });
