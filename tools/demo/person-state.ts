/** The state one person's generation shares between the rooms: who they are, the plan of their life, the rows so far. */
import { AdministrativeAction } from '../../subgraphs/immigration/entities/administrative-action';
import { BorderCrossing } from '../../subgraphs/immigration/entities/border-crossing';
import { ForeignNational } from '../../subgraphs/immigration/entities/foreign-national';
import { Passport } from '../../subgraphs/immigration/entities/passport';
import { StayPermit } from '../../subgraphs/immigration/entities/stay-permit';
import {
  AdministrativeActionKind,
  RecordedPermitStatus,
  Sex,
  SponsorType,
  StayPermitKind,
  StayPurpose,
} from '../../subgraphs/immigration/enums';
import { WorkPermit } from '../../subgraphs/manpower/entities/work-permit';
import { RecordedWorkPermitStatus } from '../../subgraphs/manpower/enums';
import { PoliceReport } from '../../subgraphs/police/entities/police-report';
import { PresenceRegistration } from '../../subgraphs/police/entities/presence-registration';
import { ReportParty } from '../../subgraphs/police/entities/report-party';
import { Regency } from '../../subgraphs/shared/geography';
import { EmployerDirectory, GeneratedEmployer } from './employers';
import { Nationality } from './names';
import { RecordNumbers } from './numbers';
import { Group } from './population';
import { Random } from './prng';
import { Assignment, Profile } from './profiles';
import { DemoExamples } from './types';

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

export interface Sponsor {
  type: SponsorType;
  nib: string | null;
  name: string;
}

/** A planned stay permit, in day numbers. */
export interface StaySpec {
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

/** A time in the country: from an entry to the exit, or null while still here. */
export interface Interval {
  entry: number;
  exit: number | null;
}

export interface RptkaSpec {
  from: number;
  until: number;
  status: RecordedWorkPermitStatus;
}

export interface ActionSpec {
  kind: AdministrativeActionKind;
  day: number;
  reason: string;
  legalBasis: string;
  amount: number | null;
  office: string;
}

export interface PassportSpec {
  issued: number;
  expires: number;
  number: string;
}

/**
 * One person while being built: a timeline of stays and crossings first (in day numbers), then
 * passports that cover it, then the rows, each filed under the passport held on that day.
 */
export interface Person {
  readonly index: number;
  readonly assignment: Assignment;
  readonly profile: Profile;
  readonly context: PersonContext;
  /** The person's own random stream: the order of its draws decides the data. */
  readonly rng: Random;
  readonly today: number;
  readonly group: Group;
  readonly nationality: Nationality;
  readonly sex: Sex;
  readonly dateOfBirth: number;
  readonly fullName: string;
  readonly personId: string;

  employer: GeneratedEmployer | null;
  sponsor: Sponsor;
  domicile: Regency;
  address: string;
  workRegencies: string[];
  position: string;

  readonly stays: StaySpec[];
  readonly intervals: Interval[];
  readonly rptkas: RptkaSpec[];
  readonly actions: ActionSpec[];
  passports: PassportSpec[];
  renewalDay: number | null;

  readonly records: PersonRecords;
  readonly examples: Partial<DemoExamples>;
}
