import { registerEnumType } from 'type-graphql';

/** Broad sector of an employer, grouping its KBLI 2020 code for figures. */
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

export enum RecordedWorkPermitStatus {
  ACTIVE = 'ACTIVE',
  REVOKED = 'REVOKED',
}

export enum WorkPermitStatus {
  ACTIVE = 'ACTIVE',
  NOT_YET_VALID = 'NOT_YET_VALID',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}

registerEnumType(Sector, { name: 'Sector' });
registerEnumType(WorkPermitStatus, {
  name: 'WorkPermitStatus',
  description: 'Derived for today from the validity dates.',
});
