import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRemoteJWKSet, importSPKI, importPKCS8, KeyLike } from 'jose';
import {
  DEFAULT_MAX_TOKEN_LIFETIME,
  DEV_AUDIENCE,
  DEV_ISSUER,
  generateSigningKeys,
  issueToken,
  loadOrCreateKeyPair,
  Role,
  ROLES,
  publicKeyFromPem,
  SigningKeys,
  tokenVerifier,
  TokenRequest,
  VerifyToken,
} from './auth';
import { ConfigError } from './errors';
import {
  AssertionSigner,
  assertionSigner,
  AssertionVerifier,
  assertionVerifier,
  GATEWAY,
  ReplayGuard,
} from './assertions';

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
  /** Seconds an assertion (the gateway's to an agency, a service's delegation) stays valid. */
  identityLifetime: number;
  /** `<service>.pub.pem` of every service that may act on a user's behalf, `<service>.key.pem` of this one. */
  serviceKeysDir: string;
  /** Seconds a user token may live at most (AUTH_MAX_TOKEN_LIFETIME); longer-lived ones are refused. */
  maxTokenLifetime: number;
  /** Where development keys are generated at first start (never committed: data/ is ignored). */
  keysDir: string;
}

/** What the services need at run time: verifiers, and the signers this process may use. */
export interface Auth {
  verifyUserToken: VerifyToken;
  /** The gateway's: signs the assertion of one call to one agency; undefined outside the gateway. */
  signAgencyAssertion?: AssertionSigner;
  /** Checks the assertions addressed to `audience`: a subgraph's name, or GATEWAY for delegations. */
  assertionVerifier(audience: string): AssertionVerifier;
  /** `service`'s own signer, to ask the gateway or a peer on a user's behalf; undefined without its key. */
  delegationSigner(service: string): AssertionSigner | undefined;
  /** Whether `issuer` is a service whose delegations can be checked here (its public key is known). */
  isService(issuer: string): Promise<boolean>;
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
    identityLifetime: Number(env.IDENTITY_TOKEN_LIFETIME || 30),
    maxTokenLifetime: Number(env.AUTH_MAX_TOKEN_LIFETIME || DEFAULT_MAX_TOKEN_LIFETIME),
    keysDir: path.join(dataDir, 'keys'),
    serviceKeysDir: env.SERVICE_KEYS_DIR || path.join(dataDir, 'keys', 'services'),
  };
  const unknown = settings.algorithms.filter((name) => !ALGORITHMS.includes(name));
  if (unknown.length)
    throw new ConfigError(`AUTH_ALGORITHMS may list ${ALGORITHMS.join(', ')}; got ${unknown.join(', ')}`);
  if (!Number.isInteger(settings.identityLifetime) || settings.identityLifetime < 5 || settings.identityLifetime > 300)
    throw new ConfigError('IDENTITY_TOKEN_LIFETIME must be a whole number of seconds from 5 to 300');
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
 * `keysDir` at first start: a development issuer (for `npm run token`), the gateway's identity
 * key, and a key per service this process runs. `forGateway` asks for the private identity key
 * too; subgraphs only ever get the public one. `services` are the subgraphs this process runs:
 * each may act on a user's behalf with its own key (`<serviceKeysDir>/<name>.key.pem`).
 */
export async function loadAuth(settings: AuthSettings, forGateway: boolean, services: string[] = []): Promise<Auth> {
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
    services: await serviceKeys(settings, services),
    lifetime: settings.identityLifetime,
    maxTokenLifetime: settings.maxTokenLifetime,
    devIssuerKey: dev?.privateKey,
  });
}

/** A service's name as it may appear in a key file's name (it comes from unverified tokens too). */
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,40}$/;

/**
 * The private keys of the services this process runs (generated outside production), and a
 * lookup of any service's public key in the keys folder, read when first needed: a service
 * started later on this machine is trusted without restarting the gateway.
 */
async function serviceKeys(settings: AuthSettings, services: string[]): Promise<ServiceKeys> {
  const own: Record<string, SigningKeys> = {};
  for (const name of services) {
    const privateFile = path.join(settings.serviceKeysDir, `${name}.key.pem`);
    if (existsSync(privateFile)) own[name] = await readKeyPair(settings.serviceKeysDir, name);
    else if (!settings.production) own[name] = await loadOrCreateKeyPair(settings.serviceKeysDir, name);
  }
  const found = new Map<string, KeyLike | undefined>();
  return {
    own: (name) => own[name]?.privateKey,
    publicKey: async (name) => {
      if (own[name]) return own[name].publicKey;
      if (!SERVICE_NAME.test(name)) return undefined;
      if (!found.get(name)) found.set(name, await readPublicKey(path.join(settings.serviceKeysDir, `${name}.pub.pem`)));
      return found.get(name);
    },
  };
}

async function readKeyPair(dir: string, name: string): Promise<SigningKeys> {
  return {
    privateKey: await importPKCS8(readPem(path.join(dir, `${name}.key.pem`), 'SERVICE_KEYS_DIR'), 'EdDSA'),
    publicKey: await importSPKI(readPem(path.join(dir, `${name}.pub.pem`), 'SERVICE_KEYS_DIR'), 'EdDSA'),
  };
}

async function readPublicKey(file: string): Promise<KeyLike | undefined> {
  return existsSync(file) ? importSPKI(readFileSync(file, 'utf8'), 'EdDSA') : undefined;
}

/** The services' keys as this process knows them: its own private ones, everyone's public ones. */
export interface ServiceKeys {
  own(name: string): KeyLike | undefined;
  publicKey(name: string): Promise<KeyLike | undefined>;
}

/** Keys held in memory (tests): each service's pair. */
export function serviceKeysInMemory(pairs: Record<string, SigningKeys>): ServiceKeys {
  return { own: (name) => pairs[name]?.privateKey, publicKey: async (name) => pairs[name]?.publicKey };
}

export function authFromKeys(keys: {
  issuer: string;
  audience: string;
  algorithms?: string[];
  userKey: Parameters<typeof tokenVerifier>[0]['key'];
  identity: Partial<SigningKeys> & { publicKey: KeyLike };
  services: ServiceKeys;
  /** Seconds an assertion lives, and the longest one accepted. @default 30 */
  lifetime?: number;
  /** Seconds a user token may live at most. @default 12 hours */
  maxTokenLifetime?: number;
  devIssuerKey?: KeyLike;
}): Auth {
  const lifetime = keys.lifetime ?? 30;
  const verifiers = new Map<string, AssertionVerifier>();
  const verifierFor = (audience: string): AssertionVerifier => {
    return assertionVerifier({
      audience,
      // The gateway's own key vouches to the agencies only: at the gateway, only services delegate.
      trusted: async (issuer) => {
        if (issuer === GATEWAY) return audience === GATEWAY ? undefined : keys.identity.publicKey;
        return keys.services.publicKey(issuer);
      },
      maxLifetimeSeconds: lifetime,
      replays: new ReplayGuard(),
    });
  };
  return {
    verifyUserToken: tokenVerifier({
      issuer: keys.issuer,
      audience: keys.audience,
      key: keys.userKey,
      algorithms: keys.algorithms ?? ALGORITHMS,
      maxLifetimeSeconds: keys.maxTokenLifetime ?? DEFAULT_MAX_TOKEN_LIFETIME,
    }),
    signAgencyAssertion: keys.identity.privateKey
      ? assertionSigner(GATEWAY, keys.identity.privateKey, lifetime)
      : undefined,
    assertionVerifier: (audience) => {
      if (!verifiers.has(audience)) verifiers.set(audience, verifierFor(audience));
      return verifiers.get(audience)!;
    },
    isService: async (issuer) => issuer !== GATEWAY && (await keys.services.publicKey(issuer)) !== undefined,
    delegationSigner: (service) => {
      const key = keys.services.own(service);
      return key ? assertionSigner(service, key, lifetime) : undefined;
    },
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

/** A demo token of the IDE's role picker: one role, with or without the pii clearance. */
export interface DevToken {
  role: Role;
  pii: boolean;
  token: string;
}

/**
 * Development only: a demo token per role, with and without the pii clearance, for the IDE's role
 * picker, which offers them to the loopback address only (gateway/ide).
 */
export function devTokensPerRole(auth: Auth): (() => Promise<DevToken[]>) | undefined {
  const key = auth.devIssuerKey;
  if (!key) return undefined;
  const choices = ROLES.flatMap((role) => [true, false].map((pii) => ({ role, pii })));
  return () =>
    Promise.all(
      choices.map(async ({ role, pii }) => ({
        role,
        pii,
        token: await issueToken(key, {
          subject: `demo-${role}`,
          roles: [role],
          pii,
          lifetimeSeconds: DEV_TOKEN_LIFETIME,
        }),
      })),
    );
}

/** Auth with every key generated in memory: a development issuer, the gateway's key, one per service. */
export interface InMemoryAuth<TService extends string> {
  auth: Auth;
  /** A user token as that issuer would sign it. */
  token(request: TokenRequest): Promise<string>;
  /** The gateway's pair, to forge or replay an assertion in tests. */
  identityKeys: SigningKeys;
  /** Each service's own pair, with which it delegates. */
  serviceKeys: Record<TService, SigningKeys>;
}

/** For tests and the loopback tools (fuzz): nothing is read from or written to disk. */
export async function authInMemory<TService extends string>(
  services: readonly TService[],
): Promise<InMemoryAuth<TService>> {
  const [issuer, identityKeys, ...pairs] = await Promise.all(
    [null, null, ...services].map(() => generateSigningKeys()),
  );
  const serviceKeys = Object.fromEntries(services.map((name, index) => [name, pairs[index]])) as Record<
    TService,
    SigningKeys
  >;
  return {
    auth: authFromKeys({
      issuer: DEV_ISSUER,
      audience: DEV_AUDIENCE,
      userKey: issuer.publicKey,
      identity: identityKeys,
      services: serviceKeysInMemory(serviceKeys),
      devIssuerKey: issuer.privateKey,
    }),
    token: (request) => issueToken(issuer.privateKey, request),
    identityKeys,
    serviceKeys,
  };
}
