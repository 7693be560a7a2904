import { MASKED_ADDRESS, READERS } from '../../shared/access';
import { GraphQLResolveInfo } from 'graphql';
import { Authorized, Arg, Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import { noteMissing, SubgraphContext } from '../../shared/subgraph';
import { ForeignNational } from '../entities/foreign-national';
import { LinkKind, PersonLink } from '../links';
import { linkSources } from '../link-sources';
import { ImmigrationLoaders } from '../loaders';

type Context = SubgraphContext<ImmigrationLoaders>;

const ALL_KINDS = Object.values(LinkKind);

@Authorized(READERS.oversight)
@Resolver(() => ForeignNational)
export class LinksResolver {
  @FieldResolver(() => [PersonLink], {
    nullable: true,
    description:
      'People who share an employer, a sponsor, a police report or a domicile address with this person. ' +
      'An agency that does not answer costs only its kinds of links, with an error naming it.',
  })
  async links(
    @Root() person: ForeignNational,
    @Arg('kinds', () => [LinkKind], { nullable: true }) kinds: LinkKind[] | null,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<PersonLink[]> {
    // Manpower's and police's records come by peer calls, one per agency for the whole page (link-sources.ts).
    const found = await linkSources(context).load({ person, kinds: kinds?.length ? kinds : ALL_KINDS });
    for (const error of found.missing) noteMissing(context, info, error);
    // The shared address is the person's domicile address: masked without the pii clearance, as
    // StayPermit.domicileAddress is (the link itself stays: link analysis is the point).
    const shown = context.identity.pii
      ? found.links
      : found.links.map((link) =>
          link.kind === LinkKind.SAME_ADDRESS ? { ...link, sharedRecord: MASKED_ADDRESS } : link,
        );
    const seen = new Set<string>();
    return shown.filter((link) => {
      const key = `${link.kind}|${link.sharedRecord}|${link.person.id}`;
      if (link.person.id === person.id || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
}
