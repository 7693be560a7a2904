import { AuthChecker, MiddlewareFn, UseMiddleware } from 'type-graphql';
import { Identity, Role } from '../../lib/auth';
import { errors } from '../../lib/errors';

/**
 * Need to know: who reads what beyond what every role sees (persons, their stay permits, the
 * figures). Each subgraph enforces the rows of its own data with `@Authorized(...READERS.x)`; the
 * README's access matrix is this table.
 */
export const READERS = {
  /** Crossings and administrative actions (immigration). */
  immigrationHistory: ['analyst', 'immigration_officer', 'police_officer', 'supervisor'],
  /** Work authorisations (RPTKA) and who works where (manpower). */
  employment: ['analyst', 'immigration_officer', 'manpower_officer', 'supervisor'],
  /** Police reports, their summaries and the people in them. */
  policeReports: ['analyst', 'police_officer', 'supervisor'],
  /** Registrations of foreigners' presence with the police. */
  presence: ['analyst', 'immigration_officer', 'police_officer', 'supervisor'],
  /** TIMPORA's findings, cases, links and timelines: the cross-agency picture. */
  oversight: ['analyst', 'supervisor'],
  /** Entity resolution: who a name could be, the review queue, and confirming or rejecting a match. */
  identityReview: ['analyst', 'supervisor'],
  /** Changing a decision an analyst already made. */
  identityOverride: ['supervisor'],
  /** The read audit. */
  audit: ['supervisor'],
} satisfies Record<string, Role[]>;

export interface HasIdentity {
  identity: Identity;
}

/** type-graphql's auth checker: a field marked `@Authorized(roles)` answers only those roles. */
export const roleChecker: AuthChecker<HasIdentity> = ({ context, info }, roles) => {
  if (roles.some((role) => context.identity.roles.includes(role as Role))) return true;
  throw errors.forbidden(
    `${info.parentType.name}.${info.fieldName} is not for your role (${context.identity.roles.join(', ') || 'none'}); it needs one of: ${roles.join(', ')}`,
  );
};

/** Keeps the last `visible` characters: enough to tell two records apart, not to identify anyone. */
export function maskText(value: string, visible = 2): string {
  return value.length <= visible + 2
    ? '•'.repeat(value.length)
    : `${'•'.repeat(value.length - visible)}${value.slice(-visible)}`;
}

type Mask = (value: any) => unknown;
const masks = new WeakMap<Function, Mask>();

function maskPii(mask: Mask): MiddlewareFn<HasIdentity> {
  const middleware: MiddlewareFn<HasIdentity> = async ({ context }, next) => {
    const value = await next();
    return context.identity.pii || value == null ? value : mask(value);
  };
  masks.set(middleware, mask);
  return middleware;
}

/** The mask a Pii middleware applies without the clearance, so that plain fields can apply it directly (plain-fields.ts). */
export function maskOf(middleware: unknown): Mask | undefined {
  return typeof middleware === 'function' ? masks.get(middleware) : undefined;
}

/** What an address reads without the `pii` clearance. */
export const MASKED_ADDRESS = '•••';

/**
 * Personal data shown only with the `pii` clearance: passport numbers, NIKs and addresses keep
 * their last characters, dates of birth come back null (fields that carry them are nullable).
 * Joins between agencies never read these fields but `@inaccessible` keys (passportKeys,
 * identityKey), so masking never breaks a join.
 */
export const Pii = {
  text: (visible = 2) => UseMiddleware(maskPii((value: string) => maskText(value, visible))),
  date: () => UseMiddleware(maskPii(() => null)),
  address: () => UseMiddleware(maskPii(() => MASKED_ADDRESS)),
};

/**
 * Need to know covers filters too. A filter on a value that is masked without the `pii` clearance
 * lets the caller enumerate it (one alias per birth date, a year in a dozen requests), so without
 * the clearance such a filter is refused before anything is read: FORBIDDEN on the field, naming
 * it. `masked` lists those filters of an input; one that only confirms a value the caller already
 * holds in full (an exact passport number) does not belong there. README.md lists every filter.
 */
export function refuseMaskedFilters(
  identity: Identity,
  filter: object | null | undefined,
  masked: readonly string[],
): void {
  if (identity.pii || !filter) return;
  const used = masked.filter((name) => (filter as Record<string, unknown>)[name] != null);
  if (used.length === 0) return;
  const names = used.map((name) => `"${name}"`).join(' and ');
  throw errors.forbidden(
    used.length === 1
      ? `${names} filters on a value masked without the pii clearance`
      : `${names} filter on values masked without the pii clearance`,
  );
}
