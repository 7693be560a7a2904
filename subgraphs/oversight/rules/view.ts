import type { Evidence } from '../entities/finding';
import { SourceAgency } from '../enums';

/** What the refresh reads of one person through the gateway: the rules' `reads` together (FINDINGS_INPUT in refresh.ts). */
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
  workPermits:
    | {
        rptkaNumber: string;
        status: string;
        validUntil: string;
        workRegencies: string[];
        employer: { nib: string; name: string; regency: string };
      }[]
    | null;
  policeReports:
    | {
        role: string;
        matchedBy: string;
        matchProbability: number | null;
        report: { reportNumber: string; status: string; category: string };
      }[]
    | null;
}

export type StayPermitView = PersonView['stayPermits'][number];
export type WorkPermitView = NonNullable<PersonView['workPermits']>[number];

/** What every rule starts from, worked out once per person; statuses are as of the agencies' today. */
export interface PersonFacts {
  person: PersonView;
  /** The ACTIVE stay permit that runs longest, if any. */
  active: StayPermitView | null;
  /** The stay permit that ends last, whatever its status. */
  latest: StayPermitView | null;
  /** Domicile of the active permit, else of the latest: the finding's regency. */
  regency: string;
  /** The ACTIVE RPTKAs. */
  activeWork: WorkPermitView[];
}

/** The fields `factsOf` and every finding read (person id, nationality, regency). */
export const FACTS_READS = 'id nationality stayPermits { status validUntil domicileRegency } workPermits { status }';

export function factsOf(person: PersonView): PersonFacts {
  const byEnd = [...person.stayPermits].sort((a, b) => b.validUntil.localeCompare(a.validUntil));
  const active = byEnd.find((permit) => permit.status === 'ACTIVE') ?? null;
  const latest = byEnd[0] ?? null;
  const regency = (active ?? latest)?.domicileRegency ?? '';
  const activeWork = (person.workPermits ?? []).filter((permit) => permit.status === 'ACTIVE');
  return { person, active, latest, regency, activeWork };
}

export const immigration = (record: string, shows: string): Evidence => ({
  agency: SourceAgency.IMMIGRATION,
  record,
  shows,
});

/** The fields `permitFact` reads. */
export const PERMIT_FACT_READS = 'stayPermits { permitNumber kind status validUntil domicileRegency }';

export const permitFact = (permit: StayPermitView): Evidence =>
  immigration(
    permit.permitNumber,
    `${permit.kind} stay permit, ${permit.status.toLowerCase()}, valid until ${permit.validUntil}, domicile ${permit.domicileRegency}`,
  );

/** The fields `workFact` reads. */
export const WORK_FACT_READS =
  'workPermits { rptkaNumber status validUntil workRegencies employer { nib name regency } }';

export const workFact = (permit: WorkPermitView): Evidence => ({
  agency: SourceAgency.MANPOWER,
  record: permit.rptkaNumber,
  shows:
    `Active RPTKA at ${permit.employer.name} (NIB ${permit.employer.nib}, ${permit.employer.regency}) until ${permit.validUntil}; ` +
    `work regencies ${permit.workRegencies.join(', ')}`,
});

/** Rp1.000.000: rupiah with dots between thousands. */
export const rupiah = (amount: number) => `Rp${amount.toLocaleString('en').replace(/,/g, '.')}`;
