import { Severity, SourceAgency } from '../enums';
import { defineRule } from './rule';

export const suspectInOpenReport = defineRule({
  kind: 'SUSPECT_IN_OPEN_REPORT',
  severity: Severity.HIGH,
  description: 'Named as suspect in a police report that is not closed.',
  law: 'UU 6/2011 art. 75; Perpol 3/2025',
  reads: 'policeReports { role matchedBy report { reportNumber status category } }',
  evaluate({ person }) {
    const suspect = (person.policeReports ?? []).filter(
      (item) => item.role === 'SUSPECT' && item.report.status !== 'CLOSED',
    );
    if (suspect.length === 0) return null;
    return {
      evidence: suspect.map((item) => ({
        agency: SourceAgency.POLICE,
        record: item.report.reportNumber,
        shows:
          `Suspect (${item.report.category}), report ${item.report.status.toLowerCase()}; ` +
          `matched by ${item.matchedBy.toLowerCase().replace(/_/g, ' ')}`,
      })),
    };
  },
});
