import { READERS } from '../../shared/access';
import { Authorized, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import DataLoader from 'dataloader';
import { identityLink, IdentityLinkParts } from '../../shared/match-keys';
import { SubgraphContext } from '../../shared/subgraph';
import { PresenceRegistration } from '../entities/presence-registration';
import { MatchBasis } from '../enums';
import { ForeignNational, PoliceInvolvement } from '../external';
import { PoliceLoaders, RecordName } from '../loaders';

type Context = SubgraphContext<PoliceLoaders>;

/**
 * A person's records in one loader call: those under any of their passports, then those
 * immigration's entity resolution links to them (each with how and how surely).
 */
async function recordsOf<T extends { id: string }>(
  person: ForeignNational,
  loader: DataLoader<RecordName, T[], string>,
): Promise<{ record: T; link: IdentityLinkParts | null }[]> {
  const links = (person.identityLinks ?? []).map(identityLink.decode);
  const names: RecordName[] = [
    ...(person.passportKeys ?? []).map((passportKey) => ({ passportKey })),
    ...links.map((link) => ({ id: link.recordId })),
  ];
  const linkOf = new Map(links.map((link) => [link.recordId, link]));
  const seen = new Set<string>();
  const found: { record: T; link: IdentityLinkParts | null }[] = [];
  for (const rows of await loader.loadMany(names)) {
    if (rows instanceof Error) throw rows;
    for (const record of rows)
      if (!seen.has(record.id)) {
        seen.add(record.id);
        found.push({ record, link: linkOf.get(record.id) ?? null });
      }
  }
  return found;
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
    const involvements = (await recordsOf(person, loaders.partiesNamed)).map(({ record, link }) => ({
      party: record,
      matchedBy: !link
        ? MatchBasis.PASSPORT
        : link.basis === 'CONFIRMED'
          ? MatchBasis.CONFIRMED
          : MatchBasis.PROBABILISTIC,
      matchProbability: link?.probability ?? null,
    }));
    const reports = await Promise.all(involvements.map(({ party }) => loaders.reportById.load(party.reportId)));
    return involvements
      .map((involvement, index) => ({ role: involvement.party.role, ...involvement, report: reports[index]! }))
      .filter((involvement) => involvement.report)
      .sort((a, b) => b.report.occurredAt.localeCompare(a.report.occurredAt));
  }

  @FieldResolver(() => [PresenceRegistration], {
    nullable: true,
    description:
      "Presence registrations under any passport, or linked by immigration's entity resolution; newest first.",
  })
  @Directive('@requires(fields: "passportKeys identityLinks")')
  @Authorized(READERS.presence)
  async registrations(@Root() person: ForeignNational, @Ctx() { loaders }: Context) {
    const registrations = (await recordsOf(person, loaders.registrationsNamed)).map(({ record }) => record);
    return registrations.sort((a, b) => b.checkIn.localeCompare(a.checkIn));
  }
}
