import { PoliceReport } from '../../subgraphs/police/entities/police-report';
import { PresenceRegistration } from '../../subgraphs/police/entities/presence-registration';
import { ReportParty } from '../../subgraphs/police/entities/report-party';
import { PartyRole, ReportModel, ReportStatus } from '../../subgraphs/police/enums';
import { Regency } from '../../subgraphs/shared/geography';
import { nameKey } from '../../subgraphs/shared/text';
import { fromDay, instant } from './dates';
import { indonesianName } from './names';
import { RecordNumbers } from './numbers';
import { POLDA, REGENCY_FACTS, streetAddress } from './places';
import { Random } from './prng';

/** How a police record names the foreigner: as the person is, with or without a passport. */
export interface PoliceSubject {
  fullName: string;
  dateOfBirth: string;
  nationality: string;
  /** Null when the report knows the person only by name, date of birth and nationality. */
  passport: { number: string; country: string } | null;
}

export interface Incident {
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
    { category: 'Penganiayaan', model: ReportModel.B, summary: (place) => `Terlapor (WNA) diduga memukul rekan kerja di ${place}; korban mengalami luka ringan.`, others: [VICTIM, REPORTER] },
    { category: 'Perkelahian', model: ReportModel.A, summary: (place) => `Keributan antarpekerja di ${place} yang melibatkan tenaga kerja asing, dilerai petugas.`, others: [VICTIM, WITNESS] },
    { category: 'Kecelakaan Lalu Lintas', model: ReportModel.A, summary: (place) => `Kendaraan yang dikemudikan WNA menabrak sepeda motor di ${place}; pengendara motor luka ringan.`, others: [VICTIM, WITNESS] },
    { category: 'Penipuan', model: ReportModel.B, summary: () => 'Pelapor mengaku dirugikan dalam transaksi jual beli alat berat yang dijanjikan terlapor (WNA).', others: [VICTIM, REPORTER] },
    { category: 'Perusakan', model: ReportModel.B, summary: (place) => `Terlapor (WNA) diduga merusak fasilitas di ${place}.`, others: [REPORTER, WITNESS] },
  ],
  [VICTIM]: [
    { category: 'Pencurian', model: ReportModel.B, summary: (place) => `Telepon genggam dan dompet milik korban (WNA) hilang dari kamar di ${place}.`, others: [SUSPECT, WITNESS] },
    { category: 'Penipuan', model: ReportModel.B, summary: () => 'Korban (WNA) mentransfer uang sewa rumah kepada pihak yang mengaku sebagai pemilik.', others: [SUSPECT] },
    { category: 'Penganiayaan', model: ReportModel.B, summary: (place) => `Korban (WNA) dipukul orang tidak dikenal di sekitar ${place}.`, others: [WITNESS, REPORTER] },
    { category: 'Pemerasan', model: ReportModel.B, summary: (place) => `Korban (WNA) dimintai sejumlah uang oleh oknum yang mengaku petugas di ${place}.`, others: [SUSPECT, WITNESS] },
  ],
  [WITNESS]: [
    { category: 'Kecelakaan Kerja', model: ReportModel.A, summary: (place) => `Seorang pekerja tertimpa material di ${place}; saksi (WNA) berada di lokasi.`, others: [VICTIM, REPORTER] },
    { category: 'Kecelakaan Lalu Lintas', model: ReportModel.A, summary: (place) => `Tabrakan dua sepeda motor di ${place}; saksi (WNA) melihat kejadian.`, others: [SUSPECT, VICTIM] },
    { category: 'Pencurian', model: ReportModel.B, summary: (place) => `Pencurian kabel tembaga di ${place}; saksi (WNA) melihat pelaku melarikan diri.`, others: [SUSPECT, REPORTER] },
  ],
  [REPORTER]: [
    { category: 'Kehilangan Dokumen', model: ReportModel.B, summary: (place) => `Pelapor (WNA) melaporkan kehilangan paspor di sekitar ${place}.`, others: [] },
    { category: 'Pencurian', model: ReportModel.B, summary: (place) => `Pelapor (WNA) melaporkan pencurian peralatan kerja dari gudang di ${place}.`, others: [SUSPECT] },
    { category: 'Penipuan', model: ReportModel.B, summary: () => 'Pelapor (WNA) melaporkan penipuan jual beli kendaraan melalui media sosial.', others: [SUSPECT, VICTIM] },
  ],
};

const IMMIGRATION_OFFENCE: Template = {
  category: 'Pelanggaran Keimigrasian',
  model: ReportModel.A,
  summary: (place) => `Dalam operasi gabungan TIMPORA di ${place} ditemukan WNA tanpa izin tinggal yang berlaku; diserahkan ke Kantor Imigrasi.`,
  others: [WITNESS],
};

export interface ReportRecords {
  report: PoliceReport;
  parties: ReportParty[];
  /** The foreigner's own party row. */
  subjectParty: ReportParty;
}

export function policeReport(rng: Random, numbers: RecordNumbers, subject: PoliceSubject, incident: Incident): ReportRecords {
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

const ORDINARY_STATUSES = { [ReportStatus.REPORTED]: 12, [ReportStatus.INQUIRY]: 18, [ReportStatus.INVESTIGATION]: 12, [ReportStatus.CLOSED]: 58 } as Record<ReportStatus, number>;
const OPEN_STATUSES = { [ReportStatus.REPORTED]: 30, [ReportStatus.INQUIRY]: 40, [ReportStatus.INVESTIGATION]: 30 } as Record<ReportStatus, number>;

/** Status of a report where the foreigner is not a suspect in an open case. */
export function ordinaryStatus(rng: Random, role: PartyRole): ReportStatus {
  if (role === SUSPECT) return ReportStatus.CLOSED;
  return rng.weighted(ORDINARY_STATUSES);
}

export function openStatus(rng: Random): ReportStatus {
  return rng.weighted(OPEN_STATUSES);
}

const HOTEL_KINDS = ['Hotel', 'Hotel', 'Wisma', 'Penginapan', 'Guest House'];
const HOTEL_WORDS = ['Kapuas Indah', 'Mahkota', 'Khatulistiwa', 'Borneo', 'Pawan Permai', 'Garuda', 'Merpati', 'Bintang Timur', 'Sinar Baru', 'Dharma', 'Mutiara', 'Permata', 'Ayu', 'Sentosa'];

export function hotelName(rng: Random, regency: Regency): string {
  return `${rng.pick(HOTEL_KINDS)} ${rng.pick(HOTEL_WORDS)} ${regency}`;
}

export interface Lodging {
  regency: Regency;
  reportedBy: string;
  address: string;
  checkIn: number;
  checkOut: number | null;
}

export function presenceRegistration(
  rng: Random,
  numbers: RecordNumbers,
  subject: { fullName: string; passport: { number: string; country: string } },
  lodging: Lodging,
): PresenceRegistration {
  const checkInDate = fromDay(lodging.checkIn);
  return {
    id: rng.uuid(),
    registrationNumber: numbers.presenceRegistration(REGENCY_FACTS[lodging.regency].code, checkInDate),
    passportNumber: subject.passport.number,
    passportCountry: subject.passport.country,
    fullName: subject.fullName,
    reportedBy: lodging.reportedBy,
    address: lodging.address,
    regency: lodging.regency,
    precinct: REGENCY_FACTS[lodging.regency].precinct,
    checkIn: instant(checkInDate, rng.int(8, 23), rng.int(0, 59)),
    checkOut: lodging.checkOut === null ? null : instant(fromDay(lodging.checkOut), rng.int(6, 12), rng.int(0, 59)),
  };
}

/** A hotel address in the regency, for visitors and short stays. */
export function hotelAddress(rng: Random, regency: Regency): string {
  return streetAddress(rng, regency);
}
