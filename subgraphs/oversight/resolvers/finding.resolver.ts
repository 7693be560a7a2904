import { GATEWAY } from '../../../lib/assertions';
import { READERS } from '../../shared/access';
import {
  Authorized,
  Arg,
  Ctx,
  Field,
  FieldResolver,
  InputType,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { LocalDateResolver } from '../../shared/scalars';
import { Connection, keysetPage } from '../../shared/pagination';
import { SubgraphContext } from '../../shared/subgraph';
import { normalizeCountryCode, requireNib } from '../../shared/validation';
import { matchRegency, RegencySource, whereRegency } from '../../shared/geography';
import { addDays } from '../../shared/clock';
import { Case } from '../entities/case';
import { Finding } from '../entities/finding';
import { FindingStatus } from '../enums';
import { ForeignNational } from '../external';
import { OversightLoaders } from '../loaders';
import { refreshFindings, RefreshSummary } from '../refresh';
import { FindingKind } from '../rules';

type Context = SubgraphContext<OversightLoaders>;

@InputType({ description: 'All given criteria must hold.' })
export class FindingFilter {
  @Field(() => [FindingKind], { nullable: true })
  kinds?: FindingKind[];

  @Field(() => FindingStatus, { nullable: true, defaultValue: FindingStatus.OPEN })
  status?: FindingStatus;

  @Field({ nullable: true, description: "The person's domicile regency." })
  regency?: string;

  @Field({ nullable: true, description: 'ISO 3166-1 alpha-3' })
  nationality?: string;

  @Field({ nullable: true })
  employerNib?: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Detected on or after this day.' })
  detectedFrom?: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Detected on or before this day.' })
  detectedTo?: string;
}

const FindingConnection = Connection(Finding, 'Finding');
/** Known regencies for the findings filter: the Kalbar list plus those findings were detected in. */
const FINDING_REGENCIES: RegencySource<Finding> = { entity: Finding, property: 'regency' };

@Authorized(READERS.oversight)
@Resolver(() => Finding)
export class FindingResolver {
  @Query(() => FindingConnection, {
    nullable: true,
    description: 'Findings, newest first; open ones unless the filter says otherwise.',
  })
  async findings(
    @Arg('filter', () => FindingFilter, { nullable: true }) filter: FindingFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { db }: Context,
  ) {
    const query = db.getRepository(Finding).createQueryBuilder('finding');
    query.where('finding.status = :status', { status: filter?.status ?? FindingStatus.OPEN });
    if (filter?.kinds?.length) query.andWhere('finding.kind IN (:...kinds)', { kinds: filter.kinds });
    whereRegency(query, 'finding.regency', await matchRegency(db, filter?.regency, FINDING_REGENCIES));
    if (filter?.nationality)
      query.andWhere('finding.nationality = :nationality', {
        nationality: normalizeCountryCode(filter.nationality, 'nationality'),
      });
    if (filter?.employerNib)
      query.andWhere('finding.employerNib = :nib', { nib: requireNib(filter.employerNib, 'employerNib') });
    if (filter?.detectedFrom) query.andWhere('finding.detectedAt >= :from', { from: filter.detectedFrom });
    if (filter?.detectedTo) query.andWhere('finding.detectedAt < :to', { to: addDays(filter.detectedTo, 1) });
    return keysetPage(query, { alias: 'finding', sortBy: 'detectedAt', descending: true }, first, after);
  }

  @Mutation(() => RefreshSummary, {
    description: 'Re-evaluates every rule over all persons, in batches through the gateway.',
  })
  refreshFindings(@Ctx() { db, gatewayUrl, delegate }: Context) {
    return refreshFindings(db, gatewayUrl(), () => delegate(GATEWAY));
  }

  @FieldResolver(() => ForeignNational, {
    nullable: true,
    description:
      'The person, with everything every agency knows one selection away; null while immigration is unavailable.',
  })
  subject(@Root() finding: Finding): Pick<ForeignNational, 'id'> {
    return { id: finding.personId };
  }

  @FieldResolver(() => [Case], { description: 'Every case opened on it, oldest first.' })
  cases(@Root() finding: Finding, @Ctx() { loaders }: Context) {
    return loaders.casesByFinding.load(finding.id);
  }

  @FieldResolver(() => Case, {
    nullable: true,
    description:
      'The case working on it (OPEN or DECIDED), if any: until that case is closed no other case can be opened on it (CONFLICT).',
  })
  currentCase(@Root() finding: Finding, @Ctx() { loaders }: Context) {
    return finding.currentCaseId ? loaders.caseById.load(finding.currentCaseId) : null;
  }
}

@Authorized(READERS.oversight)
@Resolver(() => ForeignNational)
export class ForeignNationalFindingsResolver {
  @FieldResolver(() => [Finding], { nullable: true, description: 'Open findings about this person.' })
  async findings(@Root() person: ForeignNational, @Ctx() { loaders }: Context) {
    const findings = await loaders.findingsByPerson.load(person.id);
    return findings.filter((finding) => finding.status === FindingStatus.OPEN);
  }
}
