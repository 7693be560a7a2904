import { Field, InputType } from 'type-graphql';
import { LocalDateResolver } from '../shared/scalars';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { keysetPage } from '../shared/pagination';
import { nameKey } from '../shared/text';
import { normalizeCountryCode, normalizePassportNumber, requireNib } from '../shared/validation';
import { matchRegency, RegencyMatch, RegencySource, whereRegency } from '../shared/geography';
import { Sector } from '../shared/sectors';
import { inJsonList, isPostgres } from '../../lib/database';
import { passportKey } from '../shared/match-keys';
import { queryPeer } from '../shared/gateway-client';
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

/** Where manpower answers, and a fresh delegation to ask it on the user's behalf. */
export interface Manpower {
  url: string | undefined;
  assertion: () => Promise<string>;
}

/**
 * The filters on values masked without the pii clearance, refused without it (access.ts,
 * refuseMaskedFilters): a birth date can be enumerated. `passportNumber` is not one: it matches a
 * whole number exactly, so it only confirms a number the caller already holds in full.
 */
export const PII_FILTERS = ['dateOfBirth'] as const satisfies readonly (keyof ForeignNationalFilter)[];

/** Where immigration records regencies, for matching regency arguments: the domicile on each stay permit (indexed). */
export const DOMICILE_REGENCIES: RegencySource<StayPermit> = { entity: StayPermit, property: 'domicileRegency' };

/** One page of foreign nationals in (name, id) order, filtered in SQL. */
export async function searchForeignNationals(
  db: DataSource,
  today: string,
  filter: ForeignNationalFilter | null,
  first: number | null,
  after: string | null,
  manpower?: Manpower,
) {
  const query = db.getRepository(ForeignNational).createQueryBuilder('person');
  const regency = await matchRegency(db, filter?.regency, DOMICILE_REGENCIES);
  if (filter) applyFilter(query, filter, regency, today);
  if (filter?.employerNib || filter?.employerSector) await applyEmploymentFilter(db, query, filter, manpower);
  return keysetPage(query, { alias: 'person', sortBy: 'nameKey' }, first, after);
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
  if (filter.permitStatus)
    applyPermitFilter(query, { status: filter.permitStatus, kind, standing: true }, today, narrowPersons);
  if (filter.anyPermitStatus || (kind && !filter.permitStatus))
    applyPermitFilter(query, { status: filter.anyPermitStatus, kind, standing: false }, today, narrowPersons);
  // Search columns (search-columns.ts): index reads instead of a newest-record lookup per person.
  whereRegency(query, 'person.latestDomicileRegency', regency);
  if (filter.inCountry != null)
    query.andWhere('person.lastCrossingIsEntry = :inCountry', { inCountry: filter.inCountry });
}

interface PermitCriteria {
  status?: PermitStatus;
  kind?: StayPermitKind;
  /** The status and kind are the standing permit's (rules.standingPermit), not just any permit's. */
  standing: boolean;
}

/** The persons holding a permit of this status and kind: the standing one, or any. */
function applyPermitFilter(
  query: SelectQueryBuilder<ForeignNational>,
  { status, kind, standing }: PermitCriteria,
  today: string,
  narrowPersons: boolean,
) {
  const permits = query.subQuery().from(StayPermit, 'permit').where('1 = 1');
  if (kind)
    permits.andWhere(`permit.kind = :${standing ? 'standingKind' : 'anyKind'}`, {
      [standing ? 'standingKind' : 'anyKind']: kind,
    });
  const statusParameter = standing ? 'standingStatus' : 'anyStatus';
  if (status)
    permits.andWhere(statusCondition(status, 'permit', statusParameter), {
      today,
      recorded: RecordedPermitStatus.ACTIVE,
      [statusParameter]: status,
    });
  // Any active permit makes the standing one active: only a kind, or another status, needs to
  // know the candidate is the standing permit itself.
  if (standing && status && (kind || status !== PermitStatus.ACTIVE)) {
    const outranking = query
      .subQuery()
      .select('1')
      .from(StayPermit, 'other')
      .where(`other.personId = permit.personId AND ${outranks('other', 'permit', status)}`);
    permits.andWhere(`NOT EXISTS ${outranking.getQuery()}`, { today, recorded: RecordedPermitStatus.ACTIVE });
  }
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
 * The SQL of rules.standingPermit as a condition on two permits of one person: `other` comes before
 * `permit` (active first, then the one that ends last, the later start, the smaller id), so
 * `permit` is the standing one when no other does. Without a sort, so the database can answer it
 * from the stay_permit_person_end index: a seek per candidate, the person's few permits read.
 */
function outranks(other: string, permit: string, status: PermitStatus): string {
  const active = statusCondition(PermitStatus.ACTIVE, other);
  const endsLater =
    `(${other}.validUntil > ${permit}.validUntil OR (${other}.validUntil = ${permit}.validUntil AND ` +
    `(${other}.validFrom > ${permit}.validFrom OR (${other}.validFrom = ${permit}.validFrom AND ${other}.id < ${permit}.id))))`;
  // Between two active permits, or two that are not, the order decides; an active one outranks
  // any other. Whatever outranks an active or expired permit ends no earlier: an index range.
  if (status === PermitStatus.ACTIVE) return `${active} AND ${endsLater}`;
  const range = status === PermitStatus.EXPIRED ? `${other}.validUntil >= ${permit}.validUntil AND ` : '';
  return `${range}(${active} OR ${endsLater})`;
}

const WORKER_PASSPORT_KEYS = `query WorkerPassportKeys($filter: WorkerFilter!) { workerPassportKeys(filter: $filter) }`;

/**
 * Employment is manpower's data: one request to manpower, on behalf of the same user, returns the
 * passport match keys on the matching active RPTKAs (not part of the public API, hence directly and
 * not through the gateway), and the person filter stays one SQL statement (paging and totalCount
 * included), whatever the number of workers.
 */
async function applyEmploymentFilter(
  db: DataSource,
  query: SelectQueryBuilder<ForeignNational>,
  filter: ForeignNationalFilter,
  manpower: Manpower | undefined,
) {
  const nib = filter.employerNib ? requireNib(filter.employerNib, 'employerNib') : undefined;
  const sector = filter.employerSector;
  const { workerPassportKeys } = await queryPeer<{ workerPassportKeys: string[] }>(
    manpower?.url,
    WORKER_PASSPORT_KEYS,
    { filter: { employerNib: nib, sector } },
    manpower ? await manpower.assertion() : '',
  );
  const holders = query.subQuery().select('passport.personId').from(Passport, 'passport');
  // A few workers (one employer): the number narrows through the passport index, one probe each.
  // Many (a whole sector) on PostgreSQL: one hash join over the passports is faster than 200,000
  // probes, and the planner, which cannot see the list's length, would not pick it (measured at
  // 1,000,000 persons: 5.2 s to 2.5 s for the count).
  const probe = !isPostgres(db) || workerPassportKeys.length < MANY_WORKERS;
  if (probe)
    holders.where(inJsonList(db, 'passport.number', 'workerNumbers'), {
      workerNumbers: JSON.stringify(workerPassportKeys.map((key) => passportKey.decode(key).number)),
    });
  holders.andWhere(inJsonList(db, passportKey.sql('passport.country', 'passport.number'), 'workerKeys'), {
    workerKeys: JSON.stringify(workerPassportKeys),
  });
  query.andWhere(`person.id IN ${holders.getQuery()}`, holders.getParameters());
}

const MANY_WORKERS = 5000;

/** The SQL of rules.permitStatus: recorded cancellations and conversions win, then the dates. */
function statusCondition(status: PermitStatus, alias: string, statusParameter = 'status'): string {
  switch (status) {
    case PermitStatus.ACTIVE:
      return `${alias}.recordedStatus = :recorded AND ${alias}.validFrom <= :today AND ${alias}.validUntil >= :today`;
    case PermitStatus.EXPIRED:
      return `${alias}.recordedStatus = :recorded AND ${alias}.validUntil < :today`;
    case PermitStatus.NOT_YET_VALID:
      return `${alias}.recordedStatus = :recorded AND ${alias}.validFrom > :today`;
    default:
      return `${alias}.recordedStatus = :${statusParameter}`;
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}
