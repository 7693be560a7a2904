import { READERS } from '../../shared/access';
import { Authorized, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { loadUnion } from '../../shared/loaders';
import { SubgraphContext } from '../../shared/subgraph';
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
  @Directive('@requires(fields: "passportKeys identityKey")')
  @Authorized(READERS.policeReports)
  async policeReports(@Root() person: ForeignNational, @Ctx() { loaders }: Context): Promise<PoliceInvolvement[]> {
    const [byPassport, byIdentity] = await Promise.all([
      loadUnion(loaders.partiesByPassport, person.passportKeys ?? [], (party) => party.id),
      loaders.partiesByIdentity.load(person.identityKey),
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

  @FieldResolver(() => [PresenceRegistration], {
    nullable: true,
    description: 'Presence registrations under any passport, newest first.',
  })
  @Directive('@requires(fields: "passportKeys")')
  @Authorized(READERS.presence)
  async registrations(@Root() person: ForeignNational, @Ctx() { loaders }: Context) {
    const registrations = await loadUnion(loaders.registrationsByPassport, person.passportKeys ?? [], (row) => row.id);
    return registrations.sort((a, b) => b.checkIn.localeCompare(a.checkIn));
  }
}
