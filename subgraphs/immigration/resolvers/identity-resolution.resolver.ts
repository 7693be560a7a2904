import { DateTimeISOResolver } from 'graphql-scalars';
import {
  Arg,
  Authorized,
  Ctx,
  Directive,
  Field,
  Float,
  FieldResolver,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  registerEnumType,
  Resolver,
  Root,
} from 'type-graphql';
import { Identity } from '../../../lib/auth';
import { errors } from '../../../lib/errors';
import { maskText, Pii, READERS, refuseMaskedFilters } from '../../shared/access';
import { nationalityCode } from '../../shared/countries';
import { identityKey } from '../../shared/match-keys';
import { Connection, keysetPage } from '../../shared/pagination';
import { SubgraphContext } from '../../shared/subgraph';
import { requireId } from '../../shared/validation';
import { ForeignNational } from '../entities/foreign-national';
import { IdentityDecisionEvent as DecisionEventRow, IdentityRecord as RecordRow } from '../entities/identity';
import { Sex } from '../enums';
import { PresenceRegistration, ReportParty } from '../external';
import { identifyRecord } from '../identity';
import { ImmigrationLoaders } from '../loaders';
import { DecidedCandidate } from '../matching/candidates';
import { MISSING } from '../matching/compare';
import { decide, DecisionChange } from '../matching/review';
import { Decision, RecordKind } from '../matching/decisions';
import { IdentityQuery, policeRecordQuery } from '../matching/matcher';

type Context = SubgraphContext<ImmigrationLoaders>;

registerEnumType(Decision, {
  name: 'IdentityDecisionKind',
  description:
    'What is decided about a record and a candidate: linked automatically (above IDENTITY_AUTO_LINK_PROBABILITY), ' +
    'waiting for review, not a match, or confirmed or rejected by an analyst.',
});
registerEnumType(RecordKind, { name: 'IdentityRecordKind' });

@InputType({ description: 'A person as a record names them; only the name is required.' })
export class IdentityInput {
  @Field()
  fullName: string;

  @Field(() => String, {
    nullable: true,
    description: 'YYYY-MM-DD, or YYYY when only the year is known (needs the pii clearance).',
  })
  dateOfBirth?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'An ISO 3166-1 alpha-3 code, a country name or an adjective: CHN, China, Tiongkok, Chinese.',
  })
  nationality?: string | null;

  @Field(() => Sex, { nullable: true })
  sex?: Sex | null;

  @Field(() => String, {
    nullable: true,
    description: 'All of a passport number or at least 4 of its characters (needs the pii clearance).',
  })
  passportNumber?: string | null;
}

@ObjectType({ description: 'One line of a score: the field, the level it compared at, and its weight (log2 odds).' })
export class IdentityEvidence {
  @Field({
    description: 'name, dateOfBirth, nationality, sex, passportNumber; prior (base rate); nameFrequency (rarity).',
  })
  field: string;

  @Field({ description: 'EXACT, CLOSE, SUBSET, PARTIAL, DAY_MONTH_SWAPPED, SAME_YEAR, DIFFERENT, MISSING…' })
  level: string;

  @Field(() => Float)
  weight: number;

  @Field(() => String, { nullable: true, description: 'Masked as the field is without the pii clearance.' })
  recordValue: string | null;

  @Field(() => String, { nullable: true, description: 'Masked as the field is without the pii clearance.' })
  personValue: string | null;
}

@ObjectType({ description: 'A person a record could be, with the probability, the decision and the reasons.' })
export class IdentityCandidate {
  @Field(() => ForeignNational)
  foreignNational: ForeignNational;

  @Field(() => Float, {
    description:
      'Probability that the record is this person rather than another candidate or nobody (the candidates share one total). Thresholds and decisions read this.',
  })
  probability: number;

  @Field(() => Float, { description: 'The match weight: the sum of the evidence weights (log2 odds of this pair).' })
  matchWeight: number;

  @Field(() => Float, {
    description: 'This pair alone, as Fellegi-Sunter reads the match weight: 1 / (1 + 2^-matchWeight).',
  })
  pairProbability: number;

  @Field(() => Decision)
  decision: Decision;

  @Field(() => String, { nullable: true, description: 'Who decided, when the decision is stored.' })
  decidedBy: string | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  decidedAt: string | null;

  @Field(() => String, { nullable: true })
  reason: string | null;

  @Field(() => [IdentityEvidence], { description: 'Per field: the two values, the level and its weight.' })
  evidence: IdentityEvidence[];
}

@ObjectType({ description: 'A change of a decision, kept for ever: who, when, why.' })
export class IdentityDecisionEvent {
  @Field(() => ID)
  recordId: string;

  @Field(() => ID)
  foreignNationalId: string;

  @Field(() => Decision, { nullable: true })
  previous: Decision | null;

  @Field(() => Decision)
  decision: Decision;

  @Field(() => Float)
  probability: number;

  @Field()
  decidedBy: string;

  @Field(() => DateTimeISOResolver)
  decidedAt: string;

  @Field(() => String, { nullable: true })
  reason: string | null;
}

@ObjectType({ description: 'A police record without passport whose candidates wait for an analyst.' })
export class IdentityReview {
  @Field(() => ID)
  recordId: string;

  @Field(() => RecordKind)
  recordKind: RecordKind;

  @Field(() => ReportParty, { nullable: true, description: 'The report party, for POLICE_REPORT_PARTY records.' })
  reportParty: ReportParty | null;

  @Field(() => PresenceRegistration, { nullable: true, description: 'For PRESENCE_REGISTRATION records.' })
  registration: PresenceRegistration | null;

  @Field()
  fullName: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD or YYYY; null without the pii clearance.' })
  @Pii.date()
  dateOfBirth: string | null;

  @Field(() => String, { nullable: true })
  nationality: string | null;

  @Field(() => DateTimeISOResolver)
  scoredAt: string;

  row: RecordRow;
}

const IdentityReviewConnection = Connection(IdentityReview, 'IdentityReview');

@InputType()
export class IdentityDecisionInput {
  @Field(() => ID, { description: "The police record's id (ReportParty.id or PresenceRegistration.id)." })
  recordId: string;

  @Field(() => ID)
  foreignNationalId: string;

  @Field({ description: 'Why: kept with the decision and in its history (1 to 1000 characters).' })
  reason: string;
}

/** Candidates per record at most. */
const MAX_CANDIDATES = 20;

/** Inputs that probe masked values (a birth date, passport digits) are refused without the pii clearance. */
const PII_INPUTS = ['dateOfBirth', 'passportNumber'];

@Resolver()
export class IdentityResolutionResolver {
  @Query(() => [IdentityCandidate], {
    nullable: true,
    description: 'Who could this be: the best candidates for a name and what else is known, with the reasons.',
  })
  @Authorized(READERS.identityReview)
  async identityCandidates(
    @Arg('record', () => IdentityInput) record: IdentityInput,
    @Arg('first', () => Int, { defaultValue: 5 }) first: number,
    @Ctx() { loaders, identity }: Context,
  ): Promise<IdentityCandidate[]> {
    refuseMaskedFilters(identity, record, PII_INPUTS);
    const query = identityQuery(record);
    const found = await loaders.identityCandidates.load({ recordId: null, query, first: candidateCount(first) });
    return found.map((candidate) => candidateView(candidate, query, identity));
  }

  @Query(() => IdentityReviewConnection, {
    nullable: true,
    description: 'Records without passport whose candidates wait for an analyst (between the thresholds).',
  })
  @Authorized(READERS.identityReview)
  identityReviewQueue(
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { db }: Context,
  ) {
    const query = db
      .getRepository(RecordRow)
      .createQueryBuilder('record')
      .where('record.status = :status', { status: Decision.REVIEW });
    return keysetPage(query, { alias: 'record', sortBy: 'recordId', tieBreaker: 'recordId' }, first, after).then(
      (page) => ({ ...page, nodes: page.nodes.map(reviewView) }),
    );
  }

  @Query(() => [IdentityDecisionEvent], {
    nullable: true,
    description: 'Every decision ever made about a record, oldest first.',
  })
  @Authorized(READERS.identityReview)
  async identityDecisionHistory(@Arg('recordId', () => ID) recordId: string, @Ctx() { db }: Context) {
    const rows = await db
      .getRepository(DecisionEventRow)
      .find({ where: { recordId: requireId(recordId, 'recordId') }, order: { decidedAt: 'ASC', id: 'ASC' } });
    return rows.map(({ personId, ...row }) => ({ ...row, foreignNationalId: personId }));
  }

  @Mutation(() => IdentityCandidate, {
    description: 'Confirms that the record is this person. Changing an analyst’s decision takes a supervisor.',
  })
  @Authorized(READERS.identityReview)
  confirmIdentityMatch(@Arg('input') input: IdentityDecisionInput, @Ctx() context: Context) {
    return decideAndShow(context, input, Decision.CONFIRMED);
  }

  @Mutation(() => IdentityCandidate, {
    description:
      'Rejects this person for the record; no automatic run links them again. Changing it takes a supervisor.',
  })
  @Authorized(READERS.identityReview)
  rejectIdentityMatch(@Arg('input') input: IdentityDecisionInput, @Ctx() context: Context) {
    return decideAndShow(context, input, Decision.REJECTED);
  }
}

@Resolver(() => IdentityReview)
export class IdentityReviewResolver {
  @FieldResolver(() => [IdentityCandidate])
  async candidates(
    @Root() review: IdentityReview,
    @Arg('first', () => Int, { defaultValue: 5 }) first: number,
    @Ctx() { loaders, identity }: Context,
  ) {
    const query = policeRecordQuery(review.row);
    const found = await loaders.identityCandidates.load({
      recordId: review.recordId,
      query,
      first: candidateCount(first),
    });
    return found.map((candidate) => candidateView(candidate, query, identity));
  }
}

@Resolver(() => ReportParty)
export class ReportPartyIdentityResolver {
  @FieldResolver(() => ForeignNational, {
    nullable: true,
    description:
      "The foreign national this party is: by passport, else by entity resolution's decision (auto-linked or confirmed).",
  })
  @Directive('@requires(fields: "passportKey identityKey")')
  foreignNational(@Root() party: ReportParty, @Ctx() { loaders }: Context) {
    return party.identityKey || party.passportKey ? identifyRecord(loaders, party) : null;
  }

  @FieldResolver(() => [IdentityCandidate], {
    nullable: true,
    description: 'For a foreigner named without passport: who they could be, best first, with the decisions.',
  })
  @Directive('@requires(fields: "passportKey identityKey")')
  @Authorized(READERS.policeReports)
  identityCandidates(
    @Root() party: ReportParty,
    @Arg('first', () => Int, { defaultValue: 5 }) first: number,
    @Ctx() context: Context,
  ) {
    return recordCandidates(context, party, first);
  }
}

@Resolver(() => PresenceRegistration)
export class PresenceRegistrationIdentityResolver {
  @FieldResolver(() => ForeignNational, {
    nullable: true,
    description: 'For a stay registered without passport: the person entity resolution linked it to.',
  })
  @Directive('@requires(fields: "identityKey")')
  foreignNational(@Root() registration: PresenceRegistration, @Ctx() { loaders }: Context) {
    return registration.identityKey ? identifyRecord(loaders, registration) : null;
  }

  @FieldResolver(() => [IdentityCandidate], {
    nullable: true,
    description: 'For a stay registered without passport: who it could be, best first, with the decisions.',
  })
  @Directive('@requires(fields: "identityKey")')
  @Authorized(READERS.presence)
  identityCandidates(
    @Root() registration: PresenceRegistration,
    @Arg('first', () => Int, { defaultValue: 5 }) first: number,
    @Ctx() context: Context,
  ) {
    return recordCandidates(context, registration, first);
  }
}

async function recordCandidates(
  { loaders, identity }: Context,
  record: { id: string; identityKey: string | null },
  first: number,
): Promise<IdentityCandidate[]> {
  if (!record.identityKey) return [];
  const { nameKey, dateOfBirth, nationality } = identityKey.decode(record.identityKey);
  const query = policeRecordQuery({ fullName: nameKey, dateOfBirth, nationality });
  const found = await loaders.identityCandidates.load({ recordId: record.id, query, first: candidateCount(first) });
  return found.map((candidate) => candidateView(candidate, query, identity));
}

async function decideAndShow(
  { db, identity, loaders }: Context,
  input: IdentityDecisionInput,
  decision: DecisionChange,
): Promise<IdentityCandidate> {
  const row = await decide(db, identity, {
    recordId: requireId(input.recordId, 'recordId'),
    personId: requireId(input.foreignNationalId, 'foreignNationalId'),
    reason: input.reason,
    decision,
  });
  const query = policeRecordQuery(row);
  // The decided person is always among the candidates (candidates.ts).
  const found = await loaders.identityCandidates.load({ recordId: row.recordId, query, first: 1 });
  const candidate = found.find((each) => each.person.id === input.foreignNationalId.toLowerCase())!;
  return candidateView(candidate, query, identity);
}

function candidateCount(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_CANDIDATES)
    throw errors.badUserInput(`"first" must be between 1 and ${MAX_CANDIDATES}, got ${first}`, 'first');
  return first;
}

/** The analyst's input, checked: BAD_USER_INPUT names the field that is wrong. */
export function identityQuery(input: IdentityInput): IdentityQuery {
  const fullName = input.fullName.trim();
  if (!/\p{L}/u.test(fullName) || fullName.length > 200)
    throw errors.badUserInput('"fullName" must hold a name: 1 to 200 characters with at least one letter', 'fullName');
  return {
    fullName,
    dateOfBirth: input.dateOfBirth ? birthDate(input.dateOfBirth) : null,
    nationality: input.nationality ? nationality(input.nationality) : null,
    sex: input.sex ?? null,
    passportNumber: input.passportNumber ? passportPart(input.passportNumber) : null,
  };
}

function birthDate(raw: string): string {
  const value = raw.trim();
  const valid =
    /^\d{4}$/.test(value) ||
    (/^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value);
  if (!valid || value.slice(0, 4) < '1900')
    throw errors.badUserInput(`"dateOfBirth" must be YYYY-MM-DD or YYYY, got "${value.slice(0, 40)}"`, 'dateOfBirth');
  return value;
}

function nationality(raw: string): string {
  const code = nationalityCode(raw);
  if (!code)
    throw errors.badUserInput(
      `"nationality" names no country: "${raw.slice(0, 40)}" (a code such as CHN, or a name such as China)`,
      'nationality',
    );
  return code;
}

function passportPart(raw: string): string {
  const value = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z0-9]{4,12}$/.test(value))
    throw errors.badUserInput(
      '"passportNumber" must be 4 to 12 letters and digits (all or part of a number)',
      'passportNumber',
    );
  return value;
}

function reviewView(row: RecordRow): IdentityReview {
  const kind = row.recordKind as RecordKind;
  const reference = { id: row.recordId } as never;
  return {
    recordId: row.recordId,
    recordKind: kind,
    reportParty: kind === RecordKind.POLICE_REPORT_PARTY ? reference : null,
    registration: kind === RecordKind.PRESENCE_REGISTRATION ? reference : null,
    fullName: row.fullName,
    dateOfBirth: row.dateOfBirth,
    nationality: row.nationality,
    scoredAt: row.scoredAt,
    row,
  };
}

/** The candidate as the caller may see it: values masked as the fields are without the pii clearance. */
function candidateView(candidate: DecidedCandidate, query: IdentityQuery, identity: Identity): IdentityCandidate {
  const { person, score } = candidate;
  const masked = (field: string, value: string | null): string | null => {
    if (value == null || identity.pii) return value;
    if (field === 'dateOfBirth') return null;
    return field === 'passportNumber' ? maskText(value) : value;
  };
  const personValues: Record<string, string | null> = {
    name: person.fullName,
    dateOfBirth: person.dateOfBirth,
    nationality: person.nationality,
    sex: person.sex,
    passportNumber: closestPassport(candidate.passportNumbers, query.passportNumber),
  };
  const recordValues: Record<string, string | null> = {
    name: query.fullName,
    dateOfBirth: query.dateOfBirth,
    nationality: query.nationality,
    sex: query.sex,
    passportNumber: query.passportNumber,
  };
  const evidence: IdentityEvidence[] = [
    { field: 'prior', level: 'BASE_RATE', weight: round(score.prior), recordValue: null, personValue: null },
    ...score.comparisons.map((comparison) => ({
      field: comparison.field,
      level: comparison.level,
      weight: round(comparison.weight),
      recordValue: masked(comparison.field, recordValues[comparison.field]),
      personValue: comparison.level === MISSING ? null : masked(comparison.field, personValues[comparison.field]),
    })),
  ];
  if (score.nameFrequency)
    evidence.push({
      field: 'nameFrequency',
      level: 'TERM_FREQUENCY',
      weight: round(score.nameFrequency.weight),
      recordValue: score.nameFrequency.tokens.join(' '),
      personValue: `about 1 in ${Math.max(1, Math.round(1 / score.nameFrequency.share)).toLocaleString('en')} persons`,
    });
  return {
    foreignNational: person,
    probability: candidate.probability,
    matchWeight: round(score.matchWeight),
    pairProbability: score.probability,
    decision: candidate.decision,
    decidedBy: candidate.decided?.decidedBy ?? null,
    decidedAt: candidate.decided?.decidedAt ?? null,
    reason: candidate.decided?.reason ?? null,
    evidence,
  };
}

function closestPassport(numbers: readonly string[], wanted: string | null): string | null {
  if (numbers.length === 0) return null;
  return (wanted && numbers.find((number) => number.includes(wanted))) || numbers[numbers.length - 1];
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
