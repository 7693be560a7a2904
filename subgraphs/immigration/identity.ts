import { passportKey } from '../shared/match-keys';
import { ForeignNational } from './entities/foreign-national';
import { ReportParty } from './external';
import { ImmigrationLoaders } from './loaders';

/**
 * Immigration is the identity authority: other agencies name a person by passport (current or
 * earlier) or, in some police records, by name, birth date and nationality; these say who it is.
 */
export async function personByPassport(
  loaders: ImmigrationLoaders,
  country: string,
  number: string,
): Promise<ForeignNational | null> {
  return personByPassportKey(loaders, passportKey(country, number));
}

export async function personByPassportKey(loaders: ImmigrationLoaders, key: string): Promise<ForeignNational | null> {
  const passport = await loaders.passportByKey.load(key);
  return passport ? loaders.personById.load(passport.personId) : null;
}

/** By passport when the record has one, else by name, birth date and nationality when only one person fits. */
export async function identifyParty(
  loaders: ImmigrationLoaders,
  party: Pick<ReportParty, 'passportKey' | 'identityKey'>,
): Promise<ForeignNational | null> {
  if (party.passportKey) return partyAmong(party, await personByPassportKey(loaders, party.passportKey), []);
  if (!party.identityKey) return null;
  return partyAmong(party, null, await loaders.personsByIdentity.load(party.identityKey));
}

/** identifyParty's rule on lookups already made (links look up a whole page's parties at once). */
export function partyAmong(
  party: Pick<ReportParty, 'passportKey' | 'identityKey'>,
  holder: ForeignNational | null | undefined,
  candidates: ForeignNational[] | undefined,
): ForeignNational | null {
  if (party.passportKey) return holder ?? null;
  return candidates?.length === 1 ? candidates[0] : null;
}
