import { DateTimeISOResolver } from 'graphql-scalars';
import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { DataSource } from 'typeorm';
import { errors } from '../../lib/errors';
import { AuditPersonRead, AuditPersonReadIndexed, AuditRecord as StoredRecord } from '../../lib/audit/record';
import { isPostgres } from '../../lib/database';
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
    const query = between(db, from, to).andWhere(readPerson(db), { personId: requireId(personId) });
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

/**
 * The records that name `:personId`: through the who-read-whom rows, and, after their watermark
 * (the last second of answers, or what a crash left), through the records' own person lists.
 */
function readPerson(db: DataSource): string {
  const table = (entity: Function) => db.driver.escape(db.getMetadata(entity).tableName);
  const named = isPostgres(db)
    ? 'CAST(tail."personIds" AS jsonb) @> jsonb_build_array(CAST(:personId AS text))'
    : 'EXISTS (SELECT 1 FROM json_each(tail."personIds") WHERE value = :personId)';
  // Two key lookups, never a scan of the records: the person's rows, and the records after the watermark.
  return (
    `record.seq IN (SELECT "seq" FROM ${table(AuditPersonRead)} WHERE "personId" = :personId UNION ALL ` +
    `SELECT tail."seq" FROM ${table(StoredRecord)} tail WHERE tail."seq" > ` +
    `COALESCE((SELECT "seq" FROM ${table(AuditPersonReadIndexed)} WHERE "id" = 1), 0) AND ${named})`
  );
}

function between(db: DataSource, from: Date | null, to: Date | null) {
  if (from && to && from > to) throw errors.badUserInput('"from" must not be after "to"', 'from');
  const query = db.getRepository(StoredRecord).createQueryBuilder('record');
  if (from) query.andWhere('record.at >= :from', { from: from.toISOString() });
  if (to) query.andWhere('record.at <= :to', { to: to.toISOString() });
  return query;
}
