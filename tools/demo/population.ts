import { StayPurpose } from '../../subgraphs/immigration/enums';
import { PartyRole } from '../../subgraphs/police/enums';
import { Regency } from '../../subgraphs/shared/geography';

/**
 * Who comes to Kalimantan Barat and how they stay: nationality mix, ages, where they live, which
 * permits they hold and for how long. Weights are relative; each table is a constant so the
 * random picker can precompute its running sums once.
 */

export type Group = 'visit' | 'work' | 'invest' | 'study' | 'family' | 'retire';

/** Nationality mix per kind of stay: workers are mostly Chinese, visitors mostly Malaysian. */
export const NATIONALITY_WEIGHTS: Readonly<Record<Group, Record<string, number>>> = {
  work: {
    CHN: 60,
    IND: 11,
    MYS: 8,
    PHL: 5,
    VNM: 3.5,
    KOR: 3,
    TWN: 3,
    JPN: 2,
    AUS: 1,
    BGD: 1,
    THA: 0.8,
    USA: 0.6,
    GBR: 0.5,
    DEU: 0.4,
    SGP: 0.4,
  },
  visit: { MYS: 42, CHN: 16, SGP: 8, IND: 5, AUS: 5, USA: 4, NLD: 4, GBR: 4, JPN: 3, KOR: 3, PHL: 2, DEU: 2, FRA: 2 },
  family: { MYS: 30, CHN: 24, PHL: 10, IND: 8, KOR: 4, JPN: 4, NLD: 4, AUS: 3, USA: 3, GBR: 3, TWN: 3, SGP: 3, VNM: 1 },
  invest: { CHN: 45, MYS: 20, SGP: 12, KOR: 6, TWN: 6, JPN: 5, IND: 4, AUS: 2 },
  study: { MYS: 30, CHN: 15, THA: 15, VNM: 10, IND: 8, BGD: 8, KOR: 7, JPN: 7 },
  retire: { NLD: 20, AUS: 20, GBR: 15, JPN: 15, USA: 10, DEU: 10, FRA: 5, KOR: 5 },
};

export const AGE_RANGE: Readonly<Record<Group, [number, number]>> = {
  work: [24, 58],
  visit: [20, 70],
  family: [22, 60],
  invest: [30, 65],
  study: [19, 32],
  retire: [61, 75],
};

export const MALE_SHARE: Readonly<Record<Group, number>> = {
  work: 0.9,
  visit: 0.58,
  family: 0.3,
  invest: 0.85,
  study: 0.5,
  retire: 0.7,
};

/** Where people who do not follow an employer live. */
export const DOMICILE_WEIGHTS: Readonly<Record<Group, Partial<Record<Regency, number>>>> = {
  visit: {
    Pontianak: 34,
    Singkawang: 15,
    Sanggau: 12,
    Ketapang: 12,
    'Kubu Raya': 10,
    Bengkayang: 6,
    Sambas: 6,
    'Kapuas Hulu': 5,
  },
  family: {
    Ketapang: 28,
    Pontianak: 28,
    'Kubu Raya': 12,
    Singkawang: 10,
    Sanggau: 8,
    Mempawah: 5,
    Sintang: 5,
    Sambas: 4,
  },
  study: { Pontianak: 80, Singkawang: 10, 'Kubu Raya': 10 },
  retire: { Pontianak: 40, Singkawang: 30, 'Kubu Raya': 15, Mempawah: 15 },
  work: {},
  invest: {},
};

export type LimitedVisa = 'E23' | 'E28A' | 'E30' | 'E31' | 'E33';
export type VisitVisa = 'B1' | 'C1' | 'D1';

export const LIMITED_PURPOSE: Readonly<Record<LimitedVisa, StayPurpose>> = {
  E23: StayPurpose.WORK,
  E28A: StayPurpose.INVESTMENT,
  E30: StayPurpose.STUDY,
  E31: StayPurpose.FAMILY,
  E33: StayPurpose.RETIREMENT,
};

/** ITAS runs 6 months to 2 years (investors 2 here, up to 10 allowed); lengths in days. */
export const LIMITED_LENGTHS: Readonly<Record<LimitedVisa, Record<string, number>>> = {
  E23: { 365: 60, 730: 25, 180: 15 },
  E28A: { 730: 100 },
  E30: { 365: 100 },
  E31: { 365: 60, 730: 40 },
  E33: { 365: 100 },
};

export const GROUP_VISA: Readonly<Partial<Record<Group, LimitedVisa>>> = {
  work: 'E23',
  invest: 'E28A',
  study: 'E30',
  family: 'E31',
  retire: 'E33',
};

/** How many earlier ITAS permits (renewals) a holder has behind the last one. */
export const PRIOR_PERMITS: Readonly<Record<Group, Record<string, number>>> = {
  work: { 0: 35, 1: 30, 2: 20, 3: 15 },
  family: { 0: 40, 1: 35, 2: 25 },
  invest: { 0: 60, 1: 40 },
  study: { 0: 60, 1: 40 },
  retire: { 0: 50, 1: 30, 2: 20 },
  visit: { 0: 100 },
};

export const VISIT_VISAS: Record<VisitVisa, number> = { B1: 30, C1: 50, D1: 20 };
export const VISIT_EXTENSIONS = { 0: 60, 1: 30, 2: 10 };
export const EARLIER_VISITS = { 0: 65, 1: 20, 2: 10, 3: 5 };
export const DEPARTED_GROUPS: Record<Group, number> = {
  visit: 45,
  work: 45,
  family: 6,
  study: 4,
  invest: 0,
  retire: 0,
};
export const DEPARTURES_OF_WORKERS = { normal: 92, charged: 4, deported: 3, cancelled: 1 };
export const DEPARTURES_OF_OTHERS = { normal: 93, charged: 4, deported: 3, cancelled: 0 };
export const ORDINARY_ROLES = {
  [PartyRole.VICTIM]: 35,
  [PartyRole.WITNESS]: 30,
  [PartyRole.REPORTER]: 20,
  [PartyRole.SUSPECT]: 15,
} as Record<PartyRole, number>;

export const ITAP_DAYS = 5 * 365;
export const RPTKA_MAX_DAYS = 730;
