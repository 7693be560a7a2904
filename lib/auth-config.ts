import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  IssuerKey,
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
  /** `<agency>.secret` of each agency: the gateway reads all it calls, an agency its own (IDENTITY_KEYS_DIR). */
  identityKeysDir: string;
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
    identityKeysDir: env.IDENTITY_KEYS_DIR || path.join(dataDir, 'keys', 'identity'),
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
      !env.IDENTITY_KEYS_DIR && 'IDENTITY_KEYS_DIR',
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

/** What a process is, for the keys it loads. */
export interface AuthRoles {
  /** The gateway's: the agencies it vouches to (each agency's identity secret is read). */
  vouchesTo?: readonly string[];
  /**
   * The subgraphs this process runs: each checks the gateway's assertions with its own identity
   * secret, and may act on a user's behalf with its own key (`<serviceKeysDir>/<name>.key.pem`).
   */
  services?: readonly string[];
}

/**
 * Loads the keys the settings name. Outside production, missing keys are generated under
 * `keysDir` at first start: a development issuer (for `npm run token`), the identity secrets, and
 * a key per service this process runs. Only the gateway holds every agency's identity secret; an
 * agency reads its own alone.
 */
export async function loadAuth(settings: AuthSettings, roles: AuthRoles = {}): Promise<Auth> {
  const dev = settings.production ? undefined : await loadOrCreateKeyPair(settings.keysDir, 'dev-issuer');
  const services = roles.services ?? [];
  const agencySecrets = Object.fromEntries(
    [...new Set([...(roles.vouchesTo ?? []), ...services])].map((agency) => [agency, identitySecret(settings, agency)]),
  );
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
    agencySecrets,
    gateway: roles.vouchesTo !== undefined,
    services: await serviceKeys(settings, [...services]),
    lifetime: settings.identityLifetime,
    maxTokenLifetime: settings.maxTokenLifetime,
    devIssuerKey: dev?.privateKey,
  });
}

/** Bytes of an identity secret, at least: HS256's key should be as long as its hash (RFC 7518). */
const SECRET_BYTES = 32;

/**
 * `<identityKeysDir>/<agency>.secret`: base64 of at least 32 random bytes
 * (`openssl rand -base64 32`). Outside production a missing one is generated, written whole or
 * not at all (a second process starting at the same time reads the first one's).
 */
function identitySecret(settings: AuthSettings, agency: string): KeyLike {
  const file = path.join(settings.identityKeysDir, `${agency}.secret`);
  if (!existsSync(file) && !settings.production) writeOnce(file, randomBytes(SECRET_BYTES).toString('base64'));
  const bytes = Buffer.from(readPem(file, 'IDENTITY_KEYS_DIR').trim(), 'base64');
  if (bytes.length < SECRET_BYTES)
    throw new ConfigError(`IDENTITY_KEYS_DIR: "${file}" must hold at least ${SECRET_BYTES} bytes, base64`);
  return createSecretKey(bytes);
}

/** Creates `file` with `content`, readable by its owner only, unless it exists. */
function writeOnce(file: string, content: string) {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, content, { mode: 0o600 });
  try {
    linkSync(partial, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(partial, { force: true });
  }
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
  /** Each agency's identity secret this process holds: the gateway every agency's, an agency its own. */
  agencySecrets: Record<string, KeyLike>;
  /** Whether this is the gateway, which signs agency assertions with them. */
  gateway: boolean;
  services: ServiceKeys;
  /** Seconds an assertion lives, and the longest one accepted. @default 30 */
  lifetime?: number;
  /** Seconds a user token may live at most. @default 12 hours */
  maxTokenLifetime?: number;
  devIssuerKey?: KeyLike;
}): Auth {
  const lifetime = keys.lifetime ?? 30;
  // Made once: the gateway signs with one per subgraph call.
  const agencyKeys = new Map<string, IssuerKey>(
    Object.entries(keys.agencySecrets).map(([agency, key]) => [agency, { algorithm: 'HS256', key }]),
  );
  const agencyKey = (agency: string) => agencyKeys.get(agency);
  const serviceKey = (key: KeyLike | undefined): IssuerKey | undefined => key && { algorithm: 'EdDSA', key };
  const verifiers = new Map<string, AssertionVerifier>();
  const verifierFor = (audience: string): AssertionVerifier => {
    return assertionVerifier({
      audience,
      // The gateway vouches to the agencies only: at the gateway, only services delegate.
      trusted: async (issuer) => {
        if (issuer === GATEWAY) return audience === GATEWAY ? undefined : agencyKey(audience);
        return serviceKey(await keys.services.publicKey(issuer));
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
    signAgencyAssertion: keys.gateway ? assertionSigner(GATEWAY, agencyKey, lifetime) : undefined,
    assertionVerifier: (audience) => {
      if (!verifiers.has(audience)) verifiers.set(audience, verifierFor(audience));
      return verifiers.get(audience)!;
    },
    isService: async (issuer) => issuer !== GATEWAY && (await keys.services.publicKey(issuer)) !== undefined,
    delegationSigner: (service) => {
      const key = serviceKey(keys.services.own(service));
      return key ? assertionSigner(service, () => key, lifetime) : undefined;
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

/** Auth with every key generated in memory: a development issuer, each agency's identity secret, one pair per service. */
export interface InMemoryAuth<TService extends string> {
  auth: Auth;
  /** A user token as that issuer would sign it. */
  token(request: TokenRequest): Promise<string>;
  /** Each agency's identity secret, to forge or replay an assertion in tests. */
  identityKeys: Record<TService, KeyObject>;
  /** Each service's own pair, with which it delegates. */
  serviceKeys: Record<TService, SigningKeys>;
}

/** For tests and the loopback tools (fuzz): nothing is read from or written to disk. */
export async function authInMemory<TService extends string>(
  services: readonly TService[],
): Promise<InMemoryAuth<TService>> {
  const [issuer, ...pairs] = await Promise.all([null, ...services].map(() => generateSigningKeys()));
  const identityKeys = Object.fromEntries(
    services.map((name) => [name, createSecretKey(randomBytes(SECRET_BYTES))]),
  ) as Record<TService, KeyObject>;
  const serviceKeys = Object.fromEntries(services.map((name, index) => [name, pairs[index]])) as Record<
    TService,
    SigningKeys
  >;
  return {
    auth: authFromKeys({
      issuer: DEV_ISSUER,
      audience: DEV_AUDIENCE,
      userKey: issuer.publicKey,
      agencySecrets: identityKeys,
      gateway: true,
      services: serviceKeysInMemory(serviceKeys),
      devIssuerKey: issuer.privateKey,
    }),
    token: (request) => issueToken(issuer.privateKey, request),
    identityKeys,
    serviceKeys,
  };
}
