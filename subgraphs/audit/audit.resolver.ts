import { DateTimeISOResolver } from 'graphql-scalars';
import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { DataSource } from 'typeorm';
import { errors } from '../../lib/errors';
import { AuditPersonRead, AuditRecord as StoredRecord } from '../../lib/audit/record';
import { READERS } from '../shared/access';
import { Connection, keysetPage } from '../shared/pagination';
import { SubgraphContext } from '../shared/subgraph';
import { requireId } from '../shared/validation';
import { AuditRecord } from './audit-record';

const AuditRecordConnection = Connection(AuditRecord, 'AuditRecord');

/** The supervisors' questions: who read person X, and what did user Y read, between two instants. */
@Authorized(READERS.audit)
@Resolver()
export class AuditResolver {
  @Query(() => AuditRecordConnection, {
    nullable: true,
    description: 'Operations whose answer carried this person’s data, newest first.',
  })
  auditReadsOfPerson(
    @Arg('personId', () => ID) personId: string,
    @Arg('from', () => DateTimeISOResolver, { nullable: true }) from: Date | null,
    @Arg('to', () => DateTimeISOResolver, { nullable: true }) to: Date | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { db }: SubgraphContext,
  ) {
    const query = between(db, from, to)
      .innerJoin(AuditPersonRead, 'read', 'read.seq = record.seq')
      .andWhere('read.personId = :personId', { personId: requireId(personId) });
    return keysetPage(query, { alias: 'record', sortBy: 'seq', tieBreaker: 'seq', descending: true }, first, after);
  }

  @Query(() => AuditRecordConnection, {
    nullable: true,
    description: 'Everything one user (token subject) asked, newest first.',
  })
  auditReadsByUser(
    @Arg('subject') subject: string,
    @Arg('from', () => DateTimeISOResolver, { nullable: true }) from: Date | null,
    @Arg('to', () => DateTimeISOResolver, { nullable: true }) to: Date | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { db }: SubgraphContext,
  ) {
    if (!subject.trim() || subject.length > 200)
      throw errors.badUserInput('"subject" must be 1 to 200 characters', 'subject');
    const query = between(db, from, to).andWhere('record.subject = :subject', { subject });
    return keysetPage(query, { alias: 'record', sortBy: 'seq', tieBreaker: 'seq', descending: true }, first, after);
  }
}

function between(db: DataSource, from: Date | null, to: Date | null) {
  if (from && to && from > to) throw errors.badUserInput('"from" must not be after "to"', 'from');
  const query = db.getRepository(StoredRecord).createQueryBuilder('record');
  if (from) query.andWhere('record.at >= :from', { from: from.toISOString() });
  if (to) query.andWhere('record.at <= :to', { to: to.toISOString() });
  return query;
}
