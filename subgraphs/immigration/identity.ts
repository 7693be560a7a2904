import { identityLink, passportKey } from '../shared/match-keys';
import { ForeignNational } from './entities/foreign-national';
import { IdentityDecision } from './entities/identity';
import { ImmigrationLoaders } from './loaders';
import { Decision } from './matching/decisions';

/**
 * Immigration is the identity authority: other agencies name a person by passport (current or
 * earlier) or, in some police records, by name only; these say who it is. A record without
 * passport is whoever entity resolution linked it to (matching/decisions.ts), nobody otherwise.
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

/** A police record (party or registration): by its passport when it has one, else by the decision linking it. */
export async function identifyRecord(
  loaders: ImmigrationLoaders,
  record: { id: string; passportKey?: string | null },
): Promise<ForeignNational | null> {
  if (record.passportKey) return personByPassportKey(loaders, record.passportKey);
  const [link] = await loaders.linksByRecord.load(record.id);
  return link ? loaders.personById.load(link.personId) : null;
}

/** The match key police reads a linking decision by. */
export function identityLinkOf(decision: IdentityDecision): string {
  const basis = decision.decision === Decision.CONFIRMED ? 'CONFIRMED' : 'PROBABILISTIC';
  return identityLink(decision.recordId, basis, Math.round(decision.probability * 10_000) / 10_000);
}
