import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * Other agencies' entities as immigration sees them: only their keys, plus the fields immigration
 * contributes because resolving a person from a passport or a name is immigration's job.
 */

@ObjectType({ description: 'An employer, owned by manpower (Kemnaker); referenced here as a stay permit sponsor.' })
@Directive('@key(fields: "nib")')
export class Employer {
  @Field()
  nib: string;
}

@ObjectType()
@Directive('@key(fields: "id")')
export class WorkPermit {
  @Field(() => ID)
  id: string;

  @Field()
  @Directive('@external')
  workerPassportKey: string;
}

@ObjectType()
@Directive('@key(fields: "id")')
export class ReportParty {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @Directive('@external')
  passportKey: string | null;

  @Field(() => String, { nullable: true })
  @Directive('@external')
  identityKey: string | null;
}

@ObjectType()
@Directive('@key(fields: "id")')
export class PresenceRegistration {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @Directive('@external')
  identityKey: string | null;
}
