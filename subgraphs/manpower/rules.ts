import { RecordedWorkPermitStatus, WorkPermitStatus } from './enums';
import { WorkPermit } from './entities/work-permit';

export function workPermitStatus(permit: WorkPermit, today: string): WorkPermitStatus {
  if (permit.recordedStatus === RecordedWorkPermitStatus.REVOKED) return WorkPermitStatus.REVOKED;
  if (today < permit.validFrom) return WorkPermitStatus.NOT_YET_VALID;
  if (today > permit.validUntil) return WorkPermitStatus.EXPIRED;
  return WorkPermitStatus.ACTIVE;
}
