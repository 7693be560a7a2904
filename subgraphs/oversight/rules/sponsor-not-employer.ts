import { Severity } from '../enums';
import { defineRule } from './rule';
import { immigration, WORK_FACT_READS, workFact } from './view';

export const sponsorNotEmployer = defineRule({
  kind: 'SPONSOR_NOT_EMPLOYER',
  severity: Severity.MEDIUM,
  description: 'The ITAS sponsor is not the employer on the active work authorisation.',
  law: 'UU 6/2011 art. 48 and 75',
  reads: `stayPermits { permitNumber kind sponsorType sponsorNib sponsorName } ${WORK_FACT_READS}`,
  evaluate({ active, activeWork }) {
    if (active?.kind !== 'LIMITED' || active.sponsorType !== 'COMPANY') return null;
    const elsewhere = activeWork.filter((permit) => permit.employer.nib !== active.sponsorNib);
    if (elsewhere.length === 0) return null;
    return {
      evidence: [
        immigration(active.permitNumber, `ITAS sponsored by ${active.sponsorName} (NIB ${active.sponsorNib})`),
        ...elsewhere.map(workFact),
      ],
      employerNib: elsewhere[0].employer.nib,
    };
  },
});
