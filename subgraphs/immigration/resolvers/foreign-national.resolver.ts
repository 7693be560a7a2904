import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { Connection, decodeCursor, toPage } from '../../shared/pagination';
import { SubgraphContext } from '../../shared/subgraph';
import { nameKey } from '../../shared/text';
import { normalizeCountryCode, normalizePassportNumber, pageSize, requireId } from '../../shared/validation';
import { passportKey } from '../../shared/loaders';
import { AdministrativeAction } from '../entities/administrative-action';
import { BorderCrossing } from '../entities/border-crossing';
import { ForeignNational } from '../entities/foreign-national';
import { Passport } from '../entities/passport';
import { StayPermit } from '../entities/stay-permit';
import { ImmigrationLoaders } from '../loaders';
import { currentPermit, isInCountry, overstayDays } from '../rules';

type Context = SubgraphContext<ImmigrationLoaders>;

@InputType({ description: 'All given criteria must hold.' })
export class ForeignNationalFilter {
  @Field({ nullable: true, description: 'Part of the name; case and accents are ignored.' })
  name?: string;

  @Field({ nullable: true, description: 'ISO 3166-1 alpha-3' })
  nationality?: string;

  @Field({ nullable: true, description: 'Any passport of the person, current or earlier.' })
  passportNumber?: string;

  @Field(() => LocalDateResolver, { nullable: true })
  dateOfBirth?: string;
}

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
    const key = passportKey(normalizeCountryCode(country), normalizePassportNumber(number));
    const passport = await loaders.passportByKey.load(key);
    return passport ? loaders.personById.load(passport.personId) : null;
  }

  @Query(() => ForeignNationalConnection, { description: 'Foreign nationals in name order.' })
  async foreignNationals(
    @Arg('filter', () => ForeignNationalFilter, { nullable: true }) filter: ForeignNationalFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { db }: Context,
  ) {
    const limit = pageSize(first);
    const query = db.getRepository(ForeignNational).createQueryBuilder('person');
    if (filter?.name) {
      query.andWhere("person.nameKey LIKE :name ESCAPE '\\'", { name: `%${escapeLike(nameKey(filter.name))}%` });
    }
    if (filter?.nationality) query.andWhere('person.nationality = :nationality', { nationality: normalizeCountryCode(filter.nationality, 'nationality') });
    if (filter?.dateOfBirth) query.andWhere('person.dateOfBirth = :dateOfBirth', { dateOfBirth: filter.dateOfBirth });
    if (filter?.passportNumber) {
      const holders = query
        .subQuery()
        .select('passport.personId')
        .from(Passport, 'passport')
        .where('passport.number = :passportNumber', { passportNumber: normalizePassportNumber(filter.passportNumber, 'passportNumber') });
      query.andWhere(`person.id IN ${holders.getQuery()}`, holders.getParameters());
    }
    const totalCount = await query.getCount();
    if (after) {
      const [afterName, afterId] = decodeCursor(after, 2);
      query.andWhere('(person.nameKey > :afterName OR (person.nameKey = :afterName AND person.id > :afterId))', { afterName, afterId });
    }
    const rows = await query.orderBy('person.nameKey').addOrderBy('person.id').limit(limit + 1).getMany();
    return toPage(rows, limit, totalCount, (person) => [person.nameKey, person.id]);
  }

  @FieldResolver(() => [Passport], { description: 'Current passport first, then earlier ones, newest first.' })
  async passports(@Root() person: ForeignNational, @Ctx() { loaders }: Context) {
    const passports = await loaders.passportsByPerson.load(person.id);
    return [...passports].sort((a, b) => Number(b.current) - Number(a.current) || b.issuedOn.localeCompare(a.issuedOn));
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

  @FieldResolver(() => [BorderCrossing], { description: 'Entries and exits, newest first.' })
  async crossings(@Root() person: ForeignNational, @Ctx() { loaders }: Context) {
    const crossings = await loaders.crossingsByPerson.load(person.id);
    return [...crossings].sort((a, b) => b.crossedAt.localeCompare(a.crossedAt));
  }

  @FieldResolver(() => Boolean, { description: 'True when the last recorded crossing is an entry.' })
  async inCountry(@Root() person: ForeignNational, @Ctx() { loaders }: Context) {
    return isInCountry(await loaders.crossingsByPerson.load(person.id));
  }

  @FieldResolver(() => Int, { description: 'Days in the country past the last stay permit (UU 6/2011 art. 78); 0 if none.' })
  async overstayDays(@Root() person: ForeignNational, @Ctx() { loaders, clock }: Context) {
    const [permits, crossings] = await Promise.all([
      loaders.permitsByPerson.load(person.id),
      loaders.crossingsByPerson.load(person.id),
    ]);
    return overstayDays(permits, crossings, clock.today());
  }

  @FieldResolver(() => [AdministrativeAction], { description: 'Administrative actions (art. 75), newest first.' })
  async administrativeActions(@Root() person: ForeignNational, @Ctx() { loaders }: Context) {
    const actions = await loaders.actionsByPerson.load(person.id);
    return [...actions].sort((a, b) => b.decidedOn.localeCompare(a.decidedOn));
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}
