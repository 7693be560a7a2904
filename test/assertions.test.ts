import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { RunningGateway } from '../gateway';
import { GATEWAY, IDENTITY_HEADER } from '../lib/assertions';
import { loadAuth, readAuthSettings } from '../lib/auth-config';
import { postGraphQL, readExample, startGatewayBeside, startTestSystem, TestSystem } from './helpers/system';

const FULL_VIEW = readExample('full-view.graphql');
const REPORTS = '{ policeReports(first: 100) { totalCount nodes { involvedPeople { passportNumber } } } }';
const EMPLOYERS = '{ employers(first: 5) { totalCount } }';

/**
 * What an attacker holding one captured header can do. The gateway vouches for a user with an
 * assertion good for one agency and one call; services that ask on a user's behalf sign
 * delegations with keys of their own.
 */
describe('assertions hold against an attacker with a captured header', () => {
  let t: TestSystem;
  let gateway: RunningGateway;
  let proxy: http.Server;
  /** What the gateway sent to manpower, as a logging proxy in front of it would see it. */
  const captured: string[] = [];

  beforeAll(async () => {
    t = await startTestSystem({ persons: 200 });
    proxy = await capturingProxy(t.subgraph('manpower').url, captured);
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`;
    gateway = await startGatewayBeside(t, { manpower: proxyUrl });
  });
  afterAll(async () => {
    await gateway.stop();
    await new Promise((resolve) => proxy.close(resolve));
    await t.stop();
  });

  const direct = (name: 'immigration' | 'manpower' | 'police', query: string, assertion: string) =>
    postGraphQL(t.subgraph(name).url, query, {}, undefined, { [IDENTITY_HEADER]: assertion });

  async function captureOne(): Promise<string> {
    captured.length = 0;
    const token = await t.testAuth.token({ subject: 'victim', roles: ['supervisor'], pii: true });
    const passport = { ...t.manifest.examples.renewedPassport.currentPassport };
    const answer = await postGraphQL(gateway.url, FULL_VIEW, passport, token);
    expect(answer.data.foreignNationalByPassport.workPermits).not.toBeNull();
    expect(captured.length).toBeGreaterThan(0);
    return captured[0];
  }

  it('refuses a captured assertion replayed to the agency it was for', async () => {
    const assertion = await captureOne();
    const replay = await direct('manpower', EMPLOYERS, assertion);
    expect(replay.status).toBe(401);
    expect(replay.errors![0]).toMatchObject({
      message: expect.stringMatching(/already used/),
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('refuses it at another agency: police’s reports and match keys stay closed', async () => {
    const assertion = await captureOne();
    for (const agency of ['police', 'immigration'] as const) {
      const replay = await direct(agency, REPORTS, assertion);
      expect(replay.status).toBe(401);
      expect(replay.errors![0].message).toMatch(/another audience \("manpower"\)/);
      expect(replay.data).toBeUndefined();
    }
  });

  it('refuses an expired assertion, and one that would live longer than allowed', async () => {
    const now = Math.floor(Date.now() / 1000);
    const sign = (iat: number, exp: number, jti: string) =>
      new SignJWT({ roles: ['supervisor'], pii: true, rid: 'test' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(GATEWAY)
        .setAudience('police')
        .setSubject('mallory')
        .setJti(jti)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(t.testAuth.identityKeys.police);
    const expired = await direct('police', REPORTS, await sign(now - 120, now - 90, 'expired-1'));
    expect(expired.status).toBe(401);
    expect(expired.errors![0].message).toMatch(/expired/);
    const longLived = await direct('police', REPORTS, await sign(now, now + 900, 'long-1'));
    expect(longLived.status).toBe(401);
    expect(longLived.errors![0].message).toMatch(/lives 900 s, longer than 30 s/);
    const fresh = await direct('police', REPORTS, await sign(now, now + 20, 'fresh-1'));
    expect(fresh.status).toBe(200);
  });

  it('does not take its own agency assertion as a bearer token', async () => {
    const assertion = await captureOne();
    const response = await postGraphQL(gateway.url, '{ foreignNationals(first: 1) { totalCount } }', {}, assertion);
    expect(response.status).toBe(401);
    expect(response.errors![0].message).toMatch(/never accepts an assertion it signed for an agency/);
  });

  it('takes a service’s delegation once, names the service in the audit, and refuses a replay', async () => {
    const delegation = await t.testAuth.auth.delegationSigner('oversight')!(
      { subject: 'analyst-7', roles: ['analyst'], pii: false },
      { audience: GATEWAY, requestId: 'refresh-1' },
    );
    const first = await postGraphQL(gateway.url, '{ foreignNationals(first: 1) { totalCount } }', {}, delegation);
    expect(first.status).toBe(200);
    expect(first.data.foreignNationals.totalCount).toBe(200);
    const record = (await gateway.audit.db.query('SELECT subject, delegated, actor FROM audit_record')).at(-1);
    expect(record).toMatchObject({ subject: 'analyst-7', actor: 'oversight' });
    expect(Boolean(record.delegated)).toBe(true);
    const replay = await postGraphQL(gateway.url, '{ foreignNationals(first: 1) { totalCount } }', {}, delegation);
    expect(replay.status).toBe(401);
    expect(replay.errors![0].message).toMatch(/already used/);
  });

  it('refuses a delegation signed by a key the service does not hold', async () => {
    const forged = await new SignJWT({ roles: ['supervisor'], pii: true, act: { sub: 'oversight' } })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer('oversight')
      .setAudience(GATEWAY)
      .setSubject('mallory')
      .setJti('forged-delegation')
      .setIssuedAt()
      .setExpirationTime('20s')
      .sign(t.testAuth.serviceKeys.police.privateKey);
    const response = await postGraphQL(gateway.url, '{ foreignNationals(first: 1) { totalCount } }', {}, forged);
    expect(response.status).toBe(401);
    expect(response.errors![0].message).toMatch(/signature/);
  });

  it('counts every refusal by reason in the agencies’ metrics', async () => {
    const assertion = await captureOne();
    await direct('manpower', EMPLOYERS, assertion);
    const metrics = await (await fetch(new URL('/metrics', t.subgraph('manpower').url))).text();
    expect(metrics).toMatch(/credentials_refused_total\{[^}]*reason="replayed"[^}]*\} [1-9]/);
  });

  it('still lets services ask on the user’s behalf: the findings refresh and the employer filter', async () => {
    const token = await t.testAuth.token({ subject: 'analyst-2', roles: ['analyst'], pii: true });
    const refresh = await postGraphQL(gateway.url, 'mutation { refreshFindings { personsChecked } }', {}, token);
    expect(refresh.data.refreshFindings.personsChecked).toBe(200);
    const passport = { ...t.manifest.examples.renewedPassport.currentPassport };
    const employer = await postGraphQL(
      gateway.url,
      'query($number: String!, $country: String!) { foreignNationalByPassport(number: $number, country: $country) { currentEmployer { nib } } }',
      passport,
      token,
    );
    const { nib } = employer.data.foreignNationalByPassport.currentEmployer;
    const byEmployer = 'query($nib: String!) { foreignNationals(filter: { employerNib: $nib }) { totalCount } }';
    const filtered = await postGraphQL(gateway.url, byEmployer, { nib }, token);
    expect(filtered.errors).toBeUndefined();
    expect(filtered.data.foreignNationals.totalCount).toBeGreaterThan(0);
  });
});

describe('identity secrets on disk, as npm start and docker-compose give them', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'timpora-identity-'));
  const identity = { subject: 'analyst-7', roles: ['analyst' as const], pii: false };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('gives the gateway every agency’s secret and an agency its own alone, generated once in development', async () => {
    const settings = readAuthSettings({}, dataDir);
    const gateway = await loadAuth(settings, { vouchesTo: ['police', 'manpower'] });
    const police = await loadAuth(settings, { services: ['police'] });
    expect(readdirSync(settings.identityKeysDir).sort()).toEqual(['manpower.secret', 'police.secret']);
    expect(statSync(path.join(settings.identityKeysDir, 'police.secret')).mode & 0o077).toBe(0);
    const toPolice = await gateway.signAgencyAssertion!(identity, { audience: 'police', requestId: 'r-1' });
    await expect(police.assertionVerifier('police')(toPolice)).resolves.toMatchObject({ identity, actor: null });
    // Police holds no other agency's secret: it can neither vouch nor check for manpower.
    expect(police.signAgencyAssertion).toBeUndefined();
    const toManpower = await gateway.signAgencyAssertion!(identity, { audience: 'manpower', requestId: 'r-1' });
    await expect(police.assertionVerifier('manpower')(toManpower)).rejects.toThrow(/does not trust/);
    await expect(police.assertionVerifier('police')(toManpower)).rejects.toThrow(/audience/);
    // A second start reads the same secrets.
    const again = await loadAuth(settings, { services: ['police'] });
    await expect(
      again.assertionVerifier('police')(
        await gateway.signAgencyAssertion!(identity, { audience: 'police', requestId: 'r-2' }),
      ),
    ).resolves.toMatchObject({ requestId: 'r-2' });
  });

  it('refuses in production a missing or short secret, naming the file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'timpora-identity-prod-'));
    try {
      const settings = {
        ...readAuthSettings({}, dir),
        production: true,
        identityKeysDir: dir,
        publicKeyFile: undefined,
        jwksUrl: 'https://idp.example/jwks',
      };
      await expect(loadAuth(settings, { services: ['police'] })).rejects.toThrow(
        /IDENTITY_KEYS_DIR: cannot read ".*police\.secret"/,
      );
      writeFileSync(path.join(dir, 'police.secret'), randomBytes(16).toString('base64'));
      await expect(loadAuth(settings, { services: ['police'] })).rejects.toThrow(/at least 32 bytes/);
      writeFileSync(path.join(dir, 'police.secret'), `${randomBytes(32).toString('base64')}\n`);
      await expect(loadAuth(settings, { services: ['police'] })).resolves.toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A logging proxy on loopback: records the identity header of every call, forwards it unchanged. */
async function capturingProxy(target: string, captured: string[]): Promise<http.Server> {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const header = req.headers[IDENTITY_HEADER];
    if (typeof header === 'string') captured.push(header);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name)),
    ) as Record<string, string>;
    const response = await fetch(target, { method: req.method, headers, body: Buffer.concat(chunks) });
    res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
