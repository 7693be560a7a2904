import { Severity, SourceAgency } from '../enums';
import { defineRule } from './rule';

export const suspectInOpenReport = defineRule({
  kind: 'SUSPECT_IN_OPEN_REPORT',
  severity: Severity.HIGH,
  description: 'Named as suspect in a police report that is not closed.',
  law: 'UU 6/2011 art. 75; Perpol 3/2025',
  reads: 'policeReports { role matchedBy matchProbability report { reportNumber status category } }',
  evaluate({ person }) {
    const suspect = (person.policeReports ?? []).filter(
      (item) => item.role === 'SUSPECT' && item.report.status !== 'CLOSED',
    );
    if (suspect.length === 0) return null;
    return {
      evidence: suspect.map((item) => ({
        agency: SourceAgency.POLICE,
        record: item.report.reportNumber,
        shows: `Suspect (${item.report.category}), report ${item.report.status.toLowerCase()}; ${matchedBy(item)}`,
      })),
    };
  },
});

/**
 * How the report was attributed to the person. Police only attaches a party without passport that
 * immigration's entity resolution auto-linked (at or above IDENTITY_AUTO_LINK_PROBABILITY) or an
 * analyst confirmed, so a candidate still in review never raises this finding.
 */
function matchedBy(item: { matchedBy: string; matchProbability: number | null }): string {
  const probability = item.matchProbability === null ? '' : ` (probability ${item.matchProbability.toFixed(4)})`;
  switch (item.matchedBy) {
    case 'PROBABILISTIC':
      return `matched without passport by entity resolution, auto-linked${probability}`;
    case 'CONFIRMED':
      return `matched without passport by entity resolution, confirmed by an analyst${probability}`;
    default:
      return `matched by ${item.matchedBy.toLowerCase().replace(/_/g, ' ')}`;
  }
}
