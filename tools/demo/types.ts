import { AdministrativeAction } from '../../subgraphs/immigration/entities/administrative-action';
import { BorderCrossing } from '../../subgraphs/immigration/entities/border-crossing';
import { ForeignNational } from '../../subgraphs/immigration/entities/foreign-national';
import { Passport } from '../../subgraphs/immigration/entities/passport';
import { StayPermit } from '../../subgraphs/immigration/entities/stay-permit';
import { Employer } from '../../subgraphs/manpower/entities/employer';
import { WorkPermit } from '../../subgraphs/manpower/entities/work-permit';
import { PoliceReport } from '../../subgraphs/police/entities/police-report';
import { PresenceRegistration } from '../../subgraphs/police/entities/presence-registration';
import { ReportParty } from '../../subgraphs/police/entities/report-party';
import { DateNoise, NameNoise } from './name-noise';

export interface DemoOptions {
  /** How many foreign nationals; DEFAULT_PERSONS reproduces the article's figures exactly. */
  persons?: number;
  seed?: number;
  /** "Today" (YYYY-MM-DD) the data is built around: permits are active, expired, overstayed on it. */
  anchor: string;
  /** Persons per batch (default 1000). */
  batchSize?: number;
}

export const FINDING_KINDS = [
  'OVERSTAY',
  'VISIT_PERMIT_WORKING',
  'SPONSOR_NOT_EMPLOYER',
  'WORK_OUTSIDE_PERMITTED_REGENCY',
  'WORK_WITHOUT_RPTKA',
  'WORK_AFTER_PERMIT_EXPIRED',
  'SUSPECT_IN_OPEN_REPORT',
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];

export interface PlantedViolation {
  kind: FindingKind;
  personId: string;
  /** The person's current passport. */
  passportNumber: string;
  nationality: string;
  /** Domicile regency of the current (or last) stay permit. */
  regency: string;
  employerNib?: string;
  /** Record numbers behind the finding: stay permit, RPTKA, police report. */
  evidence: string[];
  details?: Record<string, unknown>;
}

export interface ImmigrationRows {
  foreignNationals: ForeignNational[];
  passports: Passport[];
  stayPermits: StayPermit[];
  borderCrossings: BorderCrossing[];
  administrativeActions: AdministrativeAction[];
}

export interface ManpowerRows {
  employers: Employer[];
  workPermits: WorkPermit[];
}

export interface PoliceRows {
  policeReports: PoliceReport[];
  reportParties: ReportParty[];
  presenceRegistrations: PresenceRegistration[];
}

export interface DemoBatch {
  immigration: ImmigrationRows;
  manpower: ManpowerRows;
  police: PoliceRows;
  violations: PlantedViolation[];
  /** Persons generated so far, this batch included. */
  personsDone: number;
  /** Examples found in this batch (the manifest keeps the first of each). */
  examples: Partial<DemoExamples>;
  /** Who each police record without passport of this batch really is (unidentified.ts). */
  identityTruth: IdentityTruth[];
}

/** The truth about one police record without passport: whom it names, and how it was written. */
export interface IdentityTruth {
  recordKind: 'POLICE_REPORT_PARTY' | 'PRESENCE_REGISTRATION';
  recordId: string;
  /** The person it is about; null for a decoy, someone immigration does not know. */
  personId: string | null;
  nameNoise: NameNoise;
  dateNoise: DateNoise;
  nationalityMissing: boolean;
  decoy: 'SIMILAR_NAME' | 'SAME_NAME_OTHER_BIRTH_DATE' | 'NOBODY' | null;
  /** The record as written: what an analyst would type into identityCandidates. */
  writtenName: string;
  writtenDateOfBirth: string | null;
  writtenNationality: string | null;
}

export interface PassportRef {
  number: string;
  country: string;
}

export interface DemoExamples {
  /** A worker whose RPTKA, a police report party and a presence registration carry an old passport. */
  renewedPassport: {
    personId: string;
    oldPassport: PassportRef;
    currentPassport: PassportRef;
    rptkaNumber: string;
    reportNumber: string;
    registrationNumber: string;
  };
  /** A person a police report knows only by name, date of birth and nationality (unique among persons). */
  nameOnlyPoliceMatch: {
    personId: string;
    reportNumber: string;
    role: string;
    fullName: string;
    dateOfBirth: string;
    nationality: string;
  };
  /** No finding, an active ITAS work permit and an employer. */
  cleanPerson: {
    personId: string;
    passport: PassportRef;
    employerNib: string;
    rptkaNumber: string;
    stayPermitNumber: string;
  };
}

export interface DemoManifest {
  seed: number;
  persons: number;
  anchor: string;
  batchSize: number;
  /** Rows per table, by table name (foreign_national, stay_permit, ...). */
  counts: Record<string, number>;
  /** Persons by the kind of their active stay permit on the anchor date. */
  activePermitHolders: { VISIT: number; LIMITED: number; PERMANENT: number };
  /** Persons by domicile regency of their current or last stay permit. */
  personsByRegency: Record<string, number>;
  personsByNationality: Record<string, number>;
  /** Active work permits by the employer's sector. */
  activeWorkPermitsBySector: Record<string, number>;
  violationsByKind: Record<FindingKind, number>;
  /** Every violation, unless the run is large: then the first ones and `violationsFile`. */
  violations: PlantedViolation[];
  violationsComplete: boolean;
  /** JSON Lines file beside the manifest holding every violation (large runs only). */
  violationsFile?: string;
  examples: DemoExamples;
  /** Entity resolution's ground truth: every police record without passport (the first ones, in large runs). */
  identityTruth: IdentityTruth[];
  identityTruthComplete: boolean;
}
