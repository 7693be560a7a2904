import { Field, InputType } from 'type-graphql';
import { LocalDateResolver } from '../shared/scalars';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { keysetPage, wholeNumberFromEnv } from '../shared/pagination';
import { nameKey } from '../shared/text';
import { normalizeCountryCode, normalizePassportNumber, requireNib } from '../shared/validation';
import { matchRegency, RegencyMatch, RegencySource, whereRegency } from '../shared/geography';
import { Sector } from '../shared/sectors';
import { Identity } from '../../lib/auth';
import { errors } from '../../lib/errors';
import { READERS } from '../shared/access';
import { EmploymentSearchRow, RECORDED_ACTIVE_RPTKA } from './entities/employment-search';
import { ForeignNational } from './entities/foreign-national';
import { Passport } from './entities/passport';
import { StayPermit } from './entities/stay-permit';
import { PermitStatus, RecordedPermitStatus, StayPermitKind } from './enums';

@InputType({ description: 'All given criteria must hold.' })
export class ForeignNationalFilter {
  @Field({ nullable: true, description: 'Part of the name; case and accents are ignored.' })
  name?: string;

  @Field({ nullable: true, description: 'ISO 3166-1 alpha-3' })
  nationality?: string;

  @Field({ nullable: true, description: 'Any passport of the person, current or earlier.' })
  passportNumber?: string;

  @Field(() => LocalDateResolver, {
    nullable: true,
    description: 'Needs the pii clearance (dates of birth are masked without it): FORBIDDEN otherwise.',
  })
  dateOfBirth?: string;

  @Field(() => StayPermitKind, {
    nullable: true,
    description:
      'Narrows the permit the status filters look at to this kind (with permitStatus: the permit the person ' +
      'stands on; with anyPermitStatus: a permit with that status); alone: holds a permit of this kind, current or not.',
  })
  permitKind?: StayPermitKind;

  @Field(() => PermitStatus, {
    nullable: true,
    description:
      'The status today of the permit the person stands on: ACTIVE when they hold a currentStayPermit, else the ' +
      'status of their permit that ends last. EXPIRED: their last permit has run out (with inCountry: true, the ' +
      'overstay candidates). For any of their permits, current or not, use anyPermitStatus.',
  })
  permitStatus?: PermitStatus;

  @Field(() => PermitStatus, {
    nullable: true,
    description:
      'Holds some permit with this status today, the one they stand on or another (EXPIRED: an expired permit, renewed since or not).',
  })
  anyPermitStatus?: PermitStatus;

  @Field({
    nullable: true,
    description:
      'Domicile regency on the permit that ends last; case, accents and extra spaces are ignored. A regency ' +
      'neither in the Kalbar list nor in any stay permit is BAD_USER_INPUT, naming the known ones.',
  })
  regency?: string;

  @Field({ nullable: true, description: 'Last recorded crossing is an entry (true) or not (false).' })
  inCountry?: boolean;

  @Field({ nullable: true, description: 'Holds an active RPTKA at this employer (manpower data).' })
  employerNib?: string;

  @Field(() => Sector, { nullable: true, description: 'Holds an active RPTKA at an employer of this sector.' })
  employerSector?: Sector;
}

/**
 * The filters on values masked without the pii clearance, refused without it (access.ts,
 * refuseMaskedFilters): a birth date can be enumerated. `passportNumber` is not one: it matches a
 * whole number exactly, so it only confirms a number the caller already holds in full.
 */
export const PII_FILTERS = ['dateOfBirth'] as const satisfies readonly (keyof ForeignNationalFilter)[];

/** Where immigration records regencies, for matching regency arguments: the domicile on each stay permit (indexed). */
export const DOMICILE_REGENCIES: RegencySource<StayPermit> = { entity: StayPermit, property: 'domicileRegency' };

export interface PageRequest {
  first: number | null;
  after: string | null;
  /** The operation selects the count: start it beside the page (pagination.selectsCount). */
  countNow?: boolean;
}

/**
 * SEARCH_NAME_WALK_LIMIT: how many persons in name order a name part's page is looked for among
 * before its matches are read through the trigram index and sorted (keysetPage's walkLimit). Read
 * per search, so a test can lower it.
 */
export const DEFAULT_NAME_WALK_LIMIT = 10_000;
export const nameWalkLimitFromEnv = (env: NodeJS.ProcessEnv = process.env) =>
  wholeNumberFromEnv('SEARCH_NAME_WALK_LIMIT', DEFAULT_NAME_WALK_LIMIT, env);

/** One page of foreign nationals in (name, id) order, filtered in SQL. */
export async function searchForeignNationals(
  db: DataSource,
  today: string,
  filter: ForeignNationalFilter | null,
  { first, after, countNow }: PageRequest,
) {
  const query = db.getRepository(ForeignNational).createQueryBuilder('person');
  const regency = await matchRegency(db, filter?.regency, DOMICILE_REGENCIES);
  if (filter) applyFilter(query, filter, regency, today);
  // A name part is found by the trigram index, not in name order (see walkLimit).
  const order = {
    alias: 'person',
    sortBy: 'nameKey' as const,
    walkLimit: filter?.name ? nameWalkLimitFromEnv() : undefined,
  };
  return keysetPage(query, order, first, after, countNow);
}

function applyFilter(
  query: SelectQueryBuilder<ForeignNational>,
  filter: ForeignNationalFilter,
  regency: RegencyMatch | null,
  today: string,
) {
  if (filter.name)
    query.andWhere("person.nameKey LIKE :name ESCAPE '\\'", { name: `%${escapeLike(nameKey(filter.name))}%` });
  if (filter.nationality)
    query.andWhere('person.nationality = :nationality', {
      nationality: normalizeCountryCode(filter.nationality, 'nationality'),
    });
  if (filter.dateOfBirth) query.andWhere('person.dateOfBirth = :dateOfBirth', { dateOfBirth: filter.dateOfBirth });
  if (filter.passportNumber) {
    const holders = query
      .subQuery()
      .select('passport.personId')
      .from(Passport, 'passport')
      .where('passport.number = :passportNumber', {
        passportNumber: normalizePassportNumber(filter.passportNumber, 'passportNumber'),
      });
    query.andWhere(`person.id IN ${holders.getQuery()}`, holders.getParameters());
  }
  const narrowPersons = Boolean(regency || filter.name || filter.passportNumber || filter.dateOfBirth);
  const kind = filter.permitKind;
  if (filter.permitStatus) applyStandingFilter(query, filter.permitStatus, kind, today);
  if (filter.anyPermitStatus || (kind && !filter.permitStatus))
    applyAnyPermitFilter(query, filter.anyPermitStatus, kind, today, narrowPersons);
  // Search columns (search-columns.ts): index reads instead of a newest-record lookup per person.
  whereRegency(query, 'person.latestDomicileRegency', regency);
  if (filter.inCountry != null)
    query.andWhere('person.lastCrossingIsEntry = :inCountry', { inCountry: filter.inCountry });
  if (filter.employerNib || filter.employerSector) applyEmploymentFilter(query, filter, today, narrowPersons);
}

/**
 * The persons whose standing permit (rules.standingPermit) has this status, and this kind when
 * given, from the search columns of the permit that ends last (search-columns.ts). When no permit
 * is active the standing permit is that last one; when its own dates say it is expired, no permit
 * can be active (all end no later), so EXPIRED is a condition on the person row alone. CANCELLED,
 * CONVERTED and NOT_YET_VALID also need "no active permit": one probe per candidate. ACTIVE is the
 * last permit when it is active; only the few whose last permit is not (a renewal not yet valid, a
 * later permit cancelled) are probed for another active one.
 */
function applyStandingFilter(
  query: SelectQueryBuilder<ForeignNational>,
  status: PermitStatus,
  kind: StayPermitKind | undefined,
  today: string,
) {
  const parameters = {
    today,
    recorded: RecordedPermitStatus.ACTIVE,
    standingStatus: status,
    ...(kind && { standingKind: kind }),
  };
  const lastIsActive = `(${statusCondition(PermitStatus.ACTIVE, 'person', 'standingStatus', 'latestPermit')})`;
  if (status === PermitStatus.ACTIVE) {
    const lastKind = kind ? ' AND person.latestPermitKind = :standingKind' : '';
    // Another permit can be active only when the last one is not and has not ended: the few
    // probed (no permit at all: false, not unknown, so nobody is probed for nothing).
    const mayStandOnAnother = `COALESCE(person.latestPermitValidUntil >= :today, false) AND NOT ${lastIsActive}`;
    const other = activePermits(query, kind);
    query.andWhere(`((${lastIsActive}${lastKind}) OR (${mayStandOnAnother} AND EXISTS ${probe(other)}))`, {
      ...parameters,
      ...other.getParameters(),
    });
    return;
  }
  query.andWhere(statusCondition(status, 'person', 'standingStatus', 'latestPermit'), parameters);
  if (kind) query.andWhere('person.latestPermitKind = :standingKind', parameters);
  if (status !== PermitStatus.EXPIRED) query.andWhere(`NOT EXISTS ${probe(activePermits(query))}`, parameters);
}

/**
 * A correlated subquery run as one index probe per candidate person, the candidates being few
 * (decided by the person row first): `OFFSET 0` keeps PostgreSQL from rewriting the EXISTS into
 * a join or a hashed list of every person's active permits (measured: 0.3 to 2 s at 200,000
 * persons, against 0.03 ms a probe). SQLite probes EXISTS per row anyway.
 */
function probe(subquery: { getQuery(): string }): string {
  return `${subquery.getQuery().replace(/\)$/, '')} LIMIT 1 OFFSET 0)`;
}

/** The person's active permits (of this kind: only the one they stand on, none outranking it). */
function activePermits(query: SelectQueryBuilder<ForeignNational>, kind?: StayPermitKind) {
  const permits = query
    .subQuery()
    .select('1')
    .from(StayPermit, 'permit')
    .where(`permit.personId = person.id AND ${statusCondition(PermitStatus.ACTIVE, 'permit')}`);
  if (!kind) return permits;
  const outranking = query
    .subQuery()
    .select('1')
    .from(StayPermit, 'other')
    .where(`other.personId = permit.personId AND ${outranks('other', 'permit')}`);
  return permits.andWhere(`permit.kind = :standingKind AND NOT EXISTS ${outranking.getQuery()}`);
}

/** The persons holding any permit of this status and kind (anyPermitStatus, or a kind alone). */
function applyAnyPermitFilter(
  query: SelectQueryBuilder<ForeignNational>,
  status: PermitStatus | undefined,
  kind: StayPermitKind | undefined,
  today: string,
  narrowPersons: boolean,
) {
  const permits = query.subQuery().from(StayPermit, 'permit').where('1 = 1');
  if (kind) permits.andWhere('permit.kind = :anyKind', { anyKind: kind });
  if (status)
    permits.andWhere(statusCondition(status, 'permit', 'anyStatus'), {
      today,
      recorded: RecordedPermitStatus.ACTIVE,
      anyStatus: status,
    });
  // SQLite runs IN (…) by listing every holder first, fast when the permits are the narrow side
  // (active VISIT permits), and EXISTS as one index probe per candidate person, fast when the
  // persons are (one regency, a name); PostgreSQL plans both as the same semi-join.
  if (narrowPersons)
    query.andWhere(
      `EXISTS ${permits.select('1').andWhere('permit.personId = person.id').getQuery()}`,
      permits.getParameters(),
    );
  else query.andWhere(`person.id IN ${permits.select('permit.personId').getQuery()}`, permits.getParameters());
}

/**
 * The SQL of rules.standingPermit between two active permits of one person: `other` comes before
 * `permit` (the one that ends last, the later start, the smaller id), so `permit` is the standing
 * one when no other does. Without a sort, so the database can answer it from the
 * stay_permit_person_end index: a seek per candidate, the person's few permits read.
 */
function outranks(other: string, permit: string): string {
  const endsLater =
    `(${other}.validUntil > ${permit}.validUntil OR (${other}.validUntil = ${permit}.validUntil AND ` +
    `(${other}.validFrom > ${permit}.validFrom OR (${other}.validFrom = ${permit}.validFrom AND ${other}.id < ${permit}.id))))`;
  return `${statusCondition(PermitStatus.ACTIVE, other)} AND ${endsLater}`;
}

/**
 * Employment is manpower's data, read here from immigration's search projection of it
 * (entities/employment-search.ts, kept by tools/employment-projection.ts on every manpower
 * write): the persons holding a passport on an RPTKA active today at the employer or in the
 * sector. One SQL statement with the rest of the filter (paging and count included), no list of
 * passport keys between services, whatever the number of workers. Who may filter by employment
 * is still manpower's rule (READERS.employment), applied by refuseEmploymentFilters.
 */
function applyEmploymentFilter(
  query: SelectQueryBuilder<ForeignNational>,
  filter: ForeignNationalFilter,
  today: string,
  narrowPersons: boolean,
) {
  const jobs = query
    .subQuery()
    .from(EmploymentSearchRow, 'job')
    .where('job.recordedStatus = :jobStatus AND job.validFrom <= :today AND job.validUntil >= :today', {
      jobStatus: RECORDED_ACTIVE_RPTKA,
      today,
    });
  if (filter.employerNib)
    jobs.andWhere('job.employerNib = :employerNib', { employerNib: requireNib(filter.employerNib, 'employerNib') });
  if (filter.employerSector) jobs.andWhere('job.sector = :employerSector', { employerSector: filter.employerSector });
  // As for permits: EXISTS probes per person when the persons are the narrow side, IN lists the workers.
  if (narrowPersons)
    query.andWhere(`EXISTS ${jobs.select('1').andWhere('job.personId = person.id').getQuery()}`, jobs.getParameters());
  else query.andWhere(`person.id IN ${jobs.select('job.personId').getQuery()}`, jobs.getParameters());
}

/** The employer filters read manpower's data: manpower's readers only, as when manpower answered them. */
export function refuseEmploymentFilters(identity: Identity, filter: ForeignNationalFilter | null): void {
  if (!filter?.employerNib && !filter?.employerSector) return;
  if (READERS.employment.some((role) => identity.roles.includes(role))) return;
  throw errors.forbidden(
    `the employerNib and employerSector filters read manpower's records, not for your role (${identity.roles.join(', ') || 'none'}); they need one of: ${READERS.employment.join(', ')}`,
  );
}

/**
 * The SQL of rules.permitStatus: recorded cancellations and conversions win, then the dates. On a
 * permit (`permit.validFrom`…) or on a person's search columns of their last permit (`prefix`
 * latestPermit: `person.latestPermitValidFrom`…).
 */
function statusCondition(status: PermitStatus, alias: string, statusParameter = 'status', prefix = ''): string {
  const column = (name: string) => `${alias}.${prefix ? prefix + name[0].toUpperCase() + name.slice(1) : name}`;
  const [recorded, from, until] = [column('recordedStatus'), column('validFrom'), column('validUntil')];
  switch (status) {
    case PermitStatus.ACTIVE:
      return `${recorded} = :recorded AND ${from} <= :today AND ${until} >= :today`;
    case PermitStatus.EXPIRED:
      return `${recorded} = :recorded AND ${until} < :today`;
    case PermitStatus.NOT_YET_VALID:
      return `${recorded} = :recorded AND ${from} > :today`;
    default:
      return `${recorded} = :${statusParameter}`;
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}
