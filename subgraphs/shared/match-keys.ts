/*
 * Match keys: how agencies that share no ids find each other's records about one person. Each
 * owner exposes them as `@inaccessible` fields, so the query planner hands them to the subgraph
 * that `@requires` them while clients never see them; personal fields can then be masked for users
 * without the pii clearance without breaking a single join.
 *
 * Each key is built by calling it (`passportKey(country, number)`) and read back with its `decode`:
 * no other server code spells or splits a key (test/match-keys.test.ts checks).
 */

export interface PassportKeyParts {
  country: string;
  number: string;
}

/** The cross-agency key of a passport: issuing country and number, e.g. "CHN:E12345678". */
export const passportKey = Object.assign((country: string, number: string): string => `${country}:${number}`, {
  /** Country codes and passport numbers hold no colon: the first one separates them. */
  decode(key: string): PassportKeyParts {
    const colon = key.indexOf(':');
    return { country: colon < 0 ? '' : key.slice(0, colon), number: key.slice(colon + 1) };
  },
  /** The same key computed by the database from two columns, to compare with keys in SQL. */
  sql(countryColumn: string, numberColumn: string): string {
    return `${countryColumn} || ':' || ${numberColumn}`;
  },
});

export interface IdentityKeyParts {
  nameKey: string;
  dateOfBirth: string;
  nationality: string;
}

/** The key of a person known without passport: name key, date of birth and nationality, e.g. "li wei|1990-04-01|CHN". */
export const identityKey = Object.assign(
  (nameKey: string, dateOfBirth: string, nationality: string): string => `${nameKey}|${dateOfBirth}|${nationality}`,
  {
    /** Name keys hold letters, digits and spaces only (text.ts), dates and nationalities no "|" either. */
    decode(key: string): IdentityKeyParts {
      const [nameKey, dateOfBirth = '', nationality = ''] = key.split('|');
      return { nameKey, dateOfBirth, nationality };
    },
  },
);

/** Who sponsors a stay permit, within immigration: the company's NIB, or "name:<sponsor>" for a person. */
export const sponsorKey = Object.assign((nib: string | null, name: string): string => nib ?? `name:${name}`, {
  /** Exactly one of the two is set. */
  decode(key: string): { nib: string; name: null } | { nib: null; name: string } {
    return key.startsWith('name:') ? { nib: null, name: key.slice('name:'.length) } : { nib: key, name: null };
  },
});

/** How immigration decided that a record without passport is a person: above the auto-link threshold, or an analyst confirmed it. */
export type IdentityLinkBasis = 'PROBABILISTIC' | 'CONFIRMED';

export interface IdentityLinkParts {
  recordId: string;
  basis: IdentityLinkBasis;
  probability: number;
}

/**
 * A police record immigration links to a person (entity resolution), with how and how surely:
 * e.g. "6f1c…|PROBABILISTIC|0.9987". Police reads these (ForeignNational.identityLinks) to attach
 * the same records immigration attaches: one decision, read from both sides.
 */
export const identityLink = Object.assign(
  (recordId: string, basis: IdentityLinkBasis, probability: number): string => `${recordId}|${basis}|${probability}`,
  {
    /** Record ids are UUIDs, bases words, probabilities numbers: none holds a "|". */
    decode(key: string): IdentityLinkParts {
      const [recordId, basis, probability] = key.split('|');
      return { recordId, basis: basis as IdentityLinkBasis, probability: Number(probability) };
    },
  },
);
