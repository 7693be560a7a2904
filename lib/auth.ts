import { createPublicKey, KeyObject } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  createRemoteJWKSet,
  decodeJwt,
  errors,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  importPKCS8,
  importSPKI,
  JWTPayload,
  jwtVerify,
  KeyLike,
  SignJWT,
} from 'jose';

/** TIMPORA's roles; what each may read is the access table in subgraphs/shared/access.ts. */
export const ROLES = ['analyst', 'immigration_officer', 'police_officer', 'manpower_officer', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking, as verified from a token. */
export interface Identity {
  subject: string;
  roles: Role[];
  /** The `pii` clearance: passport numbers, dates of birth, addresses and NIKs unmasked. */
  pii: boolean;
}

/** Why a token was refused, in words the caller can act on; `kind` labels the refusal metric. */
export class AuthenticationError extends Error {
  constructor(
    message: string,
    readonly kind: RefusalKind = 'invalid',
  ) {
    super(message);
  }
}

/** Why a credential was refused, as counted in `credentials_refused_total`. */
export type RefusalKind =
  | 'missing'
  | 'invalid'
  | 'expired'
  | 'other-audience'
  | 'untrusted-signer'
  | 'too-long-lived'
  | 'wrong-actor'
  | 'replayed'
  | 'own-assertion';

/** The refusal kind of a jose error. */
export function refusalKindOf(error: unknown): RefusalKind {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') return 'other-audience';
  return 'invalid';
}

export type VerifyToken = (token: string) => Promise<Identity>;

export interface TokenCheck {
  issuer: string;
  audience: string;
  /** A public key, or a JWKS resolver (createRemoteJWKSet). */
  key: KeyLike | KeyObject | ReturnType<typeof createRemoteJWKSet>;
  algorithms: string[];
  /** Seconds a token may live at most (exp − iat, or exp − now without iat); none when missing. */
  maxLifetimeSeconds?: number;
}

/** The longest a user token may live unless AUTH_MAX_TOKEN_LIFETIME says otherwise: 12 hours. */
export const DEFAULT_MAX_TOKEN_LIFETIME = 12 * 3600;
const CLOCK_TOLERANCE = 5;

/**
 * Verified tokens are remembered for a minute (never past their expiry), so that a user's
 * requests do not pay a signature check each: an Ed25519 verification costs about 160 µs of CPU,
 * a lookup nothing. Keyed by the whole token; a refused token is never remembered. A key removed
 * from the identity provider's JWKS stops its tokens within the minute.
 */
export const VERIFIED_TOKEN_CACHE = { maxTokens: 10_000, maxSeconds: 60 };

/** Verifies signature, issuer, audience, expiry, not-before and lifetime, then reads the TIMPORA claims. */
export function tokenVerifier(check: TokenCheck): VerifyToken {
  const verify = uncachedTokenVerifier(check);
  const verified = new LRUCache<string, Identity>({ max: VERIFIED_TOKEN_CACHE.maxTokens });
  return async (token) => {
    const known = verified.get(token);
    if (known) return known;
    const identity = await verify(token);
    const { exp } = decodeJwt(token);
    const ttl = Math.min(VERIFIED_TOKEN_CACHE.maxSeconds * 1000, Number(exp) * 1000 - Date.now());
    if (ttl > 0) verified.set(token, identity, { ttl });
    return identity;
  };
}

function uncachedTokenVerifier(check: TokenCheck): VerifyToken {
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, check.key as KeyLike, {
        issuer: check.issuer,
        audience: check.audience,
        algorithms: check.algorithms,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE,
      }));
    } catch (error) {
      throw new AuthenticationError(reasonOf(error, check), refusalKindOf(error));
    }
    if (check.maxLifetimeSeconds !== undefined) refuseLongLived(payload, check.maxLifetimeSeconds);
    return identityOf(payload);
  };
}

/**
 * A stolen token is good until it expires, so a token issued for years is refused even when its
 * signature holds. The lifetime counts from `iat`, or from now when there is none or it lies ahead
 * (a future `iat` must not make a long-lived token look short).
 */
function refuseLongLived(payload: JWTPayload, max: number): void {
  const now = Math.floor(Date.now() / 1000);
  const from = typeof payload.iat === 'number' ? Math.min(payload.iat, now) : now;
  const lifetime = Math.round(Number(payload.exp) - from);
  if (lifetime > max + CLOCK_TOLERANCE)
    throw new AuthenticationError(
      `the token's lifetime of ${hours(lifetime)} (${lifetime} s) exceeds the maximum of ${hours(max)} (${max} s)`,
    );
}

const hours = (seconds: number) => `${Math.round((seconds / 3600) * 100) / 100} h`;

/** The TIMPORA claims of a verified token: its subject, known roles and the pii clearance. */
export function identityOf(payload: JWTPayload): Identity {
  const claimed = Array.isArray(payload.roles) ? payload.roles : [];
  const roles = claimed.filter((role): role is Role => (ROLES as readonly unknown[]).includes(role));
  return { subject: String(payload.sub), roles, pii: payload.pii === true };
}

/** Why jose refused a token, in words the caller can act on. */
export function reasonOf(error: unknown, check: Pick<TokenCheck, 'issuer' | 'audience' | 'algorithms'>): string {
  if (error instanceof errors.JWTExpired)
    return `the token expired at ${new Date(Number(error.payload.exp) * 1000).toISOString()}`;
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'aud':
        return `the token is for another audience (${JSON.stringify(error.payload.aud ?? null)}), not "${check.audience}"`;
      case 'iss':
        return `the token was issued by ${JSON.stringify(error.payload.iss ?? null)}, not by "${check.issuer}"`;
      case 'nbf':
        return `the token is not valid before ${new Date(Number(error.payload.nbf) * 1000).toISOString()}`;
      default:
        return `the token's "${error.claim}" claim is missing or invalid`;
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return `the token's algorithm is not one of ${check.algorithms.join(', ')}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the issuer matches the token';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid)
    return 'the keys of the identity provider cannot be fetched';
  return 'the token is malformed';
}

/** The issuer of a token, unverified: says which verifier to use, never whether to trust it. */
export function peekIssuer(token: string): string | undefined {
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
}

/** `Authorization: Bearer <token>` → the token, or a reason for the 401. */
export function bearerToken(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) throw new AuthenticationError('no token: send "Authorization: Bearer <token>"', 'missing');
  const match = /^Bearer\s+(\S+)$/i.exec(value.trim());
  if (!match) throw new AuthenticationError('the Authorization header must be "Bearer <token>"');
  return match[1];
}

// ------------------------------------------------------------------ keys

/** Every TIMPORA key is Ed25519: the gateway's (agency assertions), each service's, the dev issuer's. */
const KEY_ALGORITHM = 'EdDSA';

export interface SigningKeys {
  privateKey: KeyLike;
  publicKey: KeyLike;
}

export async function generateSigningKeys(): Promise<SigningKeys> {
  return generateKeyPair(KEY_ALGORITHM, { crv: 'Ed25519', extractable: true });
}

/** A key pair kept as PEM files in `dir` (created at first use, readable by the owner only). */
export async function loadOrCreateKeyPair(dir: string, name: string): Promise<SigningKeys> {
  const privateFile = path.join(dir, `${name}.key.pem`);
  const publicFile = path.join(dir, `${name}.pub.pem`);
  if (!existsSync(privateFile)) {
    const keys = await generateSigningKeys();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(privateFile, await exportPKCS8(keys.privateKey), { mode: 0o600 });
    writeFileSync(publicFile, await exportSPKI(keys.publicKey));
  }
  return {
    privateKey: await importPKCS8(readFileSync(privateFile, 'utf8'), KEY_ALGORITHM),
    publicKey: await importSPKI(readFileSync(publicFile, 'utf8'), KEY_ALGORITHM),
  };
}

/** A public key from PEM (SPKI); the algorithm comes from the key itself (RSA, EC or Ed25519). */
export function publicKeyFromPem(pem: string): KeyObject {
  return createPublicKey(pem);
}

// ------------------------------------------------------------------ development tokens

export const DEV_ISSUER = 'timpora-dev';
export const DEV_AUDIENCE = 'timpora';

export interface TokenRequest {
  subject?: string;
  roles: Role[];
  pii?: boolean;
  /** Seconds; negative for an already expired token (tests). */
  lifetimeSeconds?: number;
  audience?: string;
  issuer?: string;
}

/** A user token as an identity provider would issue it; for development and tests only. */
export async function issueToken(privateKey: KeyLike, request: TokenRequest): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: request.roles, pii: request.pii ?? false })
    .setProtectedHeader({ alg: KEY_ALGORITHM })
    .setIssuer(request.issuer ?? DEV_ISSUER)
    .setAudience(request.audience ?? DEV_AUDIENCE)
    .setSubject(request.subject ?? `dev-${request.roles.join('+')}`)
    .setIssuedAt(now)
    .setExpirationTime(now + (request.lifetimeSeconds ?? 8 * 3600))
    .sign(privateKey);
}
