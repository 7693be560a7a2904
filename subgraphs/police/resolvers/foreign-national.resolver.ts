import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { identityKey, loadUnion } from '../../shared/loaders';
import { passportKeysOf } from '../../shared/passport';
import { SubgraphContext } from '../../shared/subgraph';
import { nameKey } from '../../shared/text';
import { PresenceRegistration } from '../entities/presence-registration';
import { MatchBasis } from '../enums';
import { ForeignNational, PoliceInvolvement } from '../external';
import { PoliceLoaders } from '../loaders';

type Context = SubgraphContext<PoliceLoaders>;

@Resolver(() => ForeignNational)
export class ForeignNationalPoliceResolver {
  @FieldResolver(() => [PoliceInvolvement], {
    nullable: true,
    description:
      'Police reports naming the person: by any of their passports, or, where the report has no passport, by name, birth date and nationality.',
  })
  @Directive('@requires(fields: "passports { number country } fullName dateOfBirth nationality")')
  async policeReports(@Root() person: ForeignNational, @Ctx() { loaders }: Context): Promise<PoliceInvolvement[]> {
    const [byPassport, byIdentity] = await Promise.all([
      loadUnion(loaders.partiesByPassport, passportKeysOf(person.passports), (party) => party.id),
      loaders.partiesByIdentity.load(identityKey(nameKey(person.fullName), person.dateOfBirth, person.nationality)),
    ]);
    const involvements = [
      ...byPassport.map((party) => ({ party, matchedBy: MatchBasis.PASSPORT })),
      ...byIdentity.map((party) => ({ party, matchedBy: MatchBasis.NAME_BIRTH_DATE_NATIONALITY })),
    ];
    const reports = await Promise.all(involvements.map(({ party }) => loaders.reportById.load(party.reportId)));
    return involvements
      .map(({ party, matchedBy }, index) => ({ role: party.role, matchedBy, party, report: reports[index]! }))
      .filter((involvement) => involvement.report)
      .sort((a, b) => b.report.occurredAt.localeCompare(a.report.occurredAt));
  }

  @FieldResolver(() => [PresenceRegistration], { nullable: true, description: 'Presence registrations under any passport, newest first.' })
  @Directive('@requires(fields: "passports { number country }")')
  async registrations(@Root() person: ForeignNational, @Ctx() { loaders }: Context) {
    const registrations = await loadUnion(loaders.registrationsByPassport, passportKeysOf(person.passports), (row) => row.id);
    return registrations.sort((a, b) => b.checkIn.localeCompare(a.checkIn));
  }
}
