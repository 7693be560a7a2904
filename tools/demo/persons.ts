import { AdministrativeAction } from '../../subgraphs/immigration/entities/administrative-action';
import { BorderCrossing } from '../../subgraphs/immigration/entities/border-crossing';
import { ForeignNational } from '../../subgraphs/immigration/entities/foreign-national';
import { Passport } from '../../subgraphs/immigration/entities/passport';
import { StayPermit } from '../../subgraphs/immigration/entities/stay-permit';
import {
  AdministrativeActionKind,
  CrossingDirection,
  RecordedPermitStatus,
  Sex,
  SponsorType,
  StayPermitKind,
  StayPurpose,
} from '../../subgraphs/immigration/enums';
import { Employer } from '../../subgraphs/manpower/entities/employer';
import { WorkPermit } from '../../subgraphs/manpower/entities/work-permit';
import { RecordedWorkPermitStatus } from '../../subgraphs/manpower/enums';
import { PoliceReport } from '../../subgraphs/police/entities/police-report';
import { PresenceRegistration } from '../../subgraphs/police/entities/presence-registration';
import { ReportParty } from '../../subgraphs/police/entities/report-party';
import { PartyRole, ReportStatus } from '../../subgraphs/police/enums';
import { Regency } from '../../subgraphs/shared/geography';
import { nameKey } from '../../subgraphs/shared/text';
import { checkPerson, MatchedParty } from './check';
import { fromDay, instant } from './dates';
import { EmployerDirectory, GeneratedEmployer } from './employers';
import { indonesianName, Nationality, NATIONALITIES } from './names';
import { RecordNumbers } from './numbers';
import { hotelAddress, hotelName, Incident, openStatus, ordinaryStatus, PoliceSubject, policeReport, presenceRegistration } from './police';
import { CHECKPOINT_OFFICE, kalbarNik, NEIGHBOURS, pickCheckpoint, REGENCY_FACTS, streetAddress } from './places';
import {
  AGE_RANGE,
  DEPARTED_GROUPS,
  DEPARTURES_OF_OTHERS,
  DEPARTURES_OF_WORKERS,
  DOMICILE_WEIGHTS,
  EARLIER_VISITS,
  Group,
  GROUP_VISA,
  ITAP_DAYS,
  LIMITED_LENGTHS,
  LIMITED_PURPOSE,
  LimitedVisa,
  MALE_SHARE,
  NATIONALITY_WEIGHTS,
  ORDINARY_ROLES,
  PRIOR_PERMITS,
  RPTKA_MAX_DAYS,
  VISIT_EXTENSIONS,
  VISIT_VISAS,
  VisitVisa,
} from './population';
import { mix32, Random, scatter, Stream } from './prng';
import { Assignment, PLANTED, Profile } from './profiles';
import { DemoExamples, PlantedViolation } from './types';

/** What every person's generation shares: the run's parameters, employers and number registers. */
export interface PersonContext {
  seed: number;
  /** The anchor date as a day number. */
  today: number;
  employers: EmployerDirectory;
  regencyOfEmployer: (nib: string) => string | undefined;
  numbers: RecordNumbers;
}

/** One person's rows in all three agencies. */
export interface PersonRecords {
  person: ForeignNational;
  passports: Passport[];
  stayPermits: StayPermit[];
  crossings: BorderCrossing[];
  actions: AdministrativeAction[];
  workPermits: WorkPermit[];
  reports: PoliceReport[];
  parties: ReportParty[];
  registrations: PresenceRegistration[];
}

export interface GeneratedPerson {
  records: PersonRecords;
  violations: PlantedViolation[];
  examples: Partial<DemoExamples>;
}

/** Passports per person are numbered index x 4 + ordinal, so a run holds at most 10^7 / 4 persons. */
export const MAX_PASSPORTS_PER_PERSON = 4;
export const MAX_PERSONS = 10_000_000 / MAX_PASSPORTS_PER_PERSON;
const PASSPORT_MULTIPLIER = 3_456_789; // coprime with 10^7

const RUDENIM = 'Rumah Detensi Imigrasi Pontianak';

interface Sponsor {
  type: SponsorType;
  nib: string | null;
  name: string;
}

interface StaySpec {
  kind: StayPermitKind;
  visaIndex: string;
  purpose: StayPurpose;
  from: number;
  until: number;
  status: RecordedPermitStatus;
  sponsor: Sponsor;
  /** Defaults to the office serving the domicile regency. */
  office?: string;
  /** The day a CONVERTED or CANCELLED permit stopped counting. */
  endedOn?: number;
}

interface Interval {
  entry: number;
  exit: number | null;
}

interface RptkaSpec {
  from: number;
  until: number;
  status: RecordedWorkPermitStatus;
}

interface ActionSpec {
  kind: AdministrativeActionKind;
  day: number;
  reason: string;
  legalBasis: string;
  amount: number | null;
  office: string;
}

interface PassportSpec {
  issued: number;
  expires: number;
  number: string;
}

export function generatePerson(index: number, assignment: Assignment, context: PersonContext): GeneratedPerson {
  return new PersonBuilder(index, assignment, context).build();
}

/**
 * Builds one person's life as the agencies recorded it: a timeline of stays and crossings first
 * (in day numbers), then passports that cover it, then the rows, each filed under the passport
 * the person held on that day. The profile decides what the anchor date shows.
 */
class PersonBuilder {
  private readonly rng: Random;
  private readonly profile: Profile;
  private readonly today: number;
  private readonly group: Group;
  private readonly nationality: Nationality;
  private readonly sex: Sex;
  private readonly dateOfBirth: number;
  private readonly fullName: string;
  private readonly placeOfBirth: string;

  private employer: GeneratedEmployer | null = null;
  private sponsor: Sponsor;
  private domicile: Regency;
  private address: string;
  private workRegencies: string[] = [];
  private position = '';

  private readonly stays: StaySpec[] = [];
  private readonly intervals: Interval[] = [];
  private readonly rptkas: RptkaSpec[] = [];
  private readonly actionSpecs: ActionSpec[] = [];
  private passportSpecs: PassportSpec[] = [];
  private renewalDay: number | null = null;

  private readonly personId: string;
  private readonly records: PersonRecords;
  private readonly examples: Partial<DemoExamples> = {};

  constructor(
    private readonly index: number,
    private readonly assignment: Assignment,
    private readonly context: PersonContext,
  ) {
    this.rng = new Random(context.seed, Stream.PERSON, index);
    this.profile = assignment.profile;
    this.today = context.today;
    this.group = this.chooseGroup();
    this.nationality = NATIONALITIES[this.rng.weighted(NATIONALITY_WEIGHTS[this.group])];
    this.sex = this.rng.chance(MALE_SHARE[this.group]) ? Sex.MALE : Sex.FEMALE;
    const [minAge, maxAge] = AGE_RANGE[this.group];
    this.dateOfBirth = this.today - this.rng.int(minAge * 365, maxAge * 365 + 364);
    this.fullName = this.nationality.name(this.rng, this.sex);
    this.placeOfBirth = this.rng.pick(this.nationality.placesOfBirth);
    this.personId = this.rng.uuid();
    this.domicile = 'Pontianak';
    this.address = '';
    this.sponsor = { type: SponsorType.PERSON, nib: null, name: this.fullName };
    this.records = {
      person: {
        id: this.personId,
        fullName: this.fullName,
        nameKey: nameKey(this.fullName),
        sex: this.sex,
        dateOfBirth: fromDay(this.dateOfBirth),
        placeOfBirth: this.placeOfBirth,
        nationality: this.nationality.code,
      },
      passports: [],
      stayPermits: [],
      crossings: [],
      actions: [],
      workPermits: [],
      reports: [],
      parties: [],
      registrations: [],
    };
  }

  build(): GeneratedPerson {
    this.settle();
    this.buildTimeline();
    this.intervals.sort((a, b) => a.entry - b.entry);
    this.stays.sort((a, b) => a.from - b.from);
    this.buildPassports();
    this.writeImmigration();
    this.writeWorkPermits();
    this.writePolice();
    const violations = this.verify();
    return { records: this.records, violations, examples: this.examples };
  }

  // ---------------------------------------------------------------- who and where

  private chooseGroup(): Group {
    switch (this.profile) {
      case Profile.VISITOR:
      case Profile.VISITOR_WORKING:
        return 'visit';
      case Profile.INVESTOR:
        return 'invest';
      case Profile.STUDENT:
        return 'study';
      case Profile.RETIREE:
        return 'retire';
      case Profile.FAMILY:
      case Profile.PERMANENT_FAMILY:
      case Profile.PERMANENT_FAMILY_SUSPECT:
        return 'family';
      case Profile.OVERSTAYER_SHORT:
      case Profile.OVERSTAYER_LONG:
      case Profile.OVERSTAYER_REFERRED:
        return this.rng.chance(0.5) ? 'visit' : 'work';
      case Profile.DEPARTED:
        return this.rng.weighted(DEPARTED_GROUPS);
      default:
        return 'work';
    }
  }

  /** Employer, sponsor, domicile and the regencies the RPTKA allows. */
  private settle(): void {
    const rng = this.rng;
    if (this.group === 'work' || this.group === 'invest' || this.profile === Profile.VISITOR_WORKING) {
      const employer = this.context.employers.pickBySize(rng);
      this.employer = employer;
      this.position = rng.pick(employer.positions);
      const home = employer.employer.regency as Regency;
      const sponsorCompany =
        this.profile === Profile.WORKER_SPONSOR_MISMATCH ? this.context.employers.pickOther(rng, employer.employer.nib).employer : employer.employer;
      this.sponsor = companySponsor(sponsorCompany);
      if (this.profile === Profile.WORKER_OUTSIDE_REGENCY) this.domicile = rng.pick(NEIGHBOURS[home]);
      else if (this.group === 'invest') this.domicile = rng.chance(0.6) ? home : 'Pontianak';
      else this.domicile = this.profile !== Profile.VISITOR_WORKING && rng.chance(0.12) ? rng.pick(NEIGHBOURS[home]) : home;
      // Planted: the RPTKA names only the employer's regency although the worker lives and works next door.
      this.workRegencies = this.profile === Profile.WORKER_OUTSIDE_REGENCY ? [home] : [...new Set<string>([home, this.domicile])];
      this.address =
        this.domicile === home && rng.chance(0.5) ? `Mess Karyawan ${employer.employer.name}, ${employer.employer.address}` : streetAddress(rng, this.domicile);
    } else {
      this.domicile = rng.weighted(DOMICILE_WEIGHTS[this.group] as Record<Regency, number>);
      this.address = this.group === 'visit' ? `${hotelName(rng, this.domicile)}, ${hotelAddress(rng, this.domicile)}` : streetAddress(rng, this.domicile);
      this.sponsor = this.personalSponsor();
    }
    if (this.group === 'visit') this.sponsor = { type: SponsorType.PERSON, nib: null, name: indonesianName(rng) };
  }

  private personalSponsor(): Sponsor {
    const rng = this.rng;
    switch (this.group) {
      case 'family': {
        // The spouse: an Indonesian citizen, or a compatriot working here.
        const spouseSex = this.sex === Sex.MALE ? Sex.FEMALE : Sex.MALE;
        const name = rng.chance(0.6) ? indonesianName(rng, spouseSex) : this.nationality.name(rng, spouseSex);
        return { type: SponsorType.PERSON, nib: null, name };
      }
      case 'study':
        return { type: SponsorType.PERSON, nib: null, name: `Dr. ${indonesianName(rng)}` };
      default:
        return { type: SponsorType.PERSON, nib: null, name: indonesianName(rng) };
    }
  }

  // ---------------------------------------------------------------- timelines per profile

  private buildTimeline(): void {
    const today = this.today;
    const rng = this.rng;
    switch (this.profile) {
      case Profile.VISITOR:
      case Profile.VISITOR_WORKING: {
        const chain = this.visitChain({ covering: today });
        this.earlierVisits(chain[0].from);
        this.addVisit(chain, null);
        if (this.profile === Profile.VISITOR_WORKING) {
          // Planted: the employer obtained an RPTKA, the worker came on a visit permit.
          const from = today - rng.int(10, 200);
          this.rptkas.push({ from, until: from + 364, status: RecordedWorkPermitStatus.ACTIVE });
        }
        return;
      }
      case Profile.WORKER:
      case Profile.WORKER_SPONSOR_MISMATCH:
      case Profile.WORKER_OUTSIDE_REGENCY:
      case Profile.WORKER_WITHOUT_RPTKA:
      case Profile.WORKER_SUSPECT: {
        // The renewed-passport example needs its RPTKA filed well before the renewal.
        const minOffset = this.isExample('renewedPassport') ? 60 : 0;
        const chain = this.withConvertedVisit(this.limitedChain('E23', { covering: today, minOffset }, this.priorCount('work')));
        this.addResidence(chain, today, this.abroadNow());
        this.addWorkPermits(chain);
        if (this.profile === Profile.WORKER_WITHOUT_RPTKA) {
          // Planted: the current ITAS has no RPTKA behind it (earlier ones may have had).
          this.rptkas.splice(0, this.rptkas.length, ...this.rptkas.filter((rptka) => rptka.until < today));
        }
        return;
      }
      case Profile.INVESTOR:
      case Profile.STUDENT:
      case Profile.FAMILY:
      case Profile.RETIREE: {
        const chain = this.limitedChain(GROUP_VISA[this.group]!, { covering: today }, this.priorCount(this.group));
        this.addResidence(chain, today, this.abroadNow());
        return;
      }
      case Profile.PERMANENT_WORKER:
      case Profile.PERMANENT_FAMILY:
      case Profile.PERMANENT_FAMILY_SUSPECT: {
        const chain = this.permanentChain(this.group === 'work' ? StayPurpose.WORK : StayPurpose.FAMILY);
        this.addResidence(chain, today, this.profile === Profile.PERMANENT_FAMILY_SUSPECT ? null : this.abroadNow());
        this.addWorkPermits(chain);
        return;
      }
      case Profile.OVERSTAYER_SHORT:
      case Profile.OVERSTAYER_LONG:
      case Profile.OVERSTAYER_REFERRED:
        return this.overstay();
      case Profile.WORKER_EXPIRED_IN_COUNTRY:
      case Profile.WORKER_EXPIRED_DEPARTED:
        return this.workAfterExpiry();
      case Profile.DEPARTED:
        return this.departed();
    }
  }

  /** Planted: in the country past the last permit; under or over the 60-day charge limit. */
  private overstay(): void {
    const rng = this.rng;
    const daysOver = this.profile === Profile.OVERSTAYER_SHORT ? rng.int(1, 59) : rng.int(61, this.profile === Profile.OVERSTAYER_LONG ? 400 : 250);
    const lastDay = this.today - daysOver;
    if (this.group === 'visit') {
      const chain = this.visitChain({ endingOn: lastDay });
      this.addVisit(chain, null);
    } else {
      const chain = this.limitedChain('E23', { endingOn: lastDay }, rng.int(0, 2));
      this.addResidence(chain, lastDay, null);
      this.addWorkPermits(chain);
    }
    if (this.profile === Profile.OVERSTAYER_LONG && rng.chance(0.5)) {
      this.action(AdministrativeActionKind.DETENTION, this.today - rng.int(1, 20), `Ditempatkan di Rudenim: overstay lebih dari 60 hari, menunggu deportasi`, 'UU 6/2011 Pasal 83 ayat (1)', null, RUDENIM);
    }
  }

  /** Planted: the ITAS lapsed but the two-year RPTKA still runs. */
  private workAfterExpiry(): void {
    const rng = this.rng;
    const lastDay = this.today - rng.int(5, 120);
    const chain = this.limitedChain('E23', { endingOn: lastDay, lastLength: 365 }, rng.int(0, 2));
    const departed = this.profile === Profile.WORKER_EXPIRED_DEPARTED;
    this.addResidence(chain, lastDay, departed ? lastDay - rng.int(0, 5) : null);
    this.addWorkPermits(chain);
    const last = this.rptkas[this.rptkas.length - 1];
    last.until = last.from + RPTKA_MAX_DAYS - 1;
  }

  /** Left Indonesia with every permit over: clean, whatever happened before. */
  private departed(): void {
    const rng = this.rng;
    const today = this.today;
    const scenario = rng.weighted(this.group === 'work' ? DEPARTURES_OF_WORKERS : DEPARTURES_OF_OTHERS);
    if (scenario === 'cancelled') return this.cancelledAndDeported();
    const overstayed = scenario === 'charged' ? rng.int(1, 30) : scenario === 'deported' ? rng.int(61, 300) : 0;
    const lastDay = today - rng.int(overstayed + 1, 1500);
    const exit = overstayed > 0 ? lastDay + overstayed : lastDay - rng.int(0, 20);
    if (this.group === 'visit') {
      const chain = this.visitChain({ endingOn: lastDay });
      this.earlierVisits(chain[0].from);
      this.addVisit(chain, Math.max(exit, chain[0].from + 1));
    } else {
      const chain = this.limitedChain(GROUP_VISA[this.group]!, { endingOn: lastDay }, this.priorCount(this.group));
      this.addResidence(chain, Math.min(exit, lastDay), exit);
      if (this.group === 'work') this.addWorkPermits(chain);
    }
    const office = REGENCY_FACTS[this.domicile].immigrationOffice;
    if (scenario === 'charged') {
      this.action(AdministrativeActionKind.CHARGE, exit, `Overstay ${overstayed} hari, biaya beban dibayar sebelum keberangkatan`, 'UU 6/2011 Pasal 78 ayat (1); PP 28/2019', overstayed * 1_000_000, office);
    } else if (scenario === 'deported') {
      this.action(AdministrativeActionKind.DETENTION, exit - rng.int(7, 40), `Overstay ${overstayed} hari, ditempatkan di Rudenim`, 'UU 6/2011 Pasal 83 ayat (1)', null, RUDENIM);
      this.action(AdministrativeActionKind.DEPORTATION, exit, `Overstay ${overstayed} hari (lebih dari 60 hari)`, 'UU 6/2011 Pasal 75 ayat (2) huruf f; Pasal 78 ayat (3)', null, office);
      this.action(AdministrativeActionKind.ENTRY_BAN, exit, 'Penangkalan setelah deportasi', 'UU 6/2011 Pasal 75 ayat (2) huruf a', null, office);
    }
  }

  /** A worker caught in the wrong job: ITAS cancelled, RPTKA revoked, deported, banned. */
  private cancelledAndDeported(): void {
    const rng = this.rng;
    const cancelledOn = this.today - rng.int(30, 1200);
    const chain = this.limitedChain('E23', { covering: cancelledOn }, this.priorCount('work'));
    const last = chain[chain.length - 1];
    last.status = RecordedPermitStatus.CANCELLED;
    last.endedOn = cancelledOn;
    const exit = cancelledOn + rng.int(5, 25);
    this.addResidence(chain, cancelledOn, exit);
    this.addWorkPermits(chain);
    const office = REGENCY_FACTS[this.domicile].immigrationOffice;
    this.action(AdministrativeActionKind.PERMIT_CANCELLATION, cancelledOn, 'Penyalahgunaan izin tinggal: bekerja tidak sesuai jabatan dalam RPTKA', 'UU 6/2011 Pasal 75 ayat (2) huruf b', null, office);
    this.action(AdministrativeActionKind.DEPORTATION, exit, 'Penyalahgunaan izin tinggal', 'UU 6/2011 Pasal 75 ayat (2) huruf f', null, office);
    this.action(AdministrativeActionKind.ENTRY_BAN, exit, 'Penangkalan setelah deportasi', 'UU 6/2011 Pasal 75 ayat (2) huruf a', null, office);
  }

  // ---------------------------------------------------------------- permit chains

  /** VISIT permits: B1 (visa on arrival, 30 days), C1 and D1 (60 days), with their extensions. */
  private visitChain(anchor: { covering: number } | { endingOn: number }, visa?: VisitVisa): StaySpec[] {
    const rng = this.rng;
    const index = visa ?? rng.weighted(VISIT_VISAS);
    const length = index === 'B1' ? 30 : 60;
    const extensions = Math.min(index === 'C1' ? 2 : 1, Number(rng.weighted(VISIT_EXTENSIONS)));
    const purpose = index === 'D1' || rng.chance(index === 'B1' ? 0.3 : 0.5) ? StayPurpose.BUSINESS : StayPurpose.TOURISM;
    // A visa on arrival has no guarantor: the visitor answers for themself.
    const sponsor: Sponsor = index === 'B1' ? { type: SponsorType.PERSON, nib: null, name: this.fullName } : this.sponsor;
    const from = 'covering' in anchor ? anchor.covering - rng.int(0, length - 1) : anchor.endingOn - length + 1;
    const chain: StaySpec[] = [this.stay(StayPermitKind.VISIT, index, purpose, from, from + length - 1, sponsor)];
    for (let extension = 0; extension < extensions; extension++) {
      const until = chain[0].from - 1;
      chain.unshift(this.stay(StayPermitKind.VISIT, index, purpose, until - length + 1, until, sponsor));
    }
    return chain;
  }

  /** ITAS permits back to back, the last one covering (or ending on) the given day. */
  private limitedChain(
    visa: LimitedVisa,
    anchor: { covering: number; minOffset?: number } | { endingOn: number; lastLength?: number },
    prior: number,
  ): StaySpec[] {
    const rng = this.rng;
    const length = () => Number(rng.weighted(LIMITED_LENGTHS[visa]));
    let last: StaySpec;
    if ('covering' in anchor) {
      const days = length();
      const from = anchor.covering - rng.int(Math.min(anchor.minOffset ?? 0, days - 1), days - 1);
      last = this.stay(StayPermitKind.LIMITED, visa, LIMITED_PURPOSE[visa], from, from + days - 1, this.sponsor);
    } else {
      const days = anchor.lastLength ?? length();
      last = this.stay(StayPermitKind.LIMITED, visa, LIMITED_PURPOSE[visa], anchor.endingOn - days + 1, anchor.endingOn, this.sponsor);
    }
    const chain = [last];
    for (let k = 0; k < prior; k++) {
      const until = chain[0].from - 1;
      chain.unshift(this.stay(StayPermitKind.LIMITED, visa, LIMITED_PURPOSE[visa], until - length() + 1, until, this.sponsor));
    }
    return chain;
  }

  /** Some workers came on a business visit first and converted it to an ITAS (alih status). */
  private withConvertedVisit(chain: StaySpec[]): StaySpec[] {
    if (!this.rng.chance(0.12)) return chain;
    const from = chain[0].from - this.rng.int(10, 50);
    const visit = this.stay(StayPermitKind.VISIT, 'C1', StayPurpose.BUSINESS, from, from + 59, { type: SponsorType.PERSON, nib: null, name: indonesianName(this.rng) });
    visit.status = RecordedPermitStatus.CONVERTED;
    visit.endedOn = chain[0].from;
    return [visit, ...chain];
  }

  /** ITAP (5 years, maybe renewed once) after several ITAS years, the last ITAS converted. */
  private permanentChain(purpose: StayPurpose): StaySpec[] {
    const rng = this.rng;
    const visa = purpose === StayPurpose.WORK ? 'ITAP-KRJ' : 'ITAP-KEL';
    const from = this.today - rng.int(0, ITAP_DAYS - 1);
    const permanent = [this.stay(StayPermitKind.PERMANENT, visa, purpose, from, from + ITAP_DAYS - 1, this.sponsor)];
    if (rng.chance(0.25)) permanent.unshift(this.stay(StayPermitKind.PERMANENT, visa, purpose, from - ITAP_DAYS, from - 1, this.sponsor));
    const firstPermanent = permanent[0].from;
    const lastLimitedFrom = firstPermanent - rng.int(100, 300);
    const limited = this.limitedChain(purpose === StayPurpose.WORK ? 'E23' : 'E31', { endingOn: lastLimitedFrom + 364, lastLength: 365 }, rng.int(2, 3));
    const converted = limited[limited.length - 1];
    converted.status = RecordedPermitStatus.CONVERTED;
    converted.endedOn = firstPermanent;
    return [...limited, ...permanent];
  }

  private stay(kind: StayPermitKind, visaIndex: string, purpose: StayPurpose, from: number, until: number, sponsor: Sponsor): StaySpec {
    return { kind, visaIndex, purpose, from, until, status: RecordedPermitStatus.ACTIVE, sponsor };
  }

  private priorCount(group: Group): number {
    return Number(this.rng.weighted(PRIOR_PERMITS[group]));
  }

  // ---------------------------------------------------------------- presence in the country

  /** One trip on a chain of visit permits: entry on the first day, exit (or still here). */
  private addVisit(chain: StaySpec[], exit: number | null): void {
    this.stays.push(...chain);
    this.intervals.push({ entry: chain[0].from, exit });
  }

  /** Earlier short visits of a returning visitor, each an entry, a permit and an exit. */
  private earlierVisits(before: number): void {
    const count = Number(this.rng.weighted(EARLIER_VISITS));
    let cursor = before;
    for (let visit = 0; visit < count; visit++) {
      const until = cursor - this.rng.int(30, 400);
      const [stay] = this.visitChain({ endingOn: until }, this.rng.chance(0.5) ? 'B1' : 'C1');
      stay.sponsor = { type: SponsorType.PERSON, nib: null, name: this.fullName };
      this.stays.push(stay);
      this.intervals.push({ entry: stay.from, exit: stay.from + this.rng.int(2, stay.until - stay.from) });
      cursor = stay.from;
    }
  }

  /**
   * A long stay: entry when the chain starts, home-leave trips while it runs (up to `tripsUntil`),
   * and a final exit, or none while the person is still here.
   */
  private addResidence(chain: StaySpec[], tripsUntil: number, exit: number | null): void {
    this.stays.push(...chain);
    let entry = chain[0].from;
    for (const trip of this.homeLeave(entry + 30, Math.min(tripsUntil, exit ?? tripsUntil) - 10)) {
      this.intervals.push({ entry, exit: trip.exit });
      entry = trip.back;
    }
    // A leave that would start before the last arrival is simply not taken.
    this.intervals.push({ entry, exit: exit !== null && exit <= entry ? null : exit });
  }

  private homeLeave(from: number, to: number): { exit: number; back: number }[] {
    if (to - from < 60) return [];
    const count = Math.min(5, Math.floor(((to - from) / 365) * this.rng.float() * 1.4));
    const exits = Array.from({ length: count }, () => this.rng.int(from, to - 35)).sort((a, b) => a - b);
    const trips: { exit: number; back: number }[] = [];
    for (const exit of exits) {
      if (trips.length > 0 && exit <= trips[trips.length - 1].back + 10) continue;
      trips.push({ exit, back: exit + this.rng.int(5, 30) });
    }
    return trips;
  }

  /** A few long-stay holders are abroad on leave today: still permit holders, just not here. */
  private abroadNow(): number | null {
    if (this.assignment.rank < 2 || !this.rng.chance(0.03)) return null;
    return this.today - this.rng.int(1, 20);
  }

  private addWorkPermits(chain: StaySpec[]): void {
    chain.forEach((stay, position) => {
      if (stay.purpose !== StayPurpose.WORK) return;
      if (stay.kind === StayPermitKind.LIMITED) {
        // The first RPTKA is approved shortly before the worker's ITAS starts.
        const lead = position === 0 && stay.until - stay.from < 700 ? this.rng.int(0, 20) : 0;
        const until = stay.status === RecordedPermitStatus.CONVERTED && stay.endedOn !== undefined ? stay.endedOn - 1 : stay.until;
        const status = stay.status === RecordedPermitStatus.CANCELLED ? RecordedWorkPermitStatus.REVOKED : RecordedWorkPermitStatus.ACTIVE;
        this.rptkas.push({ from: stay.from - lead, until, status });
      } else if (stay.kind === StayPermitKind.PERMANENT) {
        // An ITAP holder still needs an RPTKA, renewed every two years at most.
        for (let from = stay.from; from <= Math.min(this.today, stay.until); from += RPTKA_MAX_DAYS) {
          this.rptkas.push({ from, until: Math.min(from + RPTKA_MAX_DAYS - 1, stay.until), status: RecordedWorkPermitStatus.ACTIVE });
        }
      }
    });
  }

  private action(kind: AdministrativeActionKind, day: number, reason: string, legalBasis: string, amount: number | null, office: string): void {
    this.actionSpecs.push({ kind, day, reason, legalBasis, amount, office });
  }

  // ---------------------------------------------------------------- passports

  /**
   * Passports covering the whole timeline, built backwards from the current one. About one person
   * in eight renewed during the stay, so older records carry the old number; long stays force it.
   */
  private buildPassports(): void {
    const rng = this.rng;
    const first = Math.min(this.intervals[0].entry, this.stays[0].from);
    const lastInterval = this.intervals[this.intervals.length - 1];
    const end = lastInterval.exit ?? this.today;
    const validity = Math.round(this.nationality.passportYears * 365.25);
    const renewalWindow: [number, number] = [Math.max(first + 60, end - validity + 60), end - 30];
    if (this.isExample('renewedPassport')) this.renewalDay = this.today - rng.int(10, 40);
    else if (rng.chance(0.13) && renewalWindow[0] <= renewalWindow[1]) this.renewalDay = rng.int(...renewalWindow);

    let issued: number;
    if (this.renewalDay !== null) issued = this.renewalDay;
    else {
      const earliest = end + 60 - validity;
      const latest = first - 10;
      if (earliest <= latest) issued = rng.int(Math.max(earliest, latest - 2000), latest);
      else {
        // A stay longer than one passport: the renewal is not optional.
        issued = renewalWindow[0] <= renewalWindow[1] ? rng.int(...renewalWindow) : first + 60;
        this.renewalDay = issued;
      }
    }
    const chain: { issued: number; expires: number }[] = [{ issued, expires: issued + validity }];
    while (chain[0].issued > first - 10 && chain.length < MAX_PASSPORTS_PER_PERSON) {
      const expires = chain[0].issued + rng.int(0, 300);
      let previousIssued = expires - validity;
      if (chain.length === MAX_PASSPORTS_PER_PERSON - 1 && previousIssued > first - 10) previousIssued = first - rng.int(10, 400);
      chain.unshift({ issued: previousIssued, expires });
    }
    this.passportSpecs = chain.map((dates, ordinal) => ({ ...dates, number: this.passportNumber(ordinal) }));
    this.records.passports = this.passportSpecs.map((spec, ordinal) => ({
      id: rng.uuid(),
      personId: this.personId,
      number: spec.number,
      country: this.nationality.code,
      issuedOn: fromDay(spec.issued),
      expiresOn: fromDay(spec.expires),
      current: ordinal === this.passportSpecs.length - 1,
    }));
  }

  /** Unique across the run: 7 digits scattered from (person, ordinal), wrapped in the country's format. */
  private passportNumber(ordinal: number): string {
    const key = this.index * MAX_PASSPORTS_PER_PERSON + ordinal;
    const core = scatter(key, 10_000_000, PASSPORT_MULTIPLIER, mix32(this.context.seed) % 10_000_000);
    return this.nationality.passportNumber(this.rng, String(core).padStart(7, '0'));
  }

  /** The passport the person held on `day`: the latest issued on or before it. */
  private passportOn(day: number): { number: string; country: string } {
    let held = this.passportSpecs[0];
    for (const spec of this.passportSpecs) if (spec.issued <= day) held = spec;
    return { number: held.number, country: this.nationality.code };
  }

  // ---------------------------------------------------------------- rows

  private writeImmigration(): void {
    const rng = this.rng;
    const numbers = this.context.numbers;
    const checkpoints = this.intervals.map(() => pickCheckpoint(rng, this.nationality.crossesByLand));
    for (const stay of this.stays) {
      const entryIndex = this.intervals.findIndex((interval) => interval.entry === stay.from);
      // A permit issued on arrival comes from the checkpoint's office; the rest from the domicile's.
      const arrivalOffice = stay.kind === StayPermitKind.VISIT && entryIndex >= 0 ? CHECKPOINT_OFFICE[checkpoints[entryIndex]] : undefined;
      const office = stay.office ?? arrivalOffice ?? REGENCY_FACTS[this.domicile].immigrationOffice;
      const validFrom = fromDay(stay.from);
      this.records.stayPermits.push({
        id: rng.uuid(),
        permitNumber: numbers.stayPermit(stay.kind, office, validFrom),
        personId: this.personId,
        kind: stay.kind,
        visaIndex: stay.visaIndex,
        purpose: stay.purpose,
        validFrom,
        validUntil: fromDay(stay.until),
        recordedStatus: stay.status,
        sponsorType: stay.sponsor.type,
        sponsorNib: stay.sponsor.nib,
        sponsorName: stay.sponsor.name,
        domicileAddress: this.address,
        domicileRegency: this.domicile,
        issuingOffice: office,
        passportNumber: this.passportOn(stay.from).number,
        passportCountry: this.passportOn(stay.from).country,
      });
    }
    this.intervals.forEach((interval, position) => {
      this.crossing(CrossingDirection.ENTRY, interval.entry, checkpoints[position]);
      if (interval.exit !== null) this.crossing(CrossingDirection.EXIT, interval.exit, pickCheckpoint(rng, this.nationality.crossesByLand));
    });
    for (const spec of this.actionSpecs) {
      this.records.actions.push({
        id: rng.uuid(),
        personId: this.personId,
        kind: spec.kind,
        decidedOn: fromDay(spec.day),
        reason: spec.reason,
        legalBasis: spec.legalBasis,
        amount: spec.amount,
        office: spec.office,
      });
    }
  }

  private crossing(direction: CrossingDirection, day: number, checkpoint: string): void {
    this.records.crossings.push({
      id: this.rng.uuid(),
      personId: this.personId,
      direction,
      crossedAt: instant(fromDay(day), this.rng.int(5, 21), this.rng.int(0, 59), this.rng.int(0, 59)),
      checkpoint,
      passportNumber: this.passportOn(day).number,
    });
  }

  private writeWorkPermits(): void {
    if (this.rptkas.length === 0 || !this.employer) return;
    const rng = this.rng;
    const employer = this.employer.employer;
    const counterpartFemale = rng.chance(0.3);
    const counterpartName = indonesianName(rng, counterpartFemale ? Sex.FEMALE : Sex.MALE);
    const counterpartNik = kalbarNik(rng, employer.regency as Regency, counterpartFemale);
    // RPTKAs often write the name in capitals, as on the passport's data page.
    const workerName = rng.chance(0.5) ? this.fullName.toUpperCase() : this.fullName;
    for (const spec of this.rptkas) {
      const validFrom = fromDay(spec.from);
      const passport = this.passportOn(spec.from);
      this.records.workPermits.push({
        id: rng.uuid(),
        rptkaNumber: this.context.numbers.rptka(validFrom, rng.int(1, 40)),
        employerNib: employer.nib,
        workerName,
        workerPassportNumber: passport.number,
        workerPassportCountry: passport.country,
        workerNationality: this.nationality.code,
        position: this.position,
        workRegencies: this.workRegencies,
        validFrom,
        validUntil: fromDay(spec.until),
        recordedStatus: spec.status,
        counterpartName,
        counterpartNik,
        dkptkaPaidUntil: rng.chance(0.05) ? null : fromDay(rng.chance(0.85) ? spec.until : Math.min(spec.until, spec.from + 364)),
      });
    }
  }

  // ---------------------------------------------------------------- police

  private writePolice(): void {
    this.writeRegistrations();
    for (const incident of this.incidents()) this.writeReport(incident.incident, incident.nameOnly, incident.example);
  }

  private incidents(): { incident: Incident; nameOnly: boolean; example?: 'renewedPassport' | 'nameOnlyPoliceMatch' }[] {
    const rng = this.rng;
    const today = this.today;
    const place = (regency: Regency) => (this.employer && rng.chance(0.6) ? `area kerja ${this.employer.employer.name}` : streetAddress(rng, regency));
    const list: { incident: Incident; nameOnly: boolean; example?: 'renewedPassport' | 'nameOnlyPoliceMatch' }[] = [];
    const planted = PLANTED[this.profile].includes('SUSPECT_IN_OPEN_REPORT');
    if (planted) {
      const referred = this.profile === Profile.OVERSTAYER_REFERRED;
      const day = this.dayInCountry(today - (referred ? 30 : 180), today - 1);
      list.push({
        incident: {
          role: PartyRole.SUSPECT,
          status: referred ? ReportStatus.REFERRED_TO_IMMIGRATION : openStatus(rng),
          day,
          regency: this.domicile,
          place: place(this.domicile),
          immigrationOffence: referred,
        },
        nameOnly: this.isExample('nameOnlyPoliceMatch') || rng.chance(0.4),
        example: this.isExample('nameOnlyPoliceMatch') ? 'nameOnlyPoliceMatch' : undefined,
      });
    }
    if (this.isExample('renewedPassport')) {
      const rptka = this.rptkas[this.rptkas.length - 1];
      const day = this.dayInCountry(Math.max(rptka.from, this.renewalDay! - 40), this.renewalDay! - 1);
      list.push({ incident: { role: PartyRole.WITNESS, status: ReportStatus.INVESTIGATION, day, regency: this.domicile, place: place(this.domicile) }, nameOnly: false, example: 'renewedPassport' });
    } else if (rng.chance(0.045)) {
      // An ordinary brush with the police: victim, witness, reporter, or suspect in a closed case.
      const role = rng.weighted(ORDINARY_ROLES);
      const first = this.intervals[0].entry;
      const day = this.dayInCountry(first, Math.min(today - 1, this.intervals[this.intervals.length - 1].exit ?? today));
      list.push({ incident: { role, status: ordinaryStatus(rng, role), day, regency: this.domicile, place: place(this.domicile) }, nameOnly: rng.chance(0.3) });
    }
    return list;
  }

  private writeReport(incident: Incident, nameOnly: boolean, example?: 'renewedPassport' | 'nameOnlyPoliceMatch'): void {
    const subject: PoliceSubject = {
      fullName: this.fullName,
      dateOfBirth: fromDay(this.dateOfBirth),
      nationality: this.nationality.code,
      passport: nameOnly ? null : this.passportOn(incident.day),
    };
    const { report, parties, subjectParty } = policeReport(this.rng, this.context.numbers, subject, incident);
    this.records.reports.push(report);
    this.records.parties.push(...parties);
    if (example === 'nameOnlyPoliceMatch') {
      this.examples.nameOnlyPoliceMatch = {
        personId: this.personId,
        reportNumber: report.reportNumber,
        role: subjectParty.role,
        fullName: subjectParty.fullName,
        dateOfBirth: subjectParty.dateOfBirth!,
        nationality: subjectParty.nationality!,
      };
    }
    if (example === 'renewedPassport') this.recordRenewedPassportExample(report.reportNumber);
  }

  /** A day in [from, to] on which the person was in the country (falls back to `from`). */
  private dayInCountry(from: number, to: number): number {
    const spans = this.intervals
      .map((interval) => [Math.max(from, interval.entry), Math.min(to, interval.exit ?? to)] as const)
      .filter(([start, end]) => start <= end);
    if (spans.length === 0) return Math.min(from, to);
    const [start, end] = this.rng.pick(spans);
    return this.rng.int(start, end);
  }

  /** Lodging reports (APOA): where the person stayed after each arrival, and a few hotel nights. */
  private writeRegistrations(): void {
    const rng = this.rng;
    this.intervals.forEach((interval, position) => {
      const isFirstOrLast = position === 0 || position === this.intervals.length - 1;
      if (!isFirstOrLast && !rng.chance(0.3)) return;
      const checkIn = Math.min(interval.entry + rng.int(0, 1), interval.exit ?? this.today);
      const stillHere = interval.exit === null;
      const checkOut = stillHere ? null : Math.max(checkIn, interval.exit!);
      this.register({ regency: this.domicile, reportedBy: this.lodgingHost(), address: this.address, checkIn, checkOut });
      const end = interval.exit ?? this.today;
      if (end - checkIn > 20 && rng.chance(0.35)) {
        // A business trip or weekend away, reported by the hotel.
        const regency = rng.pick(Object.keys(REGENCY_FACTS) as Regency[]);
        const nightFrom = rng.int(checkIn + 2, end - 6);
        this.register({ regency, reportedBy: hotelName(rng, regency), address: hotelAddress(rng, regency), checkIn: nightFrom, checkOut: nightFrom + rng.int(1, 4) });
      }
    });
  }

  private lodgingHost(): string {
    if (this.address.startsWith('Mess Karyawan') && this.employer) return `Mess Karyawan ${this.employer.employer.name}`;
    if (this.group === 'visit') return this.address.split(',')[0];
    return `${indonesianName(this.rng)} (pemilik rumah sewa)`;
  }

  private register(lodging: { regency: Regency; reportedBy: string; address: string; checkIn: number; checkOut: number | null }): void {
    this.records.registrations.push(
      presenceRegistration(this.rng, this.context.numbers, { fullName: this.fullName, passport: this.passportOn(lodging.checkIn) }, lodging),
    );
  }

  // ---------------------------------------------------------------- examples and self-check

  private isExample(example: keyof DemoExamples): boolean {
    const { profile, rank } = this.assignment;
    if (example === 'renewedPassport') return profile === Profile.WORKER && rank === 0;
    if (example === 'cleanPerson') return profile === Profile.WORKER && rank === 1;
    return profile === Profile.WORKER_SUSPECT && rank === 0;
  }

  private recordRenewedPassportExample(reportNumber: string): void {
    const [old] = this.records.passports;
    const current = this.records.passports[this.records.passports.length - 1];
    const activeRptka = this.records.workPermits[this.records.workPermits.length - 1];
    const registration = this.records.registrations[0];
    if (old === current || activeRptka.workerPassportNumber !== old.number || registration.passportNumber !== old.number) {
      throw new Error(`Demo data: the renewed-passport example (person ${this.index}) is not filed under the old passport`);
    }
    this.examples.renewedPassport = {
      personId: this.personId,
      oldPassport: { number: old.number, country: old.country },
      currentPassport: { number: current.number, country: current.country },
      rptkaNumber: activeRptka.rptkaNumber,
      reportNumber,
      registrationNumber: registration.registrationNumber,
    };
  }

  /**
   * Runs the finding rules on this person's own rows and insists they find exactly what the
   * profile planted: a generator bug fails loudly instead of skewing the figures.
   */
  private verify(): PlantedViolation[] {
    const records = this.records;
    const ownParties: MatchedParty[] = records.parties
      .filter((party) => party.nationality !== null)
      .map((party) => ({
        party,
        report: records.reports.find((report) => report.id === party.reportId)!,
        matchedBy: party.passportNumber ? ('PASSPORT' as const) : ('NAME_BIRTH_DATE_NATIONALITY' as const),
      }));
    const violations = checkPerson(
      { person: records.person, passports: records.passports, stayPermits: records.stayPermits, crossings: records.crossings, workPermits: records.workPermits, parties: ownParties },
      fromDay(this.today),
      this.context.regencyOfEmployer,
    );
    const found = violations.map((violation) => violation.kind).sort().join(',');
    const planted = [...PLANTED[this.profile]].sort().join(',');
    if (found !== planted) {
      throw new Error(`Demo data: person ${this.index} (${this.profile}) shows [${found}] instead of [${planted}]`);
    }
    if (this.isExample('cleanPerson')) this.recordCleanPersonExample();
    return violations;
  }

  private recordCleanPersonExample(): void {
    const today = fromDay(this.today);
    const permit = this.records.stayPermits.find((stay) => stay.validFrom <= today && today <= stay.validUntil && stay.kind === StayPermitKind.LIMITED)!;
    const rptka = this.records.workPermits.find((work) => work.validFrom <= today && today <= work.validUntil)!;
    const current = this.records.passports[this.records.passports.length - 1];
    this.examples.cleanPerson = {
      personId: this.personId,
      passport: { number: current.number, country: current.country },
      employerNib: rptka.employerNib,
      rptkaNumber: rptka.rptkaNumber,
      stayPermitNumber: permit.permitNumber,
    };
  }
}

function companySponsor(employer: Employer): Sponsor {
  return { type: SponsorType.COMPANY, nib: employer.nib, name: employer.name };
}
