import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One operation as the gateway answered it. Records are append-only and chained: `hash` covers
 * every field and the previous record's hash, so an edited or deleted record breaks the chain
 * (`npm run audit:verify`).
 */
@ObjectType({ description: 'One operation as the gateway answered it: who, when, what, and whose data came back.' })
@Entity('audit_record')
@Index('audit_record_subject_time', ['subject', 'at'])
export class AuditRecord {
  @Field(() => Int, { description: 'Position in the chain, from 1.' })
  @PrimaryColumn('integer')
  seq: number;

  @Field({ description: 'ISO-8601 UTC.' })
  @Column('varchar', { length: 24 })
  at: string;

  @Field({ description: "The token's subject." })
  @Column('varchar', { length: 200 })
  subject: string;

  @Field(() => [String])
  @Column('simple-json')
  roles: string[];

  @Field(() => Boolean, { description: 'Asked by a TIMPORA service on the user’s behalf (the findings refresh).' })
  @Column('boolean')
  delegated: boolean;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 200, nullable: true })
  operationName: string | null;

  @Field(() => String, { nullable: true, description: 'SHA-256 of the operation text.' })
  @Column('varchar', { length: 64, nullable: true })
  documentHash: string | null;

  @Field({ description: 'The variables as JSON, personal values replaced by "[redacted]".' })
  @Column('text')
  variables: string;

  @Field({ description: 'OK, PARTIAL (data with errors) or ERROR.' })
  @Column('varchar', { length: 10 })
  outcome: string;

  @Field(() => [String])
  @Column('simple-json')
  errorCodes: string[];

  @Field(() => [ID], { description: 'Foreign nationals whose data the answer carried.' })
  @Column('simple-json')
  personIds: string[];

  @Field()
  @Column('varchar', { length: 64 })
  requestId: string;

  @Column('varchar', { length: 64 })
  previousHash: string;

  @Field({ description: 'SHA-256 over this record and the previous hash.' })
  @Column('varchar', { length: 64 })
  hash: string;
}

/** Who read whom, one row per person per record: "who read person X" is an index read. */
@Entity('audit_person_read')
@Index('audit_person_read_person', ['personId', 'seq'])
export class AuditPersonRead {
  @PrimaryColumn('integer')
  seq: number;

  @PrimaryColumn('varchar', { length: 36 })
  personId: string;
}
