import { identityKey, passportKey } from '../shared/loaders';
import { nameKey } from '../shared/text';
import { ForeignNational } from './entities/foreign-national';
import { ReportParty } from './external';
import { ImmigrationLoaders } from './loaders';

/**
 * Immigration is the identity authority: other agencies name a person by passport (current or
 * earlier) or, in some police records, by name, birth date and nationality; these say who it is.
 */
export async function personByPassport(loaders: ImmigrationLoaders, country: string, number: string): Promise<ForeignNational | null> {
  const passport = await loaders.passportByKey.load(passportKey(country, number));
  return passport ? loaders.personById.load(passport.personId) : null;
}

/** By passport when the record has one, else by name, birth date and nationality when only one person fits. */
export async function identifyParty(loaders: ImmigrationLoaders, party: ReportParty): Promise<ForeignNational | null> {
  if (party.passportNumber && party.passportCountry) return personByPassport(loaders, party.passportCountry, party.passportNumber);
  if (!party.dateOfBirth || !party.nationality) return null;
  const candidates = await loaders.personsByIdentity.load(identityKey(nameKey(party.fullName), party.dateOfBirth, party.nationality));
  return candidates.length === 1 ? candidates[0] : null;
}
