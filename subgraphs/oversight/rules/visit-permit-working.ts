import { Severity } from '../enums';
import { defineRule } from './rule';
import { PERMIT_FACT_READS, permitFact, WORK_FACT_READS, workFact } from './view';

export const visitPermitWorking = defineRule({
  kind: 'VISIT_PERMIT_WORKING',
  severity: Severity.HIGH,
  description: 'An active VISIT permit and an active work authorisation.',
  law: 'UU 6/2011 art. 48 and 75; PP 34/2021',
  reads: `${PERMIT_FACT_READS} ${WORK_FACT_READS}`,
  evaluate({ active, activeWork }) {
    if (active?.kind !== 'VISIT' || activeWork.length === 0) return null;
    return { evidence: [permitFact(active), ...activeWork.map(workFact)], employerNib: activeWork[0].employer.nib };
  },
});
