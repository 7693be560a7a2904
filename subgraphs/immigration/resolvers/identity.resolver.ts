import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { identityKey, passportKey } from '../../shared/loaders';
import { SubgraphContext } from '../../shared/subgraph';
import { nameKey } from '../../shared/text';
import { ForeignNational } from '../entities/foreign-national';
import { ReportParty, WorkPermit } from '../external';
import { ImmigrationLoaders } from '../loaders';

type Context = SubgraphContext<ImmigrationLoaders>;

/**
 * Immigration is the identity authority: other agencies' records name a person by passport (or,
 * for some police records, by name, birth date and nationality) and immigration says who that is.
 */
@Resolver(() => WorkPermit)
export class WorkPermitWorkerResolver {
  @FieldResolver(() => ForeignNational, { nullable: true, description: 'The worker, found by the passport on the RPTKA, current or earlier.' })
  @Directive('@requires(fields: "workerPassportNumber workerPassportCountry")')
  worker(@Root() permit: WorkPermit, @Ctx() { loaders }: Context) {
    return personByPassport(loaders, permit.workerPassportCountry, permit.workerPassportNumber);
  }
}

@Resolver(() => ReportParty)
export class ReportPartyIdentityResolver {
  @FieldResolver(() => ForeignNational, {
    nullable: true,
    description: 'The foreign national this party is: by passport, else by an unambiguous name, birth date and nationality.',
  })
  @Directive('@requires(fields: "fullName passportNumber passportCountry dateOfBirth nationality")')
  async foreignNational(@Root() party: ReportParty, @Ctx() { loaders }: Context) {
    if (party.passportNumber && party.passportCountry) {
      return personByPassport(loaders, party.passportCountry, party.passportNumber);
    }
    if (!party.dateOfBirth || !party.nationality) return null;
    const candidates = await loaders.personsByIdentity.load(identityKey(nameKey(party.fullName), party.dateOfBirth, party.nationality));
    return candidates.length === 1 ? candidates[0] : null;
  }
}

async function personByPassport(loaders: ImmigrationLoaders, country: string, number: string) {
  const passport = await loaders.passportByKey.load(passportKey(country, number));
  return passport ? loaders.personById.load(passport.personId) : null;
}
