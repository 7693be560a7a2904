import { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, Directive, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { errors } from '../../../lib/errors';
import { passportKey } from '../../shared/match-keys';
import { READERS, refuseMaskedFilters } from '../../shared/access';
import { Connection, selectsCount } from '../../shared/pagination';
import { SubgraphContext } from '../../shared/subgraph';
import { normalizeCountryCode, normalizePassportNumber, requireId } from '../../shared/validation';
import { AdministrativeAction } from '../entities/administrative-action';
import { BorderCrossing } from '../entities/border-crossing';
import { ForeignNational } from '../entities/foreign-national';
import { Passport } from '../entities/passport';
import { StayPermit } from '../entities/stay-permit';
import { identityLinkOf, personByPassport } from '../identity';
import { ImmigrationLoaders } from '../loaders';
import { currentPermit, isInCountry, overstayDays } from '../rules';
import { ForeignNationalFilter, PII_FILTERS, refuseEmploymentFilters, searchForeignNationals } from '../search';

type Context = SubgraphContext<ImmigrationLoaders>;

const ForeignNationalConnection = Connection(ForeignNational, 'ForeignNational');

@Resolver(() => ForeignNational)
export class ForeignNationalResolver {
  @Query(() => ForeignNational, { nullable: true })
  foreignNational(@Arg('id', () => ID) id: string, @Ctx() { loaders }: Context) {
    return loaders.personById.load(requireId(id));
  }

  @Query(() => ForeignNational, {
    nullable: true,
    description: 'The holder of this passport, whether it is their current passport or an earlier one.',
  })
  async foreignNationalByPassport(
    @Arg('number') number: string,
    @Arg('country', { description: 'Issuing country, ISO 3166-1 alpha-3' }) country: string,
    @Ctx() { loaders }: Context,
  ) {
    return personByPassport(loaders, normalizeCountryCode(country), normalizePassportNumber(number));
  }

  @Query(() => ForeignNationalConnection, {
    nullable: true,
    description: 'Foreign nationals in name order.',
  })
  async foreignNationals(
    @Arg('filter', () => ForeignNationalFilter, { nullable: true }) filter: ForeignNationalFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { db, clock, identity }: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    refuseMaskedFilters(identity, filter, PII_FILTERS);
    refuseEmploymentFilters(identity, filter);
    return searchForeignNationals(db, clock.today(), filter, { first, after, countNow: selectsCount(info) });
  }

  @FieldResolver(() => [Passport], { description: 'Current passport first, then earlier ones, newest first.' })
  async passports(@Root() person: ForeignNational, @Ctx() { loaders }: Context) {
    const passports = await loaders.passportsByPerson.load(person.id);
    return [...passports].sort((a, b) => Number(b.current) - Number(a.current) || b.issuedOn.localeCompare(a.issuedOn));
  }

  @FieldResolver(() => [String], { description: 'Match key of every passport, current and earlier (loaders.ts).' })
  @Directive('@inaccessible')
  async passportKeys(@Root() person: ForeignNational, @Ctx() { loaders }: Context) {
    return (await loaders.passportsByPerson.load(person.id)).map((passport) =>
      passportKey(passport.country, passport.number),
    );
  }

  @FieldResolver(() => [String], {
    description: 'Police records without passport linked to the person by entity resolution (match-keys.ts).',
  })
  @Directive('@inaccessible')
  async identityLinks(@Root() person: ForeignNational, @Ctx() { loaders }: Context) {
    return (await loaders.linksByPerson.load(person.id)).map(identityLinkOf);
  }

  @FieldResolver(() => [StayPermit], { description: 'All stay permits, newest first.' })
  async stayPermits(@Root() person: ForeignNational, @Ctx() { loaders }: Context) {
    const permits = await loaders.permitsByPerson.load(person.id);
    return [...permits].sort((a, b) => b.validFrom.localeCompare(a.validFrom));
  }

  @FieldResolver(() => StayPermit, { nullable: true, description: 'The permit active today, if any.' })
  async currentStayPermit(@Root() person: ForeignNational, @Ctx() { loaders, clock }: Context) {
    return currentPermit(await loaders.permitsByPerson.load(person.id), clock.today());
  }

  @FieldResolver(() => [BorderCrossing], { nullable: true, description: 'Entries and exits, newest first.' })
  @Authorized(READERS.immigrationHistory)
  async crossings(@Root() person: ForeignNational, @Ctx() { loaders }: Context) {
    const crossings = await loaders.crossingsByPerson.load(person.id);
    return [...crossings].sort((a, b) => b.crossedAt.localeCompare(a.crossedAt));
  }

  @FieldResolver(() => [BorderCrossing], {
    nullable: true,
    description:
      'Entries and exits from `since` (inclusive) to `until` (exclusive), newest first: reads only the years they span.',
  })
  @Authorized(READERS.immigrationHistory)
  async crossingsBetween(
    @Root() person: ForeignNational,
    @Arg('since', () => DateTimeISOResolver) since: Date,
    @Arg('until', () => DateTimeISOResolver) until: Date,
    @Ctx() { loaders }: Context,
  ) {
    if (until <= since) throw errors.badUserInput('"until" must be after "since"', 'until');
    const crossings = await loaders.crossingsBetween.load({
      since: since.toISOString(),
      until: until.toISOString(),
      personId: person.id,
    });
    return [...crossings].sort((a, b) => b.crossedAt.localeCompare(a.crossedAt));
  }

  @FieldResolver(() => Boolean, { description: 'True when the last recorded crossing is an entry.' })
  async inCountry(@Root() person: ForeignNational, @Ctx() { loaders }: Context) {
    return inCountryOf(person, loaders);
  }

  @FieldResolver(() => Int, {
    description: 'Days in the country past the last stay permit (UU 6/2011 art. 78); 0 if none.',
  })
  async overstayDays(@Root() person: ForeignNational, @Ctx() { loaders, clock }: Context) {
    const [permits, inCountry] = await Promise.all([
      loaders.permitsByPerson.load(person.id),
      inCountryOf(person, loaders),
    ]);
    return overstayDays(permits, inCountry, clock.today());
  }

  @FieldResolver(() => [AdministrativeAction], {
    nullable: true,
    description: 'Administrative actions (art. 75), newest first.',
  })
  @Authorized(READERS.immigrationHistory)
  async administrativeActions(@Root() person: ForeignNational, @Ctx() { loaders }: Context) {
    const actions = await loaders.actionsByPerson.load(person.id);
    return [...actions].sort((a, b) => b.decidedOn.localeCompare(a.decidedOn));
  }
}

/**
 * isInCountry of the person's crossings, as the person row keeps it (lastCrossingIsEntry, set in
 * the transaction of every crossing written, search-columns.ts): no read of the crossings, which
 * on PostgreSQL would probe every year's partition for each person of a page.
 */
async function inCountryOf(person: ForeignNational, loaders: Context['loaders']): Promise<boolean> {
  if (person.lastCrossingIsEntry != null) return Boolean(person.lastCrossingIsEntry);
  return isInCountry(await loaders.crossingsByPerson.load(person.id));
}
