import { Severity } from '../enums';
import { defineRule } from './rule';
import { PERMIT_FACT_READS, permitFact } from './view';

export const workWithoutRptka = defineRule({
  kind: 'WORK_WITHOUT_RPTKA',
  severity: Severity.HIGH,
  description: 'A work-purpose ITAS without an active RPTKA.',
  law: 'PP 34/2021; UU 6/2011 art. 75',
  reads: `stayPermits { kind purpose sponsorNib } ${PERMIT_FACT_READS}`,
  evaluate({ active, activeWork }) {
    if (active?.kind !== 'LIMITED' || active.purpose !== 'WORK' || activeWork.length > 0) return null;
    return { evidence: [permitFact(active)], employerNib: active.sponsorNib };
  },
});
