import { FindingKind, Severity, SourceAgency } from './enums';
import { Evidence } from './entities/finding';

/** What the refresh reads of one person through the gateway (see FINDINGS_INPUT in refresh.ts). */
export interface PersonView {
  id: string;
  nationality: string;
  inCountry: boolean;
  overstayDays: number;
  stayPermits: {
    permitNumber: string;
    kind: string;
    purpose: string;
    validUntil: string;
    status: string;
    sponsorType: string;
    sponsorNib: string | null;
    sponsorName: string;
    domicileRegency: string;
  }[];
  crossings: { direction: string; crossedAt: string; checkpoint: string }[];
  workPermits: { rptkaNumber: string; status: string; validUntil: string; workRegencies: string[]; employer: { nib: string; name: string; regency: string } }[] | null;
  policeReports: { role: string; matchedBy: string; report: { reportNumber: string; status: string; category: string } }[] | null;
}

export interface FindingDraft {
  kind: FindingKind;
  severity: Severity;
  personId: string;
  regency: string;
  nationality: string;
  employerNib: string | null;
  evidence: Evidence[];
  consequence: string;
  daysOver: number | null;
  chargeRupiah: number | null;
}

/** UU 6/2011 art. 78 with PP 28/2019: Rp1,000,000 a day up to 60 days, beyond that deportation and ban. */
export const OVERSTAY_CHARGE_PER_DAY = 1_000_000;
export const OVERSTAY_CHARGE_MAX_DAYS = 60;

const rupiah = (amount: number) => `Rp${amount.toLocaleString('en').replace(/,/g, '.')}`;

/** The seven rules of DOMAIN.md over one person's joined view; statuses are as of the agencies' today. */
export function evaluate(person: PersonView): FindingDraft[] {
  const byEnd = [...person.stayPermits].sort((a, b) => b.validUntil.localeCompare(a.validUntil));
  const active = byEnd.find((permit) => permit.status === 'ACTIVE') ?? null;
  const latest = byEnd[0] ?? null;
  const regency = (active ?? latest)?.domicileRegency ?? '';
  const activeWork = (person.workPermits ?? []).filter((permit) => permit.status === 'ACTIVE');
  const drafts: FindingDraft[] = [];
  const add = (kind: FindingKind, severity: Severity, evidence: Evidence[], extra: Partial<FindingDraft> = {}) =>
    drafts.push({
      kind, severity, evidence, personId: person.id, regency, nationality: person.nationality,
      employerNib: null, consequence: 'Case review (gelar kasus) under UU 6/2011 art. 75', daysOver: null, chargeRupiah: null, ...extra,
    });
  const immigration = (record: string, shows: string): Evidence => ({ agency: SourceAgency.IMMIGRATION, record, shows });
  const manpower = (permit: (typeof activeWork)[number], shows: string): Evidence => ({ agency: SourceAgency.MANPOWER, record: permit.rptkaNumber, shows });
  const permitFact = (permit: NonNullable<typeof active>) =>
    immigration(permit.permitNumber, `${permit.kind} stay permit, ${permit.status.toLowerCase()}, valid until ${permit.validUntil}, domicile ${permit.domicileRegency}`);
  const workFact = (permit: (typeof activeWork)[number]) =>
    manpower(permit, `Active RPTKA at ${permit.employer.name} (NIB ${permit.employer.nib}, ${permit.employer.regency}) until ${permit.validUntil}; work regencies ${permit.workRegencies.join(', ')}`);

  if (person.inCountry && person.overstayDays > 0 && latest) {
    const days = person.overstayDays;
    const charged = days <= OVERSTAY_CHARGE_MAX_DAYS;
    const lastEntry = [...person.crossings].filter((c) => c.direction === 'ENTRY').sort((a, b) => b.crossedAt.localeCompare(a.crossedAt))[0];
    add(FindingKind.OVERSTAY, charged ? Severity.MEDIUM : Severity.HIGH, [
      permitFact(latest),
      ...(lastEntry ? [immigration(`${lastEntry.checkpoint} ${lastEntry.crossedAt}`, 'Last crossing is an entry: still in the country')] : []),
    ], {
      daysOver: days,
      chargeRupiah: charged ? days * OVERSTAY_CHARGE_PER_DAY : null,
      consequence: charged
        ? `Overstay charge ${rupiah(days * OVERSTAY_CHARGE_PER_DAY)} (${days} days × ${rupiah(OVERSTAY_CHARGE_PER_DAY)}, UU 6/2011 art. 78(2))`
        : `Over ${OVERSTAY_CHARGE_MAX_DAYS} days: deportation and entry ban (UU 6/2011 art. 78(3))`,
    });
  }
  if (active?.kind === 'VISIT' && activeWork.length > 0) {
    add(FindingKind.VISIT_PERMIT_WORKING, Severity.HIGH, [permitFact(active), ...activeWork.map(workFact)], { employerNib: activeWork[0].employer.nib });
  }
  if (active?.kind === 'LIMITED' && active.sponsorType === 'COMPANY') {
    const elsewhere = activeWork.filter((permit) => permit.employer.nib !== active.sponsorNib);
    if (elsewhere.length > 0) {
      add(FindingKind.SPONSOR_NOT_EMPLOYER, Severity.MEDIUM, [
        immigration(active.permitNumber, `ITAS sponsored by ${active.sponsorName} (NIB ${active.sponsorNib})`),
        ...elsewhere.map(workFact),
      ], { employerNib: elsewhere[0].employer.nib });
    }
  }
  const outside = activeWork.filter((permit) => !permit.workRegencies.includes(permit.employer.regency) || !permit.workRegencies.includes(regency));
  if (outside.length > 0) {
    add(FindingKind.WORK_OUTSIDE_PERMITTED_REGENCY, Severity.MEDIUM, [...(active ? [permitFact(active)] : []), ...outside.map(workFact)], {
      employerNib: outside[0].employer.nib,
    });
  }
  if (active?.kind === 'LIMITED' && active.purpose === 'WORK' && activeWork.length === 0) {
    add(FindingKind.WORK_WITHOUT_RPTKA, Severity.HIGH, [permitFact(active)], { employerNib: active.sponsorNib });
  }
  if (!active && latest && activeWork.length > 0) {
    add(FindingKind.WORK_AFTER_PERMIT_EXPIRED, Severity.HIGH, [permitFact(latest), ...activeWork.map(workFact)], { employerNib: activeWork[0].employer.nib });
  }
  const suspect = (person.policeReports ?? []).filter((item) => item.role === 'SUSPECT' && item.report.status !== 'CLOSED');
  if (suspect.length > 0) {
    add(FindingKind.SUSPECT_IN_OPEN_REPORT, Severity.HIGH, suspect.map((item) => ({
      agency: SourceAgency.POLICE,
      record: item.report.reportNumber,
      shows: `Suspect (${item.report.category}), report ${item.report.status.toLowerCase()}; matched by ${item.matchedBy.toLowerCase().replace(/_/g, ' ')}`,
    })));
  }
  return drafts;
}
