import { MASKED_ADDRESS, READERS } from '../../shared/access';
import { Authorized, Arg, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { SubgraphContext } from '../../shared/subgraph';
import { ForeignNational } from '../entities/foreign-national';
import { identifyParty, personByPassportKey } from '../identity';
import { LinkKind, PersonLink } from '../links';
import { sponsorKey } from '../../shared/match-keys';
import { ImmigrationLoaders } from '../loaders';

type Context = SubgraphContext<ImmigrationLoaders>;

/** What the other agencies must hand over (@requires) for immigration to resolve the linked people. */
const LINK_INPUT =
  'workPermits { employer { nib name workPermits { workerPassportKey } } } ' +
  'policeReports { report { reportNumber involvedPeople { passportKey identityKey } } }';

@Authorized(READERS.oversight)
@Resolver(() => ForeignNational)
export class LinksResolver {
  @FieldResolver(() => [PersonLink], {
    nullable: true,
    description: 'People who share an employer, a sponsor, a police report or a domicile address with this person.',
  })
  @Directive(`@requires(fields: "${LINK_INPUT}")`)
  async links(
    @Root() person: ForeignNational,
    @Arg('kinds', () => [LinkKind], { nullable: true }) kinds: LinkKind[] | null,
    @Ctx() { loaders, identity }: Context,
  ): Promise<PersonLink[]> {
    const wanted = (kind: LinkKind) => !kinds?.length || kinds.includes(kind);
    const links: PersonLink[][] = await Promise.all([
      wanted(LinkKind.SAME_EMPLOYER) ? employerLinks(person, loaders) : [],
      wanted(LinkKind.SAME_POLICE_REPORT) ? reportLinks(person, loaders) : [],
      wanted(LinkKind.SAME_SPONSOR) || wanted(LinkKind.SAME_ADDRESS) ? permitLinks(person, loaders, wanted) : [],
    ]);
    // The shared address is the person's domicile address: masked without the pii clearance, as
    // StayPermit.domicileAddress is (the link itself stays: link analysis is the point).
    const shown = identity.pii
      ? links.flat()
      : links
          .flat()
          .map((link) => (link.kind === LinkKind.SAME_ADDRESS ? { ...link, sharedRecord: MASKED_ADDRESS } : link));
    const seen = new Set<string>();
    return shown.filter((link) => {
      const key = `${link.kind}|${link.sharedRecord}|${link.person.id}`;
      if (link.person.id === person.id || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
}

async function employerLinks(person: ForeignNational, loaders: ImmigrationLoaders): Promise<PersonLink[]> {
  const employers = new Map((person.workPermits ?? []).map((permit) => [permit.employer.nib, permit.employer]));
  const links = await Promise.all(
    [...employers.values()].map(async (employer) => {
      const coworkers = await personsByPassportKeys(
        loaders,
        (employer.workPermits ?? []).map((permit) => permit.workerPassportKey),
      );
      return coworkers.map((other) =>
        link(LinkKind.SAME_EMPLOYER, `${employer.name} (NIB ${employer.nib})`, 'manpower', other),
      );
    }),
  );
  return links.flat();
}

async function reportLinks(person: ForeignNational, loaders: ImmigrationLoaders): Promise<PersonLink[]> {
  const links = await Promise.all(
    (person.policeReports ?? []).map(async ({ report }) => {
      const parties = await Promise.all(report.involvedPeople.map((party) => identifyParty(loaders, party)));
      return parties
        .filter((other): other is ForeignNational => !!other)
        .map((other) => link(LinkKind.SAME_POLICE_REPORT, report.reportNumber, 'police', other));
    }),
  );
  return links.flat();
}

async function permitLinks(
  person: ForeignNational,
  loaders: ImmigrationLoaders,
  wanted: (kind: LinkKind) => boolean,
): Promise<PersonLink[]> {
  const permits = await loaders.permitsByPerson.load(person.id);
  const sponsors = [...new Set(permits.map((permit) => sponsorKey(permit.sponsorNib, permit.sponsorName)))];
  const addresses = [...new Set(permits.map((permit) => permit.domicileAddress))];
  const [bySponsor, byAddress] = await Promise.all([
    wanted(LinkKind.SAME_SPONSOR) ? loaders.permitsBySponsor.loadMany(sponsors) : [],
    wanted(LinkKind.SAME_ADDRESS) ? loaders.permitsByAddress.loadMany(addresses) : [],
  ]);
  const toLinks = async (kind: LinkKind, groups: unknown[], labels: string[]) =>
    (
      await Promise.all(
        groups.flatMap((group, index) =>
          (group instanceof Error ? [] : (group as { personId: string }[])).map(async (permit) => {
            const other = await loaders.personById.load(permit.personId);
            return other ? [link(kind, labels[index], 'immigration', other)] : [];
          }),
        ),
      )
    ).flat();
  const sponsorLabels = sponsors.map(sponsorKey.decode).map((sponsor) => sponsor.nib ?? sponsor.name);
  const sponsorLinks = await toLinks(LinkKind.SAME_SPONSOR, bySponsor, sponsorLabels);
  return [...sponsorLinks, ...(await toLinks(LinkKind.SAME_ADDRESS, byAddress, addresses))];
}

async function personsByPassportKeys(loaders: ImmigrationLoaders, keys: string[]): Promise<ForeignNational[]> {
  const persons = await Promise.all(keys.map((key) => personByPassportKey(loaders, key)));
  return persons.filter((other): other is ForeignNational => !!other);
}

function link(kind: LinkKind, sharedRecord: string, agency: string, person: ForeignNational): PersonLink {
  return { kind, sharedRecord, agency, person };
}
