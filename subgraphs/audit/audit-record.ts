import { Field, ID, Int, ObjectType } from 'type-graphql';

/** The API's view of a stored record (lib/audit/record.ts): every field but the previous hash. */
@ObjectType({ description: 'One operation as the gateway answered it: who, when, what, and whose data came back.' })
export class AuditRecord {
  @Field(() => Int, { description: 'Position in the chain, from 1.' })
  seq: number;

  @Field({ description: 'ISO-8601 UTC.' })
  at: string;

  @Field({ description: "The token's subject." })
  subject: string;

  @Field(() => [String])
  roles: string[];

  @Field(() => Boolean, { description: 'Asked by a TIMPORA service on the user’s behalf (the findings refresh).' })
  delegated: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'The TIMPORA service that asked on the user’s behalf (when `delegated`), else null.',
  })
  actor: string | null;

  @Field(() => String, { nullable: true })
  operationName: string | null;

  @Field(() => String, { nullable: true, description: 'SHA-256 of the operation text.' })
  documentHash: string | null;

  @Field({ description: 'The variables as JSON, personal values replaced by "[redacted]".' })
  variables: string;

  @Field({ description: 'OK, PARTIAL (data with errors) or ERROR.' })
  outcome: string;

  @Field(() => [String])
  errorCodes: string[];

  @Field(() => [ID], { description: 'Foreign nationals whose data the answer carried.' })
  personIds: string[];

  @Field()
  requestId: string;

  @Field({ description: 'SHA-256 over this record and the previous hash.' })
  hash: string;
}
