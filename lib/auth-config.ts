import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRemoteJWKSet, importSPKI, importPKCS8, KeyLike } from 'jose';
import {
  DEFAULT_MAX_TOKEN_LIFETIME,
  DEV_AUDIENCE,
  DEV_ISSUER,
  Identity,
  identitySigner,
  identityVerifier,
  issueToken,
  loadOrCreateKeyPair,
  ROLES,
  publicKeyFromPem,
  SigningKeys,
  tokenVerifier,
  TokenRequest,
  VerifyToken,
} from './auth';
import { ConfigError } from './errors';

/** The authentication settings from the environment (see README, Configuration). */
export interface AuthSettings {
  production: boolean;
  issuer: string;
  audience: string;
  jwksUrl?: string;
  publicKeyFile?: string;
  algorithms: string[];
  identityPrivateKeyFile?: string;
  identityPublicKeyFile?: string;
  /** Seconds an identity assertion from the gateway stays valid. */
  identityLifetime: number;
  /** Seconds a user token may live at most (AUTH_MAX_TOKEN_LIFETIME); longer-lived ones are refused. */
  maxTokenLifetime: number;
  /** Where development keys are generated at first start (never committed: data/ is ignored). */
  keysDir: string;
}

/** What the services need at run time: ready verifiers and, for the gateway, the signer. */
export interface Auth {
  verifyUserToken: VerifyToken;
  verifyIdentity: VerifyToken;
  signIdentity?: (identity: Identity, requestId: string) => Promise<string>;
  /** Development only: the key that signs `npm run token` tokens. */
  devIssuerKey?: KeyLike;
}

const ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];

export function readAuthSettings(env: NodeJS.ProcessEnv, dataDir: string): AuthSettings {
  const production = env.NODE_ENV === 'production';
  const settings: AuthSettings = {
    production,
    issuer: env.AUTH_ISSUER || (production ? '' : DEV_ISSUER),
    audience: env.AUTH_AUDIENCE || (production ? '' : DEV_AUDIENCE),
    jwksUrl: env.AUTH_JWKS_URL || undefined,
    publicKeyFile: env.AUTH_PUBLIC_KEY_FILE || undefined,
    algorithms: env.AUTH_ALGORITHMS ? env.AUTH_ALGORITHMS.split(',').map((name) => name.trim()) : ALGORITHMS,
    identityPrivateKeyFile: env.IDENTITY_PRIVATE_KEY_FILE || undefined,
    identityPublicKeyFile: env.IDENTITY_PUBLIC_KEY_FILE || undefined,
    identityLifetime: Number(env.IDENTITY_TOKEN_LIFETIME || 900),
    maxTokenLifetime: Number(env.AUTH_MAX_TOKEN_LIFETIME || DEFAULT_MAX_TOKEN_LIFETIME),
    keysDir: path.join(dataDir, 'keys'),
  };
  const unknown = settings.algorithms.filter((name) => !ALGORITHMS.includes(name));
  if (unknown.length)
    throw new ConfigError(`AUTH_ALGORITHMS may list ${ALGORITHMS.join(', ')}; got ${unknown.join(', ')}`);
  if (!Number.isInteger(settings.identityLifetime) || settings.identityLifetime < 10)
    throw new ConfigError('IDENTITY_TOKEN_LIFETIME must be a whole number of seconds, at least 10');
  if (!Number.isInteger(settings.maxTokenLifetime) || settings.maxTokenLifetime < 60)
    throw new ConfigError('AUTH_MAX_TOKEN_LIFETIME must be a whole number of seconds, at least 60');
  if (settings.jwksUrl && !/^https?:\/\//.test(settings.jwksUrl))
    throw new ConfigError(`AUTH_JWKS_URL must be an http(s) URL, got "${settings.jwksUrl}"`);
  if (production) {
    const missing = [
      !settings.issuer && 'AUTH_ISSUER',
      !settings.audience && 'AUTH_AUDIENCE',
      !settings.jwksUrl && !settings.publicKeyFile && 'AUTH_JWKS_URL or AUTH_PUBLIC_KEY_FILE',
      !settings.identityPublicKeyFile && 'IDENTITY_PUBLIC_KEY_FILE',
    ].filter(Boolean);
    if (missing.length) {
      throw new ConfigError(
        `NODE_ENV=production needs authentication configured; missing: ${missing.join(', ')}. ` +
          'Development keys and tokens exist only outside production (see README, Security).',
      );
    }
  }
  return settings;
}

/**
 * Loads the keys the settings name. Outside production, missing keys are generated under
 * `keysDir` at first start: a development issuer (for `npm run token`) and the gateway's identity
 * key. `forGateway` asks for the private identity key too; subgraphs only ever get the public one.
 */
export async function loadAuth(settings: AuthSettings, forGateway: boolean): Promise<Auth> {
  const dev = settings.production ? undefined : await loadOrCreateKeyPair(settings.keysDir, 'dev-issuer');
  // Configured identity keys win; a generated pair only when none is configured (never in production).
  const devIdentity =
    settings.production || settings.identityPublicKeyFile
      ? undefined
      : await loadOrCreateKeyPair(settings.keysDir, 'identity');
  const identityPublic = settings.identityPublicKeyFile
    ? await importSPKI(readPem(settings.identityPublicKeyFile, 'IDENTITY_PUBLIC_KEY_FILE'), 'EdDSA')
    : devIdentity!.publicKey;
  let identityPrivate: KeyLike | undefined;
  if (forGateway) {
    if (settings.identityPrivateKeyFile)
      identityPrivate = await importPKCS8(
        readPem(settings.identityPrivateKeyFile, 'IDENTITY_PRIVATE_KEY_FILE'),
        'EdDSA',
      );
    else if (devIdentity) identityPrivate = devIdentity.privateKey;
    else
      throw new ConfigError(
        'The gateway needs IDENTITY_PRIVATE_KEY_FILE (PKCS#8 Ed25519), the pair of IDENTITY_PUBLIC_KEY_FILE',
      );
  }
  const userKey = settings.jwksUrl
    ? createRemoteJWKSet(new URL(settings.jwksUrl))
    : settings.publicKeyFile
      ? publicKeyFromPem(readPem(settings.publicKeyFile, 'AUTH_PUBLIC_KEY_FILE'))
      : dev!.publicKey;
  return authFromKeys({
    issuer: settings.issuer,
    audience: settings.audience,
    algorithms: settings.algorithms,
    userKey,
    identity: { publicKey: identityPublic, privateKey: identityPrivate },
    lifetime: settings.identityLifetime,
    maxTokenLifetime: settings.maxTokenLifetime,
    devIssuerKey: dev?.privateKey,
  });
}

export function authFromKeys(keys: {
  issuer: string;
  audience: string;
  algorithms?: string[];
  userKey: Parameters<typeof tokenVerifier>[0]['key'];
  identity: Partial<SigningKeys> & { publicKey: KeyLike };
  lifetime?: number;
  /** Seconds a user token may live at most. @default 12 hours */
  maxTokenLifetime?: number;
  devIssuerKey?: KeyLike;
}): Auth {
  return {
    verifyUserToken: tokenVerifier({
      issuer: keys.issuer,
      audience: keys.audience,
      key: keys.userKey,
      algorithms: keys.algorithms ?? ALGORITHMS,
      maxLifetimeSeconds: keys.maxTokenLifetime ?? DEFAULT_MAX_TOKEN_LIFETIME,
    }),
    verifyIdentity: identityVerifier(keys.identity.publicKey),
    signIdentity: keys.identity.privateKey ? identitySigner(keys.identity.privateKey, keys.lifetime) : undefined,
    devIssuerKey: keys.devIssuerKey,
  };
}

function readPem(file: string, setting: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${setting}: cannot read "${file}" (${(error as NodeJS.ErrnoException).code})`);
  }
}

/**
 * A token for the tools of this repository (demo findings refresh, benchmark, `npm run token`):
 * TIMPORA_TOKEN when set, else, outside production, one signed with the development issuer key.
 */
export async function toolToken(
  auth: Auth,
  request: TokenRequest,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (env.TIMPORA_TOKEN) return env.TIMPORA_TOKEN;
  if (!auth.devIssuerKey)
    throw new ConfigError(
      'Set TIMPORA_TOKEN to a token of your identity provider: development tokens do not exist in production',
    );
  return issueToken(auth.devIssuerKey, request);
}

/** Seconds an IDE demo token lasts; reloading the IDE fetches fresh ones. */
export const DEV_TOKEN_LIFETIME = 3600;

/**
 * Development only: a demo token per role (with the pii clearance), for the IDE's role picker,
 * which offers them to the loopback address only (gateway/ide).
 */
export function devTokensPerRole(auth: Auth): (() => Promise<Record<string, string>>) | undefined {
  const key = auth.devIssuerKey;
  if (!key) return undefined;
  return async () =>
    Object.fromEntries(
      await Promise.all(
        ROLES.map(async (role) => [
          role,
          await issueToken(key, {
            subject: `demo-${role}`,
            roles: [role],
            pii: true,
            lifetimeSeconds: DEV_TOKEN_LIFETIME,
          }),
        ]),
      ),
    );
}
