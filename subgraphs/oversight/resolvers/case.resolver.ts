import { READERS } from '../../shared/access';
import {
  Authorized,
  Arg,
  Ctx,
  Field,
  FieldResolver,
  ID,
  InputType,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { Connection, keysetPage } from '../../shared/pagination';
import { SubgraphContext } from '../../shared/subgraph';
import { requireId } from '../../shared/validation';
import { addNote, assignCase, closeCase, computedCharge, decideCase, openCase } from '../cases';
import { Case, CaseEvent } from '../entities/case';
import { Finding } from '../entities/finding';
import { CaseStatus, DecisionKind } from '../enums';
import { OversightLoaders } from '../loaders';

type Context = SubgraphContext<OversightLoaders>;

@InputType()
export class OpenCaseInput {
  @Field()
  title: string;

  @Field(() => [ID])
  findingIds: string[];

  @Field(() => String, { nullable: true })
  assignee?: string | null;
}

@InputType()
export class DecisionInput {
  @Field(() => DecisionKind)
  kind: DecisionKind;

  @Field({ description: 'e.g. "UU 6/2011 art. 75(2) huruf f"' })
  legalBasis: string;

  @Field(() => String, {
    nullable: true,
    description: 'Why; required for a CHARGE whose amount is not the computed charge (Case.computedChargeRupiah).',
  })
  reason?: string | null;

  @Field(() => Number, { nullable: true, description: 'Required for CHARGE, in whole rupiah.' })
  amountRupiah?: number | null;
}

const CaseConnection = Connection(Case, 'Case');

@Authorized(READERS.oversight)
@Resolver(() => Case)
export class CaseResolver {
  @Query(() => Case, { nullable: true })
  case(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context) {
    return loaders.caseById.load(requireId(id));
  }

  @Query(() => CaseConnection, {
    nullable: true,
    description: 'Cases, newest first.',
  })
  async cases(
    @Arg('status', () => CaseStatus, { nullable: true }) status: CaseStatus | null,
    @Arg('assignee', () => String, { nullable: true }) assignee: string | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { db }: Context,
  ) {
    const query = db.getRepository(Case).createQueryBuilder('item');
    if (status) query.andWhere('item.status = :status', { status });
    if (assignee) query.andWhere('item.assignee = :assignee', { assignee });
    return keysetPage(query, { alias: 'item', sortBy: 'openedAt', descending: true }, first, after);
  }

  @Mutation(() => Case, {
    description:
      'Opens a case from one or more findings; CONFLICT when another case, not yet closed, holds one of them.',
  })
  openCase(@Arg('input') input: OpenCaseInput, @Ctx() { db, identity }: Context) {
    return openCase(db, identity.subject, input.title, input.findingIds, input.assignee);
  }

  @Mutation(() => Case)
  assignCase(
    @Arg('caseId', () => ID) caseId: string,
    @Arg('assignee') assignee: string,
    @Ctx() { db, identity }: Context,
  ) {
    return assignCase(db, identity.subject, caseId, assignee);
  }

  @Mutation(() => Case)
  addCaseNote(@Arg('caseId', () => ID) caseId: string, @Arg('text') text: string, @Ctx() { db, identity }: Context) {
    return addNote(db, identity.subject, caseId, text);
  }

  @Mutation(() => Case, { description: 'Records the decision of the case review; only an OPEN case can be decided.' })
  decideCase(
    @Arg('caseId', () => ID) caseId: string,
    @Arg('decision') decision: DecisionInput,
    @Ctx() { db, identity }: Context,
  ) {
    return decideCase(db, identity.subject, caseId, decision);
  }

  @Mutation(() => Case, {
    description:
      'Closes a DECIDED case: its findings become ACTIONED (deportation, charge, entry ban) or DISMISSED, and free for another case.',
  })
  closeCase(@Arg('caseId', () => ID) caseId: string, @Ctx() { db, identity }: Context) {
    return closeCase(db, identity.subject, caseId);
  }

  @FieldResolver(() => [Finding])
  findings(@Root() item: Case, @Ctx() { loaders }: Context) {
    return loaders.findingsByCase.load(item.id);
  }

  @FieldResolver(() => Number, {
    nullable: true,
    description:
      'The charge its findings compute, in rupiah (overstays up to 60 days, summed); a CHARGE of another amount needs a reason.',
  })
  async computedChargeRupiah(@Root() item: Case, @Ctx() { loaders }: Context) {
    return computedCharge(await loaders.findingsByCase.load(item.id));
  }

  @FieldResolver(() => [CaseEvent], { description: 'Every change, oldest first: who, when, what.' })
  history(@Root() item: Case, @Ctx() { loaders }: Context) {
    return loaders.eventsByCase.load(item.id);
  }

  @FieldResolver(() => [CaseEvent], { description: 'The notes, oldest first.' })
  async notes(@Root() item: Case, @Ctx() { loaders }: Context) {
    return (await loaders.eventsByCase.load(item.id)).filter((event) => event.action === 'NOTE_ADDED');
  }
}
