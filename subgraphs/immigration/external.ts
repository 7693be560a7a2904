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

  @Field()
  @Directive('@external')
  name: string;

  @Field(() => [WorkPermit], { nullable: true })
  @Directive('@external')
  workPermits: WorkPermit[] | null;
}

@ObjectType()
@Directive('@key(fields: "id")')
export class WorkPermit {
  @Field(() => ID)
  id: string;

  @Field()
  @Directive('@external')
  workerPassportKey: string;

  @Field(() => Employer)
  @Directive('@external')
  employer: Employer;
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
export class PoliceReport {
  @Field(() => ID)
  id: string;

  @Field()
  @Directive('@external')
  reportNumber: string;

  @Field(() => [ReportParty])
  @Directive('@external')
  involvedPeople: ReportParty[];
}

@ObjectType()
export class PoliceInvolvement {
  @Field(() => PoliceReport)
  @Directive('@external')
  report: PoliceReport;
}
