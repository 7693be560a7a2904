import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { PassportRef } from '../shared/passport';
import { LocalDateResolver } from 'graphql-scalars';
import { MatchBasis, PartyRole } from './enums';
import { PoliceReport } from './entities/police-report';
import { ReportParty } from './entities/report-party';

/** A foreign national, owned by immigration; police adds reports and registrations. */
@ObjectType()
@Directive('@key(fields: "id")')
export class ForeignNational {
  @Field(() => ID)
  id: string;

  @Field(() => [PassportRef])
  @Directive('@external')
  passports: PassportRef[];

  @Field()
  @Directive('@external')
  fullName: string;

  @Field(() => LocalDateResolver)
  @Directive('@external')
  dateOfBirth: string;

  @Field()
  @Directive('@external')
  nationality: string;
}

@ObjectType({ description: "A person's part in a police report, and why the record was attributed to them." })
export class PoliceInvolvement {
  @Field(() => PartyRole)
  role: PartyRole;

  @Field(() => MatchBasis)
  matchedBy: MatchBasis;

  @Field(() => ReportParty, { description: 'The person as the report names them.' })
  party: ReportParty;

  @Field(() => PoliceReport)
  report: PoliceReport;
}
