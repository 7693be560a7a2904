import { READERS } from '../../shared/access';
import { Authorized, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { loadUnion } from '../../shared/loaders';
import { identityLink, IdentityLinkParts } from '../../shared/match-keys';
import { SubgraphContext } from '../../shared/subgraph';
import { PresenceRegistration } from '../entities/presence-registration';
import { ReportParty } from '../entities/report-party';
import { MatchBasis } from '../enums';
import { ForeignNational, PoliceInvolvement } from '../external';
import { PoliceLoaders } from '../loaders';

type Context = SubgraphContext<PoliceLoaders>;

/** The records immigration links to the person, loaded through `byId` (parties or registrations). */
async function linkedRecords<T>(
  person: ForeignNational,
  byId: { loadMany(ids: readonly string[]): Promise<(T | null | Error)[]> },
): Promise<{ record: T; link: IdentityLinkParts }[]> {
  const links = (person.identityLinks ?? []).map(identityLink.decode);
  const records = await byId.loadMany(links.map((link) => link.recordId));
  return links.flatMap((link, index) => {
    const record = records[index];
    if (record instanceof Error) throw record;
    return record ? [{ record, link }] : [];
  });
}

@Resolver(() => ForeignNational)
export class ForeignNationalPoliceResolver {
  @FieldResolver(() => [PoliceInvolvement], {
    nullable: true,
    description:
      "Police reports naming the person: by any of their passports, or, where the report has no passport, by immigration's entity resolution (auto-linked or confirmed).",
  })
  @Directive('@requires(fields: "passportKeys identityLinks")')
  @Authorized(READERS.policeReports)
  async policeReports(@Root() person: ForeignNational, @Ctx() { loaders }: Context): Promise<PoliceInvolvement[]> {
    const [byPassport, linked] = await Promise.all([
      loadUnion(loaders.partiesByPassport, person.passportKeys ?? [], (party) => party.id),
      linkedRecords<ReportParty>(person, loaders.partyById),
    ]);
    const involvements = [
      ...byPassport.map((party) => ({ party, matchedBy: MatchBasis.PASSPORT, matchProbability: null })),
      ...linked.map(({ record, link }) => ({
        party: record,
        matchedBy: link.basis === 'CONFIRMED' ? MatchBasis.CONFIRMED : MatchBasis.PROBABILISTIC,
        matchProbability: link.probability,
      })),
    ];
    const reports = await Promise.all(involvements.map(({ party }) => loaders.reportById.load(party.reportId)));
    return involvements
      .map((involvement, index) => ({ role: involvement.party.role, ...involvement, report: reports[index]! }))
      .filter((involvement) => involvement.report)
      .sort((a, b) => b.report.occurredAt.localeCompare(a.report.occurredAt));
  }

  @FieldResolver(() => [PresenceRegistration], {
    nullable: true,
    description: "Presence registrations under any passport, or linked by immigration's entity resolution; newest first.",
  })
  @Directive('@requires(fields: "passportKeys identityLinks")')
  @Authorized(READERS.presence)
  async registrations(@Root() person: ForeignNational, @Ctx() { loaders }: Context) {
    const [byPassport, linked] = await Promise.all([
      loadUnion(loaders.registrationsByPassport, person.passportKeys ?? [], (row) => row.id),
      linkedRecords<PresenceRegistration>(person, loaders.registrationById),
    ]);
    const registrations = [...byPassport, ...linked.map(({ record }) => record)];
    return registrations.sort((a, b) => b.checkIn.localeCompare(a.checkIn));
  }
}
