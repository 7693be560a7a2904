import { registerEnumType } from 'type-graphql';

// Sector is shared with immigration's search: subgraphs/shared/sectors.ts.
export { Sector } from '../shared/sectors';

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

registerEnumType(WorkPermitStatus, {
  name: 'WorkPermitStatus',
  description: 'Derived for today from the validity dates.',
});
