import { FindingKind } from './types';
import { Permutation } from './prng';

/**
 * What each person's records will show on the anchor date. The default set deals exactly these
 * counts, which is how it reproduces the article's 75 / 1,131 / 65 active permit holders; larger
 * and smaller runs scale every count.
 */
export enum Profile {
  // Active VISIT permit (75 in the default set)
  VISITOR = 'VISITOR',
  VISITOR_WORKING = 'VISITOR_WORKING',
  // Active LIMITED permit, ITAS (1,131)
  WORKER = 'WORKER',
  INVESTOR = 'INVESTOR',
  STUDENT = 'STUDENT',
  FAMILY = 'FAMILY',
  RETIREE = 'RETIREE',
  WORKER_SPONSOR_MISMATCH = 'WORKER_SPONSOR_MISMATCH',
  WORKER_OUTSIDE_REGENCY = 'WORKER_OUTSIDE_REGENCY',
  WORKER_WITHOUT_RPTKA = 'WORKER_WITHOUT_RPTKA',
  WORKER_SUSPECT = 'WORKER_SUSPECT',
  // Active PERMANENT permit, ITAP (65)
  PERMANENT_WORKER = 'PERMANENT_WORKER',
  PERMANENT_FAMILY = 'PERMANENT_FAMILY',
  PERMANENT_FAMILY_SUSPECT = 'PERMANENT_FAMILY_SUSPECT',
  // No active permit
  OVERSTAYER_SHORT = 'OVERSTAYER_SHORT',
  OVERSTAYER_LONG = 'OVERSTAYER_LONG',
  OVERSTAYER_REFERRED = 'OVERSTAYER_REFERRED',
  WORKER_EXPIRED_IN_COUNTRY = 'WORKER_EXPIRED_IN_COUNTRY',
  WORKER_EXPIRED_DEPARTED = 'WORKER_EXPIRED_DEPARTED',
  DEPARTED = 'DEPARTED',
}

/** The findings each profile is built to show; every other profile must show none. */
export const PLANTED: Readonly<Record<Profile, readonly FindingKind[]>> = {
  [Profile.VISITOR]: [],
  [Profile.VISITOR_WORKING]: ['VISIT_PERMIT_WORKING'],
  [Profile.WORKER]: [],
  [Profile.INVESTOR]: [],
  [Profile.STUDENT]: [],
  [Profile.FAMILY]: [],
  [Profile.RETIREE]: [],
  [Profile.WORKER_SPONSOR_MISMATCH]: ['SPONSOR_NOT_EMPLOYER'],
  [Profile.WORKER_OUTSIDE_REGENCY]: ['WORK_OUTSIDE_PERMITTED_REGENCY'],
  [Profile.WORKER_WITHOUT_RPTKA]: ['WORK_WITHOUT_RPTKA'],
  [Profile.WORKER_SUSPECT]: ['SUSPECT_IN_OPEN_REPORT'],
  [Profile.PERMANENT_WORKER]: [],
  [Profile.PERMANENT_FAMILY]: [],
  [Profile.PERMANENT_FAMILY_SUSPECT]: ['SUSPECT_IN_OPEN_REPORT'],
  [Profile.OVERSTAYER_SHORT]: ['OVERSTAY'],
  [Profile.OVERSTAYER_LONG]: ['OVERSTAY'],
  [Profile.OVERSTAYER_REFERRED]: ['OVERSTAY', 'SUSPECT_IN_OPEN_REPORT'],
  [Profile.WORKER_EXPIRED_IN_COUNTRY]: ['OVERSTAY', 'WORK_AFTER_PERMIT_EXPIRED'],
  [Profile.WORKER_EXPIRED_DEPARTED]: ['WORK_AFTER_PERMIT_EXPIRED'],
  [Profile.DEPARTED]: [],
};

/** The default set: 75 VISIT, 1,131 LIMITED and 65 PERMANENT active holders, as in the article. */
const DEFAULT_COUNTS: Readonly<Record<Exclude<Profile, Profile.DEPARTED>, number>> = {
  [Profile.VISITOR]: 70,
  [Profile.VISITOR_WORKING]: 5,
  [Profile.WORKER]: 984,
  [Profile.INVESTOR]: 35,
  [Profile.STUDENT]: 12,
  [Profile.FAMILY]: 60,
  [Profile.RETIREE]: 8,
  [Profile.WORKER_SPONSOR_MISMATCH]: 8,
  [Profile.WORKER_OUTSIDE_REGENCY]: 8,
  [Profile.WORKER_WITHOUT_RPTKA]: 10,
  [Profile.WORKER_SUSPECT]: 6,
  [Profile.PERMANENT_WORKER]: 25,
  [Profile.PERMANENT_FAMILY]: 39,
  [Profile.PERMANENT_FAMILY_SUSPECT]: 1,
  [Profile.OVERSTAYER_SHORT]: 4,
  [Profile.OVERSTAYER_LONG]: 3,
  [Profile.OVERSTAYER_REFERRED]: 2,
  [Profile.WORKER_EXPIRED_IN_COUNTRY]: 3,
  [Profile.WORKER_EXPIRED_DEPARTED]: 2,
};

export const DEFAULT_PERSONS = 1600;
/** The article's date, 18 June 2025, as a number. */
export const DEFAULT_SEED = 20250618;
export const MIN_PERSONS = 20;

/** Profiles whose first members carry the manifest's cross-agency examples, so these must exist. */
const AT_LEAST_ONE: readonly Profile[] = [Profile.WORKER_SUSPECT];
const AT_LEAST_TWO: readonly Profile[] = [Profile.WORKER];

export function profileCounts(persons: number): Record<Profile, number> {
  const counts = {} as Record<Profile, number>;
  let assigned = 0;
  for (const [profile, count] of Object.entries(DEFAULT_COUNTS) as [Profile, number][]) {
    let scaled = Math.round((count * persons) / DEFAULT_PERSONS);
    if (AT_LEAST_ONE.includes(profile)) scaled = Math.max(1, scaled);
    if (AT_LEAST_TWO.includes(profile)) scaled = Math.max(2, scaled);
    counts[profile] = scaled;
    assigned += scaled;
  }
  counts[Profile.DEPARTED] = persons - assigned;
  if (counts[Profile.DEPARTED] < 0) throw new Error(`Cannot deal profiles to ${persons} persons`);
  return counts;
}

export interface Assignment {
  profile: Profile;
  /** 0 for the first person dealt this profile: used to pin the manifest's examples. */
  rank: number;
}

/**
 * Deals profiles to person indices through a keyed permutation: planted cases are spread over the
 * whole run instead of bunched at its start, yet nothing is held per person.
 */
export class ProfilePlan {
  readonly counts: Record<Profile, number>;
  private readonly permutation: Permutation;
  private readonly ranges: { profile: Profile; start: number; end: number }[] = [];

  constructor(persons: number, seed: number) {
    this.counts = profileCounts(persons);
    this.permutation = new Permutation(persons, seed);
    let start = 0;
    for (const [profile, count] of Object.entries(this.counts) as [Profile, number][]) {
      this.ranges.push({ profile, start, end: start + count });
      start += count;
    }
  }

  assign(index: number): Assignment {
    const position = this.permutation.apply(index);
    const range = this.ranges.find((candidate) => position < candidate.end)!;
    return { profile: range.profile, rank: position - range.start };
  }
}
