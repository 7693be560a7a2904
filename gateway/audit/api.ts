import { LocalGraphQLDataSource } from '@apollo/gateway';
import { GraphQLSchema } from 'graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { DataSource } from 'typeorm';
import { READERS } from '../../subgraphs/shared/access';
import { Connection, keysetPage } from '../../subgraphs/shared/pagination';
import { SubgraphDefinition } from '../../subgraphs/shared/subgraph';
import { requireId } from '../../subgraphs/shared/validation';
import { errors } from '../../lib/errors';
import { GatewayContext } from '../auth';
import { AuditPersonRead, AuditRecord } from './record';
import { migrations } from './migrations';

type AuditContext = GatewayContext & { db: DataSource };

const AuditRecordConnection = Connection(AuditRecord, 'AuditRecord');

/** The supervisors' questions: who read person X, and what did user Y read, between two instants. */
@Authorized(READERS.audit)
@Resolver()
export class AuditResolver {
  @Query(() => AuditRecordConnection, { description: 'Operations whose answer carried this person’s data, newest first.' })
  auditReadsOfPerson(
    @Arg('personId', () => ID) personId: string,
    @Arg('from', () => DateTimeISOResolver, { nullable: true }) from: Date | null,
    @Arg('to', () => DateTimeISOResolver, { nullable: true }) to: Date | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { db }: AuditContext,
  ) {
    const query = between(db, from, to).innerJoin(AuditPersonRead, 'read', 'read.seq = record.seq').andWhere('read.personId = :personId', { personId: requireId(personId) });
    return keysetPage(query, { alias: 'record', sortBy: 'seq', tieBreaker: 'seq', descending: true }, first, after);
  }

  @Query(() => AuditRecordConnection, { description: 'Everything one user (token subject) asked, newest first.' })
  auditReadsByUser(
    @Arg('subject') subject: string,
    @Arg('from', () => DateTimeISOResolver, { nullable: true }) from: Date | null,
    @Arg('to', () => DateTimeISOResolver, { nullable: true }) to: Date | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { db }: AuditContext,
  ) {
    if (!subject.trim() || subject.length > 200) throw errors.badUserInput('"subject" must be 1 to 200 characters', 'subject');
    const query = between(db, from, to).andWhere('record.subject = :subject', { subject });
    return keysetPage(query, { alias: 'record', sortBy: 'seq', tieBreaker: 'seq', descending: true }, first, after);
  }
}

function between(db: DataSource, from: Date | null, to: Date | null) {
  if (from && to && from > to) throw errors.badUserInput('"from" must not be after "to"', 'from');
  const query = db.getRepository(AuditRecord).createQueryBuilder('record');
  if (from) query.andWhere('record.at >= :from', { from: from.toISOString() });
  if (to) query.andWhere('record.at <= :to', { to: to.toISOString() });
  return query;
}

/** The audit's part of the supergraph: served inside the gateway, which owns the audit log. */
export const audit: SubgraphDefinition = {
  name: 'audit',
  entities: [AuditRecord, AuditPersonRead],
  migrations,
  resolvers: [AuditResolver],
  references: {},
  createLoaders: () => ({}),
};

/** Executes the audit schema in-process, with the gateway's verified identity and the audit database. */
export class AuditDataSource extends LocalGraphQLDataSource<GatewayContext> {
  constructor(schema: GraphQLSchema, private readonly db: DataSource) {
    super(schema);
  }

  process(options: Parameters<LocalGraphQLDataSource<GatewayContext>['process']>[0]) {
    return super.process({ ...options, context: { ...options.context, db: this.db } as AuditContext });
  }
}
