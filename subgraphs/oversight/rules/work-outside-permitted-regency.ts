import { Severity } from '../enums';
import { defineRule } from './rule';
import { PERMIT_FACT_READS, permitFact, WORK_FACT_READS, workFact } from './view';

export const workOutsidePermittedRegency = defineRule({
  kind: 'WORK_OUTSIDE_PERMITTED_REGENCY',
  severity: Severity.MEDIUM,
  description: "Employer or domicile outside the RPTKA's work regencies.",
  law: 'PP 34/2021; UU 6/2011 art. 75',
  reads: `${PERMIT_FACT_READS} ${WORK_FACT_READS}`,
  evaluate({ active, activeWork, regency }) {
    const outside = activeWork.filter(
      (permit) => !permit.workRegencies.includes(permit.employer.regency) || !permit.workRegencies.includes(regency),
    );
    if (outside.length === 0) return null;
    return {
      evidence: [...(active ? [permitFact(active)] : []), ...outside.map(workFact)],
      employerNib: outside[0].employer.nib,
    };
  },
});
