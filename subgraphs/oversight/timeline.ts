import { registerEnumType } from 'type-graphql';
import type { Finding } from './entities/finding';
import { SourceAgency } from './enums';
import type { CaseMilestone } from './loaders';
import { AdministrativeActionKind, BorderCrossing, CrossingDirection, ForeignNational } from './external';

/**
 * Every kind of event a timeline holds, with what it means: the schema's TimelineEventKind is this
 * list (README.md's table of event kinds is held to it by test/timeline.test.ts).
 */
export const TIMELINE_EVENT_KINDS = {
  [CrossingDirection.ENTRY]: 'Entered Indonesia; the record is the checkpoint (immigration).',
  [CrossingDirection.EXIT]: 'Left Indonesia; the record is the checkpoint (immigration).',
  PASSPORT_ISSUED: 'The earliest passport immigration knows was issued; the record is its number (immigration).',
  PASSPORT_RENEWED: 'A newer passport was issued; older records of every agency keep the earlier number (immigration).',
  PERMIT_STARTED: 'A stay permit became valid; the record is its number (immigration).',
  PERMIT_ENDED: 'A stay permit ended before today, whatever its status; the record is its number (immigration).',
  ...(Object.fromEntries(
    Object.values(AdministrativeActionKind).map((kind) => [
      kind,
      `Administrative action ${kind} (UU 6/2011 art. 75); the summary is its reason (immigration).`,
    ]),
  ) as Record<AdministrativeActionKind, string>),
  RPTKA_STARTED: 'A work authorisation (RPTKA) became valid; the record is its number (manpower).',
  POLICE_REPORT: 'A police report naming the person; the record is its number, the summary their role (police).',
  PRESENCE_REGISTERED:
    'A registration of presence with the police (Perpol 3/2025), e.g. a lodging report; the record is its number (police).',
  FINDING: "TIMPORA's rule found something; the record is the finding's kind (oversight).",
  CASE_OPENED: 'A case was opened on one of the findings; the record is the case id (oversight).',
  CASE_DECIDED: 'The case review decided; the summary is the decision (oversight).',
  CASE_CLOSED: 'The case was closed and its findings settled (oversight).',
};

export type TimelineEventKind = keyof typeof TIMELINE_EVENT_KINDS;
export const TimelineEventKind = Object.fromEntries(Object.keys(TIMELINE_EVENT_KINDS).map((kind) => [kind, kind])) as {
  readonly [K in TimelineEventKind]: K;
};

registerEnumType(TimelineEventKind, {
  name: 'TimelineEventKind',
  description: 'What happened; the agency that recorded it is TimelineEvent.agency (null for TIMPORA’s own).',
  valuesConfig: Object.fromEntries(
    Object.entries(TIMELINE_EVENT_KINDS).map(([kind, description]) => [kind, { description }]),
  ),
});

export interface TimelineEntry {
  at: string;
  agency: SourceAgency | null;
  kind: TimelineEventKind;
  record: string;
  summary: string;
}

/** Manpower's records of the person, as the timeline asks for them. */
export interface WorkRecord {
  rptkaNumber: string;
  validFrom: string;
  validUntil: string;
  employer: { name: string };
}

/** Police's records of the person, as the timeline asks for them. */
export interface PoliceRecords {
  policeReports: { role: string; report: { reportNumber: string; occurredAt: string; category: string } }[];
  registrations: {
    registrationNumber: string;
    reportedBy: string;
    regency: string;
    checkIn: string;
    checkOut: string | null;
  }[];
}

const day = (date: string) => `${date}T00:00:00.000Z`;

/** Immigration's records, handed over by the gateway (@requires). */
export function immigrationEvents(person: ForeignNational, today: string): TimelineEntry[] {
  const immigration = SourceAgency.IMMIGRATION;
  const passports = [...(person.passports ?? [])].sort((a, b) => a.issuedOn.localeCompare(b.issuedOn));
  return [
    ...(person.crossings ?? []).map((c: BorderCrossing) => ({
      at: c.crossedAt,
      agency: immigration,
      kind: c.direction,
      record: c.checkpoint,
      summary: `${c.direction === 'ENTRY' ? 'Entered' : 'Left'} at ${c.checkpoint}`,
    })),
    ...passports.map((p, index) => ({
      at: day(p.issuedOn),
      agency: immigration,
      kind: index === 0 ? TimelineEventKind.PASSPORT_ISSUED : TimelineEventKind.PASSPORT_RENEWED,
      record: p.number,
      summary:
        index === 0
          ? `Passport (${p.country}) valid until ${p.expiresOn}`
          : `Passport (${p.country}) renewed, replacing ${passports[index - 1].number}; valid until ${p.expiresOn}`,
    })),
    ...(person.stayPermits ?? []).flatMap((p) => [
      {
        at: day(p.validFrom),
        agency: immigration,
        kind: TimelineEventKind.PERMIT_STARTED,
        record: p.permitNumber,
        summary: `${p.kind} stay permit valid until ${p.validUntil}`,
      },
      ...(p.validUntil < today
        ? [
            {
              at: day(p.validUntil),
              agency: immigration,
              kind: TimelineEventKind.PERMIT_ENDED,
              record: p.permitNumber,
              summary: `${p.kind} stay permit ended (${p.status.toLowerCase()})`,
            },
          ]
        : []),
    ]),
    ...(person.administrativeActions ?? []).map((a) => ({
      at: day(a.decidedOn),
      agency: immigration,
      kind: a.kind,
      record: a.kind,
      summary: a.reason,
    })),
  ];
}

export const workEvents = (permits: WorkRecord[]): TimelineEntry[] =>
  permits.map((w) => ({
    at: day(w.validFrom),
    agency: SourceAgency.MANPOWER,
    kind: TimelineEventKind.RPTKA_STARTED,
    record: w.rptkaNumber,
    summary: `Work at ${w.employer.name} until ${w.validUntil}`,
  }));

export const policeEvents = ({ policeReports, registrations }: PoliceRecords): TimelineEntry[] => [
  ...policeReports.map((r) => ({
    at: r.report.occurredAt,
    agency: SourceAgency.POLICE,
    kind: TimelineEventKind.POLICE_REPORT,
    record: r.report.reportNumber,
    summary: `${r.role.toLowerCase()} — ${r.report.category}`,
  })),
  ...registrations.map((r) => ({
    at: r.checkIn,
    agency: SourceAgency.POLICE,
    kind: TimelineEventKind.PRESENCE_REGISTERED,
    record: r.registrationNumber,
    summary: `Registered by ${r.reportedBy} in ${r.regency}${r.checkOut ? `, checked out ${r.checkOut}` : ''}`,
  })),
];

const CASE_EVENT_KINDS: Record<string, TimelineEventKind> = {
  OPENED: TimelineEventKind.CASE_OPENED,
  DECIDED: TimelineEventKind.CASE_DECIDED,
  CLOSED: TimelineEventKind.CASE_CLOSED,
};

/** TIMPORA's own: the person's findings and the milestones of their cases (notes and assignments stay in the case). */
export function oversightEvents(findings: Finding[], milestones: CaseMilestone[]): TimelineEntry[] {
  return [
    ...findings.map((f) => ({
      at: f.detectedAt,
      agency: null,
      kind: TimelineEventKind.FINDING,
      record: f.kind,
      summary: `${f.kind} (${f.status.toLowerCase()})`,
    })),
    ...milestones.map((m) => ({
      at: m.at,
      agency: null,
      kind: CASE_EVENT_KINDS[m.action],
      record: m.caseId,
      summary: `${m.title}: ${m.details}`,
    })),
  ];
}
