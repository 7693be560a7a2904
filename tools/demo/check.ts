import { BorderCrossing } from '../../subgraphs/immigration/entities/border-crossing';
import { ForeignNational } from '../../subgraphs/immigration/entities/foreign-national';
import { Passport } from '../../subgraphs/immigration/entities/passport';
import { StayPermit } from '../../subgraphs/immigration/entities/stay-permit';
import { SponsorType, StayPermitKind, StayPurpose } from '../../subgraphs/immigration/enums';
import { currentPermit, isInCountry, overstayDays } from '../../subgraphs/immigration/rules';
import { WorkPermit } from '../../subgraphs/manpower/entities/work-permit';
import { WorkPermitStatus } from '../../subgraphs/manpower/enums';
import { workPermitStatus } from '../../subgraphs/manpower/rules';
import { PoliceReport } from '../../subgraphs/police/entities/police-report';
import { ReportParty } from '../../subgraphs/police/entities/report-party';
import { PartyRole, ReportStatus } from '../../subgraphs/police/enums';
import { groupBy } from '../../subgraphs/shared/loaders';
import { identityKey, passportKey } from '../../subgraphs/shared/match-keys';
import { nameKey } from '../../subgraphs/shared/text';
import { OVERSTAY_CHARGE_MAX_DAYS, OVERSTAY_CHARGE_PER_DAY } from '../../subgraphs/oversight/rules/overstay';
import { FINDING_KINDS, FindingKind, ImmigrationRows, ManpowerRows, PlantedViolation, PoliceRows } from './types';

/**
 * The seven finding rules, evaluated from records alone. The generator plants violations; this
 * module knows nothing of how, and the test proves the manifest equals what these rules find.
 */

/** A police party attributed to the person, and how. */
export interface MatchedParty {
  party: ReportParty;
  report: PoliceReport;
  matchedBy: 'PASSPORT' | 'NAME_BIRTH_DATE_NATIONALITY';
}

/** Everything the rules look at for one person, already joined across the three agencies. */
export interface PersonEvidence {
  person: ForeignNational;
  passports: Passport[];
  stayPermits: StayPermit[];
  crossings: BorderCrossing[];
  /** RPTKAs filed under any of the person's passports, current or earlier. */
  workPermits: WorkPermit[];
  parties: MatchedParty[];
}

export type EmployerRegency = (nib: string) => string | undefined;

export function checkPerson(
  evidence: PersonEvidence,
  today: string,
  employerRegency: EmployerRegency,
): PlantedViolation[] {
  const active = currentPermit(evidence.stayPermits, today);
  const activeWork = evidence.workPermits.filter(
    (permit) => workPermitStatus(permit, today) === WorkPermitStatus.ACTIVE,
  );
  const latest = [...evidence.stayPermits].sort((a, b) => a.validUntil.localeCompare(b.validUntil)).at(-1) ?? null;
  const regency = (active ?? latest)?.domicileRegency ?? '';
  const current = evidence.passports.find((passport) => passport.current) ?? evidence.passports.at(-1);
  const finding = (
    kind: FindingKind,
    evidenceNumbers: string[],
    extra: Partial<PlantedViolation> = {},
  ): PlantedViolation => ({
    kind,
    personId: evidence.person.id,
    passportNumber: current?.number ?? '',
    nationality: evidence.person.nationality,
    regency,
    evidence: evidenceNumbers,
    ...extra,
  });
  const findings: PlantedViolation[] = [];

  const daysOver = overstayDays(evidence.stayPermits, isInCountry(evidence.crossings), today);
  if (daysOver > 0 && latest) {
    findings.push(
      finding('OVERSTAY', [latest.permitNumber], {
        details: {
          daysOver,
          lastPermitValidUntil: latest.validUntil,
          consequence: daysOver <= OVERSTAY_CHARGE_MAX_DAYS ? 'CHARGE' : 'DEPORTATION',
          chargeRupiah: daysOver <= OVERSTAY_CHARGE_MAX_DAYS ? daysOver * OVERSTAY_CHARGE_PER_DAY : null,
        },
      }),
    );
  }

  if (active?.kind === StayPermitKind.VISIT && activeWork.length > 0) {
    findings.push(
      finding('VISIT_PERMIT_WORKING', [active.permitNumber, ...numbers(activeWork)], {
        employerNib: activeWork[0].employerNib,
      }),
    );
  }

  if (active?.kind === StayPermitKind.LIMITED && active.sponsorType === SponsorType.COMPANY) {
    const elsewhere = activeWork.filter((permit) => permit.employerNib !== active.sponsorNib);
    if (elsewhere.length > 0) {
      findings.push(
        finding('SPONSOR_NOT_EMPLOYER', [active.permitNumber, ...numbers(elsewhere)], {
          employerNib: elsewhere[0].employerNib,
          details: {
            sponsorNib: active.sponsorNib,
            sponsorName: active.sponsorName,
            employerNibs: elsewhere.map((permit) => permit.employerNib),
          },
        }),
      );
    }
  }

  const outside = activeWork.filter((permit) => {
    const employerAt = employerRegency(permit.employerNib);
    return (
      (employerAt !== undefined && !permit.workRegencies.includes(employerAt)) ||
      !permit.workRegencies.includes(regency)
    );
  });
  if (outside.length > 0) {
    findings.push(
      finding('WORK_OUTSIDE_PERMITTED_REGENCY', numbers(outside), {
        employerNib: outside[0].employerNib,
        details: {
          workRegencies: outside[0].workRegencies,
          employerRegency: employerRegency(outside[0].employerNib),
          domicileRegency: regency,
        },
      }),
    );
  }

  if (active?.kind === StayPermitKind.LIMITED && active.purpose === StayPurpose.WORK && activeWork.length === 0) {
    findings.push(
      finding('WORK_WITHOUT_RPTKA', [active.permitNumber], { employerNib: active.sponsorNib ?? undefined }),
    );
  }

  if (!active && latest && activeWork.length > 0) {
    findings.push(
      finding('WORK_AFTER_PERMIT_EXPIRED', [...numbers(activeWork), latest.permitNumber], {
        employerNib: activeWork[0].employerNib,
        details: { lastPermitValidUntil: latest.validUntil, workPermitValidUntil: activeWork[0].validUntil },
      }),
    );
  }

  const openSuspect = evidence.parties.filter(
    ({ party, report }) => party.role === PartyRole.SUSPECT && report.status !== ReportStatus.CLOSED,
  );
  if (openSuspect.length > 0) {
    findings.push(
      finding(
        'SUSPECT_IN_OPEN_REPORT',
        openSuspect.map(({ report }) => report.reportNumber),
        {
          details: {
            reportStatus: openSuspect[0].report.status,
            category: openSuspect[0].report.category,
            matchedBy: openSuspect[0].matchedBy,
          },
        },
      ),
    );
  }
  return findings;
}

function numbers(permits: WorkPermit[]): string[] {
  return permits.map((permit) => permit.rptkaNumber);
}

/** All rows of a (small) run, merged. */
export interface DemoTables {
  immigration: ImmigrationRows;
  manpower: ManpowerRows;
  police: PoliceRows;
}

/**
 * Joins the three agencies' rows the way the gateway does (passport number + country, else a
 * unique name + birth date + nationality) and runs the rules for every person. Holds the whole
 * run in memory: meant for tests and small sets.
 */
export function checkDataset(tables: DemoTables, today: string): PlantedViolation[] {
  const { immigration, manpower, police } = tables;
  const regencyByNib = new Map(manpower.employers.map((employer) => [employer.nib, employer.regency]));
  const personByPassport = new Map(
    immigration.passports.map((passport) => [passportKey(passport.country, passport.number), passport.personId]),
  );
  const personsByIdentity = groupBy(immigration.foreignNationals, (person) =>
    identityKey(person.nameKey, person.dateOfBirth, person.nationality),
  );
  const reportsById = new Map(police.policeReports.map((report) => [report.id, report]));

  const passportsOf = groupBy(immigration.passports, (row) => row.personId);
  const permitsOf = groupBy(immigration.stayPermits, (row) => row.personId);
  const crossingsOf = groupBy(immigration.borderCrossings, (row) => row.personId);
  const workOf = groupBy(
    manpower.workPermits.filter((permit) =>
      personByPassport.has(passportKey(permit.workerPassportCountry, permit.workerPassportNumber)),
    ),
    (permit) => personByPassport.get(passportKey(permit.workerPassportCountry, permit.workerPassportNumber))!,
  );
  const partiesOf = new Map<string, MatchedParty[]>();
  for (const party of police.reportParties) {
    const match = matchParty(party, personByPassport, personsByIdentity);
    if (!match) continue;
    const list = partiesOf.get(match.personId) ?? [];
    list.push({ party, report: reportsById.get(party.reportId)!, matchedBy: match.matchedBy });
    partiesOf.set(match.personId, list);
  }

  return immigration.foreignNationals.flatMap((person) =>
    checkPerson(
      {
        person,
        passports: passportsOf.get(person.id) ?? [],
        stayPermits: permitsOf.get(person.id) ?? [],
        crossings: crossingsOf.get(person.id) ?? [],
        workPermits: workOf.get(person.id) ?? [],
        parties: partiesOf.get(person.id) ?? [],
      },
      today,
      (nib) => regencyByNib.get(nib),
    ),
  );
}

function matchParty(
  party: ReportParty,
  personByPassport: Map<string, string>,
  personsByIdentity: Map<string, ForeignNational[]>,
): { personId: string; matchedBy: MatchedParty['matchedBy'] } | null {
  if (!party.nationality) return null; // an Indonesian citizen
  if (party.passportNumber && party.passportCountry) {
    const personId = personByPassport.get(passportKey(party.passportCountry, party.passportNumber));
    return personId ? { personId, matchedBy: 'PASSPORT' } : null;
  }
  if (!party.dateOfBirth) return null;
  const candidates =
    personsByIdentity.get(identityKey(nameKey(party.fullName), party.dateOfBirth, party.nationality)) ?? [];
  // Like the gateway, a name match is trusted only when exactly one person fits.
  return candidates.length === 1 ? { personId: candidates[0].id, matchedBy: 'NAME_BIRTH_DATE_NATIONALITY' } : null;
}

/** "personId:KIND" for every violation: compares runs irrespective of order and details. */
export function violationKeys(violations: readonly PlantedViolation[]): string[] {
  return violations.map((violation) => `${violation.personId}:${violation.kind}`).sort();
}

export function countByKind(violations: readonly PlantedViolation[]): Record<FindingKind, number> {
  const counts = Object.fromEntries(FINDING_KINDS.map((kind) => [kind, 0])) as Record<FindingKind, number>;
  for (const violation of violations) counts[violation.kind] += 1;
  return counts;
}
