import { createHmac, KeyObject, randomUUID, sign } from 'node:crypto';
import { decodeJwt, JWTPayload, jwtVerify, KeyLike } from 'jose';
import { AuthenticationError, Identity, identityOf, reasonOf, refusalKindOf } from './auth';

/**
 * Who vouches for a user between TIMPORA's services, both sides in one module (as Hive Gateway's
 * hmac-upstream-signature keeps signing and checking together). Every call into a service carries
 * a signed assertion good for one recipient and one call:
 * - an **agency assertion**: the gateway (`iss: timpora-gateway`) to one subgraph (`aud: police`),
 *   sent as `x-timpora-identity`;
 * - a **delegation**: a service (`iss` and `act.sub`: `oversight`) asking the gateway
 *   (`aud: timpora-gateway`) or a peer subgraph (`aud: manpower`) on behalf of the user it serves,
 *   signed with a key only that service holds (RFC 8693's actor claim).
 * Each lives seconds (`exp - iat`), carries a unique id (`jti`) that the recipient accepts once,
 * and the request id (`rid`) it belongs to. A captured one opens nothing but the call it was for.
 *
 * Agency assertions are HMAC-SHA256 (HS256) with a secret per agency that only the gateway and
 * that agency hold: one is signed and verified per subgraph call, and Ed25519 cost 3.4 times the
 * CPU per call (`npm run bench:assertions`), about a tenth of the subgraphs' CPU on the full view. An
 * agency's secret vouches to that agency alone, so whoever holds it gains what that agency's host
 * already has, and nothing at any other agency. Delegations stay Ed25519: a service's key is its
 * own, and the recipients hold only its public half.
 */
export const GATEWAY = 'timpora-gateway';
export const IDENTITY_HEADER = 'x-timpora-identity';

/** The key of one issuer, with the one algorithm it signs with: a token naming another is refused. */
export interface IssuerKey {
  algorithm: 'EdDSA' | 'HS256';
  key: KeyLike;
}

/** A verified assertion: who asks, for which request, and which service asks for them (if any). */
export interface Assertion {
  identity: Identity;
  requestId: string;
  /** The service acting on the user's behalf; null when the gateway vouches directly. */
  actor: string | null;
  id: string;
}

export type AssertionSigner = (identity: Identity, to: { audience: string; requestId: string }) => Promise<string>;
export type AssertionVerifier = (token: string) => Promise<Assertion>;

const protectedHeader = (algorithm: IssuerKey['algorithm']) =>
  Buffer.from(JSON.stringify({ alg: algorithm })).toString('base64url');
const PROTECTED_HEADERS = { EdDSA: protectedHeader('EdDSA'), HS256: protectedHeader('HS256') };

/** The compact JWS signature of `input`, synchronously. */
function signature(input: string, { algorithm, key }: IssuerKey): string {
  const signingKey = key as KeyObject;
  return algorithm === 'HS256'
    ? createHmac('sha256', signingKey).update(input).digest('base64url')
    : sign(null, Buffer.from(input), signingKey).toString('base64url');
}

/**
 * Signs assertions as `issuer`, with the key `keyFor` gives for the recipient: the gateway with
 * each agency's secret, a service delegating with its own private key whoever the recipient. The
 * compact JWS is assembled here and signed synchronously (the gateway signs one per subgraph
 * call): jose's SignJWT costs twice the CPU for the same token, most of it in its promisified
 * signing. jose verifies them (below), which checks that both agree. A recipient without a key
 * is refused here, before anything is sent.
 */
export function assertionSigner(
  issuer: string,
  keyFor: (audience: string) => IssuerKey | undefined,
  lifetimeSeconds: number,
): AssertionSigner {
  return async (identity, { audience, requestId }) => {
    const key = keyFor(audience);
    if (!key) throw new Error(`${issuer} holds no key to vouch to "${audience}"`);
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      roles: identity.roles,
      pii: identity.pii,
      rid: requestId,
      ...(issuer === GATEWAY ? {} : { act: { sub: issuer } }),
      iss: issuer,
      aud: audience,
      sub: identity.subject,
      jti: randomUUID(),
      iat: now,
      exp: now + lifetimeSeconds,
    };
    const input = `${PROTECTED_HEADERS[key.algorithm]}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${input}.${signature(input, key)}`;
  };
}

export interface AssertionCheck {
  /** Who this is: an assertion for anyone else is refused. */
  audience: string;
  /** The key of an issuer who may vouch here (the gateway's secret for this agency, a delegating service's public key), else undefined. */
  trusted: (issuer: string) => Promise<IssuerKey | undefined>;
  /** The longest `exp - iat` accepted, in seconds. */
  maxLifetimeSeconds: number;
  /** Ids already accepted, shared by every verifier of this recipient. */
  replays: ReplayGuard;
}

/** Checks signature, recipient, lifetime, actor and single use; the reason names what failed. */
export function assertionVerifier(check: AssertionCheck): AssertionVerifier {
  return async (token) => {
    const { issuer, audience } = unverifiedAddress(token);
    // Named before the signature: with a secret per agency, one for another agency never verifies here.
    if (audience !== check.audience)
      throw new AuthenticationError(
        `the token is for another audience (${JSON.stringify(audience ?? null)}), not "${check.audience}"`,
        'other-audience',
      );
    const key = await check.trusted(issuer);
    if (!key)
      throw new AuthenticationError(
        `the assertion is signed by "${issuer}", whom ${check.audience} does not trust`,
        'untrusted-signer',
      );
    const payload = await verified(token, key, issuer, check);
    const lifetime = Number(payload.exp) - Number(payload.iat);
    if (!(lifetime <= check.maxLifetimeSeconds))
      throw new AuthenticationError(
        `the assertion lives ${lifetime} s, longer than ${check.maxLifetimeSeconds} s`,
        'too-long-lived',
      );
    const actor = (payload.act as { sub?: unknown } | undefined)?.sub ?? null;
    if (issuer === GATEWAY ? actor !== null : actor !== issuer)
      throw new AuthenticationError(
        `the assertion's actor ${JSON.stringify(actor)} does not match its issuer "${issuer}"`,
        'wrong-actor',
      );
    if (!check.replays.claim(String(payload.jti), Number(payload.exp) * 1000))
      throw new AuthenticationError('the assertion was already used: each is good for one call', 'replayed');
    return {
      identity: identityOf(payload),
      requestId: String(payload.rid ?? ''),
      actor: actor as string | null,
      id: String(payload.jti),
    };
  };
}

async function verified(token: string, key: IssuerKey, issuer: string, check: AssertionCheck): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, key.key, {
      issuer,
      audience: check.audience,
      algorithms: [key.algorithm],
      requiredClaims: ['exp', 'iat', 'jti', 'sub'],
      clockTolerance: 5,
    });
    return payload;
  } catch (error) {
    const reason = reasonOf(error, { audience: check.audience, issuer, algorithms: [key.algorithm] });
    throw new AuthenticationError(reason, refusalKindOf(error));
  }
}

/**
 * The issuer and audience named inside a token, unverified: they say which key to check it with
 * and whom it is for, never whether to trust it.
 */
export function unverifiedAddress(token: string): { issuer: string; audience: unknown } {
  try {
    const claims = decodeJwt(token);
    return { issuer: String(claims.iss ?? ''), audience: claims.aud };
  } catch {
    throw new AuthenticationError('the assertion is malformed');
  }
}

/**
 * The ids of assertions accepted and not yet expired. Memory is bounded: beyond `capacity` live
 * ids (about capacity / lifetime calls a second) new assertions are refused rather than an old id
 * forgotten early, which would let it be replayed.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly capacity = 200_000) {}

  /** True the first time an id is offered before it expires; false for a replay or when full. */
  claim(id: string, expiresAtMs: number, now = Date.now()): boolean {
    if (this.seen.has(id)) return false;
    this.forgetOldest(now);
    if (this.seen.size >= this.capacity) this.forgetExpired(now);
    if (this.seen.size >= this.capacity) return false;
    this.seen.set(id, expiresAtMs);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  /** Ids arrive in about the order they expire: drop the expired ones at the front, cheaply. */
  private forgetOldest(now: number) {
    for (const [id, expiresAt] of this.seen) {
      if (expiresAt + 5_000 >= now) return;
      this.seen.delete(id);
    }
  }

  private forgetExpired(now: number) {
    for (const [id, expiresAt] of this.seen) if (expiresAt + 5_000 < now) this.seen.delete(id);
  }
}
