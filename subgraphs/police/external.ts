import { Directive, Field, Float, ID, ObjectType } from 'type-graphql';
import { MatchBasis, PartyRole } from './enums';
import { PoliceReport } from './entities/police-report';
import { ReportParty } from './entities/report-party';

/** A foreign national, owned by immigration; police adds reports and registrations. */
@ObjectType()
@Directive('@key(fields: "id")')
export class ForeignNational {
  @Field(() => ID)
  id: string;

  @Field(() => [String], { description: 'Match keys of all passports (immigration, @inaccessible).' })
  @Directive('@external')
  passportKeys: string[];

  @Field(() => [String], {
    description: 'Records without passport immigration links to the person (immigration, @inaccessible).',
  })
  @Directive('@external')
  identityLinks: string[];
}

@ObjectType({ description: "A person's part in a police report, and why the record was attributed to them." })
export class PoliceInvolvement {
  @Field(() => PartyRole)
  role: PartyRole;

  @Field(() => MatchBasis)
  matchedBy: MatchBasis;

  @Field(() => Float, {
    nullable: true,
    description: "Entity resolution's probability that the party is the person (PROBABILISTIC and CONFIRMED).",
  })
  matchProbability: number | null;

  @Field(() => ReportParty, { description: 'The person as the report names them.' })
  party: ReportParty;

  @Field(() => PoliceReport)
  report: PoliceReport;
}
