import { Severity } from '../enums';
import { defineRule } from './rule';
import { PERMIT_FACT_READS, permitFact, WORK_FACT_READS, workFact } from './view';

export const workAfterPermitExpired = defineRule({
  kind: 'WORK_AFTER_PERMIT_EXPIRED',
  severity: Severity.HIGH,
  description: 'An active work authorisation while the stay permit has expired.',
  law: 'UU 6/2011 art. 48 and 75; PP 34/2021',
  reads: `${PERMIT_FACT_READS} ${WORK_FACT_READS}`,
  evaluate({ active, latest, activeWork }) {
    if (active || !latest || activeWork.length === 0) return null;
    return { evidence: [permitFact(latest), ...activeWork.map(workFact)], employerNib: activeWork[0].employer.nib };
  },
});
