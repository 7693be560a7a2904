/** Police reports naming foreigners: report templates and rows, and which reports each person appears in. */
import { PoliceReport } from '../../subgraphs/police/entities/police-report';
import { ReportParty } from '../../subgraphs/police/entities/report-party';
import { PartyRole, ReportModel, ReportStatus } from '../../subgraphs/police/enums';
import { Regency } from '../../subgraphs/shared/geography';
import { nameKey } from '../../subgraphs/shared/text';
import { fromDay, instant } from './dates';
import { isExample, recordNameOnlyPoliceMatch, recordRenewedPassport } from './examples';
import { indonesianName } from './names';
import { RecordNumbers } from './numbers';
import { passportOn } from './passports';
import { Person } from './person-state';
import { POLDA, REGENCY_FACTS, streetAddress } from './places';
import { ORDINARY_ROLES } from './population';
import { dayInCountry } from './presence';
import { Random } from './prng';
import { PLANTED, Profile } from './profiles';

/** How a police record names the foreigner: as the person is, with or without a passport. */
interface PoliceSubject {
  fullName: string;
  dateOfBirth: string;
  nationality: string;
  /** Null when the report knows the person only by name, date of birth and nationality. */
  passport: { number: string; country: string } | null;
}

interface Incident {
  role: PartyRole;
  status: ReportStatus;
  day: number;
  regency: Regency;
  /** Where it happened, for the summary: a work site, lodging or street. */
  place: string;
  /** An immigration offence found in a joint TIMPORA operation. */
  immigrationOffence?: boolean;
}

interface Template {
  category: string;
  model: ReportModel;
  summary: (place: string) => string;
  /** Roles of the Indonesian citizens also named in the report. */
  others: readonly PartyRole[];
}

const { SUSPECT, VICTIM, WITNESS, REPORTER } = PartyRole;

const TEMPLATES: Readonly<Record<PartyRole, readonly Template[]>> = {
  [SUSPECT]: [
    {
      category: 'Penganiayaan',
      model: ReportModel.B,
      summary: (place) => `Terlapor (WNA) diduga memukul rekan kerja di ${place}; korban mengalami luka ringan.`,
      others: [VICTIM, REPORTER],
    },
    {
      category: 'Perkelahian',
      model: ReportModel.A,
      summary: (place) => `Keributan antarpekerja di ${place} yang melibatkan tenaga kerja asing, dilerai petugas.`,
      others: [VICTIM, WITNESS],
    },
    {
      category: 'Kecelakaan Lalu Lintas',
      model: ReportModel.A,
      summary: (place) =>
        `Kendaraan yang dikemudikan WNA menabrak sepeda motor di ${place}; pengendara motor luka ringan.`,
      others: [VICTIM, WITNESS],
    },
    {
      category: 'Penipuan',
      model: ReportModel.B,
      summary: () => 'Pelapor mengaku dirugikan dalam transaksi jual beli alat berat yang dijanjikan terlapor (WNA).',
      others: [VICTIM, REPORTER],
    },
    {
      category: 'Perusakan',
      model: ReportModel.B,
      summary: (place) => `Terlapor (WNA) diduga merusak fasilitas di ${place}.`,
      others: [REPORTER, WITNESS],
    },
  ],
  [VICTIM]: [
    {
      category: 'Pencurian',
      model: ReportModel.B,
      summary: (place) => `Telepon genggam dan dompet milik korban (WNA) hilang dari kamar di ${place}.`,
      others: [SUSPECT, WITNESS],
    },
    {
      category: 'Penipuan',
      model: ReportModel.B,
      summary: () => 'Korban (WNA) mentransfer uang sewa rumah kepada pihak yang mengaku sebagai pemilik.',
      others: [SUSPECT],
    },
    {
      category: 'Penganiayaan',
      model: ReportModel.B,
      summary: (place) => `Korban (WNA) dipukul orang tidak dikenal di sekitar ${place}.`,
      others: [WITNESS, REPORTER],
    },
    {
      category: 'Pemerasan',
      model: ReportModel.B,
      summary: (place) => `Korban (WNA) dimintai sejumlah uang oleh oknum yang mengaku petugas di ${place}.`,
      others: [SUSPECT, WITNESS],
    },
  ],
  [WITNESS]: [
    {
      category: 'Kecelakaan Kerja',
      model: ReportModel.A,
      summary: (place) => `Seorang pekerja tertimpa material di ${place}; saksi (WNA) berada di lokasi.`,
      others: [VICTIM, REPORTER],
    },
    {
      category: 'Kecelakaan Lalu Lintas',
      model: ReportModel.A,
      summary: (place) => `Tabrakan dua sepeda motor di ${place}; saksi (WNA) melihat kejadian.`,
      others: [SUSPECT, VICTIM],
    },
    {
      category: 'Pencurian',
      model: ReportModel.B,
      summary: (place) => `Pencurian kabel tembaga di ${place}; saksi (WNA) melihat pelaku melarikan diri.`,
      others: [SUSPECT, REPORTER],
    },
  ],
  [REPORTER]: [
    {
      category: 'Kehilangan Dokumen',
      model: ReportModel.B,
      summary: (place) => `Pelapor (WNA) melaporkan kehilangan paspor di sekitar ${place}.`,
      others: [],
    },
    {
      category: 'Pencurian',
      model: ReportModel.B,
      summary: (place) => `Pelapor (WNA) melaporkan pencurian peralatan kerja dari gudang di ${place}.`,
      others: [SUSPECT],
    },
    {
      category: 'Penipuan',
      model: ReportModel.B,
      summary: () => 'Pelapor (WNA) melaporkan penipuan jual beli kendaraan melalui media sosial.',
      others: [SUSPECT, VICTIM],
    },
  ],
};

const IMMIGRATION_OFFENCE: Template = {
  category: 'Pelanggaran Keimigrasian',
  model: ReportModel.A,
  summary: (place) =>
    `Dalam operasi gabungan TIMPORA di ${place} ditemukan WNA tanpa izin tinggal yang berlaku; diserahkan ke Kantor Imigrasi.`,
  others: [WITNESS],
};

interface ReportRecords {
  report: PoliceReport;
  parties: ReportParty[];
  /** The foreigner's own party row. */
  subjectParty: ReportParty;
}

function policeReport(rng: Random, numbers: RecordNumbers, subject: PoliceSubject, incident: Incident): ReportRecords {
  const template = incident.immigrationOffence ? IMMIGRATION_OFFENCE : rng.pick(TEMPLATES[incident.role]);
  const atPolda = !incident.immigrationOffence && rng.chance(0.15);
  const precinct = atPolda ? POLDA : REGENCY_FACTS[incident.regency].precinct;
  const date = fromDay(incident.day);
  const report: PoliceReport = {
    id: rng.uuid(),
    // Most reports of a Polres involve no foreigner: their serials leave gaps.
    reportNumber: numbers.policeReport(template.model, precinct, date, rng.int(1, 25)),
    model: template.model,
    category: template.category,
    occurredAt: instant(date, rng.int(0, 23), rng.int(0, 59)),
    regency: incident.regency,
    precinct: atPolda ? 'Ditreskrimum Polda Kalbar' : precinct,
    summary: template.summary(incident.place),
    status: incident.status,
  };
  // Clerks type names as they hear them: the same person may appear in capitals.
  const writtenName = rng.chance(0.4) ? subject.fullName.toUpperCase() : subject.fullName;
  const subjectParty: ReportParty = {
    id: rng.uuid(),
    reportId: report.id,
    role: incident.role,
    fullName: writtenName,
    nameKey: nameKey(writtenName),
    passportNumber: subject.passport?.number ?? null,
    passportCountry: subject.passport?.country ?? null,
    // A name-only party always has birth date and nationality: that is how it is matched.
    dateOfBirth: subject.passport && rng.chance(0.1) ? null : subject.dateOfBirth,
    nationality: subject.nationality,
  };
  const citizens = template.others.map((role) => citizenParty(rng, report.id, role, incident.day));
  return { report, parties: [subjectParty, ...citizens], subjectParty };
}

/** An Indonesian citizen named in a report: no passport, no nationality code. */
function citizenParty(rng: Random, reportId: string, role: PartyRole, day: number): ReportParty {
  const fullName = indonesianName(rng);
  return {
    id: rng.uuid(),
    reportId,
    role,
    fullName,
    nameKey: nameKey(fullName),
    passportNumber: null,
    passportCountry: null,
    dateOfBirth: rng.chance(0.7) ? fromDay(day - rng.int(18 * 365, 60 * 365)) : null,
    nationality: null,
  };
}

const ORDINARY_STATUSES = {
  [ReportStatus.REPORTED]: 12,
  [ReportStatus.INQUIRY]: 18,
  [ReportStatus.INVESTIGATION]: 12,
  [ReportStatus.CLOSED]: 58,
} as Record<ReportStatus, number>;
const OPEN_STATUSES = {
  [ReportStatus.REPORTED]: 30,
  [ReportStatus.INQUIRY]: 40,
  [ReportStatus.INVESTIGATION]: 30,
} as Record<ReportStatus, number>;

/** Status of a report where the foreigner is not a suspect in an open case. */
function ordinaryStatus(rng: Random, role: PartyRole): ReportStatus {
  if (role === SUSPECT) return ReportStatus.CLOSED;
  return rng.weighted(ORDINARY_STATUSES);
}

function openStatus(rng: Random): ReportStatus {
  return rng.weighted(OPEN_STATUSES);
}

type PoliceExample = 'renewedPassport' | 'nameOnlyPoliceMatch';

/** A report the person will appear in, before its rows are written. */
interface PlannedReport {
  incident: Incident;
  /** The report names the person without a passport. */
  nameOnly: boolean;
  example?: PoliceExample;
}

/** Where an incident happened: the employer's work area, or a street of the regency. */
type PlaceOf = (regency: Regency) => string;

/** The person's police reports: the planted open case, the renewed-passport example's, or an ordinary brush with the police. */
export function writePoliceReports(person: Person): void {
  for (const planned of plannedReports(person)) writeReport(person, planned);
}

function plannedReports(person: Person): PlannedReport[] {
  const rng = person.rng;
  const employer = person.employer;
  const placeOf: PlaceOf = (regency) =>
    employer && rng.chance(0.6) ? `area kerja ${employer.employer.name}` : streetAddress(rng, regency);
  const list: PlannedReport[] = [];
  if (PLANTED[person.profile].includes('SUSPECT_IN_OPEN_REPORT')) list.push(suspectInOpenCase(person, placeOf));
  if (isExample(person, 'renewedPassport')) list.push(witnessBeforeRenewal(person, placeOf));
  else if (rng.chance(0.045)) list.push(ordinaryReport(person, placeOf));
  return list;
}

/** Planted: a suspect in a case still open, or referred to immigration after a joint operation. */
function suspectInOpenCase(person: Person, placeOf: PlaceOf): PlannedReport {
  const { rng, today } = person;
  const referred = person.profile === Profile.OVERSTAYER_REFERRED;
  const day = dayInCountry(person, today - (referred ? 30 : 180), today - 1);
  return {
    incident: {
      role: SUSPECT,
      status: referred ? ReportStatus.REFERRED_TO_IMMIGRATION : openStatus(rng),
      day,
      regency: person.domicile,
      place: placeOf(person.domicile),
      immigrationOffence: referred,
    },
    nameOnly: isExample(person, 'nameOnlyPoliceMatch') || rng.chance(0.4),
    example: isExample(person, 'nameOnlyPoliceMatch') ? 'nameOnlyPoliceMatch' : undefined,
  };
}

/** The renewed-passport example witnessed something under the current RPTKA, before the renewal. */
function witnessBeforeRenewal(person: Person, placeOf: PlaceOf): PlannedReport {
  const rptka = person.rptkas[person.rptkas.length - 1];
  const renewalDay = person.renewalDay!;
  const day = dayInCountry(person, Math.max(rptka.from, renewalDay - 40), renewalDay - 1);
  const regency = person.domicile;
  const incident: Incident = {
    role: WITNESS,
    status: ReportStatus.INVESTIGATION,
    day,
    regency,
    place: placeOf(regency),
  };
  return { incident, nameOnly: false, example: 'renewedPassport' };
}

/** An ordinary brush with the police: victim, witness, reporter, or suspect in a closed case. */
function ordinaryReport(person: Person, placeOf: PlaceOf): PlannedReport {
  const { rng, today, intervals } = person;
  const role = rng.weighted(ORDINARY_ROLES);
  const first = intervals[0].entry;
  const day = dayInCountry(person, first, Math.min(today - 1, intervals[intervals.length - 1].exit ?? today));
  const regency = person.domicile;
  const incident: Incident = { role, status: ordinaryStatus(rng, role), day, regency, place: placeOf(regency) };
  return { incident, nameOnly: rng.chance(0.3) };
}

/** How a record without passport writes a foreigner (entity resolution's ground truth, unidentified.ts). */
export interface WrittenIdentity {
  fullName: string;
  dateOfBirth: string | null;
  nationality: string | null;
}

/**
 * A report in which the foreigner appears, on `day`, as a witness, victim or reporter (never a
 * suspect: these records must not plant findings), named as `written` says and without passport.
 */
export function nameOnlyReport(person: Person, written: WrittenIdentity, day: number): ReportParty {
  const rng = person.rng;
  const role = rng.pick([WITNESS, VICTIM, REPORTER]);
  const incident: Incident = {
    role,
    status: ordinaryStatus(rng, role),
    day,
    regency: person.domicile,
    place: streetAddress(rng, person.domicile),
  };
  const subject = {
    ...written,
    dateOfBirth: written.dateOfBirth ?? '',
    nationality: written.nationality ?? '',
    passport: null,
  };
  const { report, parties, subjectParty } = policeReport(rng, person.context.numbers, subject, incident);
  Object.assign(subjectParty, {
    fullName: written.fullName,
    nameKey: nameKey(written.fullName),
    dateOfBirth: written.dateOfBirth,
    nationality: written.nationality,
  });
  person.records.reports.push(report);
  person.records.parties.push(...parties);
  return subjectParty;
}

function writeReport(person: Person, { incident, nameOnly, example }: PlannedReport): void {
  const subject: PoliceSubject = {
    fullName: person.fullName,
    dateOfBirth: fromDay(person.dateOfBirth),
    nationality: person.nationality.code,
    passport: nameOnly ? null : passportOn(person, incident.day),
  };
  const { report, parties, subjectParty } = policeReport(person.rng, person.context.numbers, subject, incident);
  person.records.reports.push(report);
  person.records.parties.push(...parties);
  if (example === 'nameOnlyPoliceMatch') recordNameOnlyPoliceMatch(person, report.reportNumber, subjectParty);
  if (example === 'renewedPassport') recordRenewedPassport(person, report.reportNumber);
}
