import { Severity } from '../enums';
import { defineRule, hasNewRecord } from './rule';
import { immigration, PERMIT_FACT_READS, permitFact, rupiah } from './view';

/** UU 6/2011 art. 78 with PP 28/2019: Rp1,000,000 a day up to 60 days, beyond that deportation and ban. */
export const OVERSTAY_CHARGE_PER_DAY = 1_000_000;
export const OVERSTAY_CHARGE_MAX_DAYS = 60;

export const overstay = defineRule({
  kind: 'OVERSTAY',
  severity: Severity.MEDIUM,
  escalation: { severity: Severity.HIGH, when: `over ${OVERSTAY_CHARGE_MAX_DAYS} days` },
  description: 'In the country after the last stay permit expired (UU 6/2011 art. 78).',
  law: 'UU 6/2011 art. 78; PP 28/2019',
  reads: `inCountry overstayDays ${PERMIT_FACT_READS} crossings { direction crossedAt checkpoint }`,
  // A longer stay than the one decided on is new evidence too: the charge or decision covered fewer days.
  newEvidence: (settled, hit) => hasNewRecord(settled, hit) || (hit.daysOver ?? 0) > (settled.daysOver ?? 0),
  evaluate({ person, latest }) {
    if (!person.inCountry || person.overstayDays <= 0 || !latest) return null;
    const days = person.overstayDays;
    const charged = days <= OVERSTAY_CHARGE_MAX_DAYS;
    const entries = person.crossings.filter((c) => c.direction === 'ENTRY');
    const lastEntry = entries.sort((a, b) => b.crossedAt.localeCompare(a.crossedAt))[0];
    const stillHere = lastEntry
      ? [
          immigration(
            `${lastEntry.checkpoint} ${lastEntry.crossedAt}`,
            'Last crossing is an entry: still in the country',
          ),
        ]
      : [];
    return {
      severity: charged ? Severity.MEDIUM : Severity.HIGH,
      evidence: [permitFact(latest), ...stillHere],
      daysOver: days,
      chargeRupiah: charged ? days * OVERSTAY_CHARGE_PER_DAY : null,
      consequence: charged
        ? `Overstay charge ${rupiah(days * OVERSTAY_CHARGE_PER_DAY)} (${days} days × ${rupiah(OVERSTAY_CHARGE_PER_DAY)}, ` +
          'UU 6/2011 art. 78(2))'
        : `Over ${OVERSTAY_CHARGE_MAX_DAYS} days: deportation and entry ban (UU 6/2011 art. 78(3))`,
    };
  },
});
