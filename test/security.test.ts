import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import { generateSigningKeys, issueToken, Role, TokenRequest } from '../lib/auth';
import { GATEWAY } from '../lib/assertions';
import { loadAuth, readAuthSettings } from '../lib/auth-config';
import { loadConfig } from '../tools/config';
import { auditStorage } from '../lib/audit';
import { verifyChain } from '../lib/audit/chain';
import { redact } from '../gateway/audit/plugin';
import { loadTrustedDocuments, sha256 } from '../gateway/trusted-documents';
import { GraphQLResponse, postGraphQL, readExample, startTestSystem, TestSystem } from './helpers/system';

const FULL_VIEW = readExample('full-view.graphql');

/** Which top-level parts of the full view each role gets (true) or is refused (FORBIDDEN, null). */
const MATRIX: Record<
  Role,
  Record<
    'crossings' | 'administrativeActions' | 'workPermits' | 'currentEmployer' | 'policeReports' | 'registrations',
    boolean
  >
> = {
  analyst: {
    crossings: true,
    administrativeActions: true,
    workPermits: true,
    currentEmployer: true,
    policeReports: true,
    registrations: true,
  },
  supervisor: {
    crossings: true,
    administrativeActions: true,
    workPermits: true,
    currentEmployer: true,
    policeReports: true,
    registrations: true,
  },
  immigration_officer: {
    crossings: true,
    administrativeActions: true,
    workPermits: true,
    currentEmployer: true,
    policeReports: false,
    registrations: true,
  },
  police_officer: {
    crossings: true,
    administrativeActions: true,
    workPermits: false,
    currentEmployer: false,
    policeReports: true,
    registrations: true,
  },
  manpower_officer: {
    crossings: false,
    administrativeActions: false,
    workPermits: true,
    currentEmployer: true,
    policeReports: false,
    registrations: false,
  },
};

describe('need-to-know security', () => {
  let t: TestSystem;
  let auditDir: string;
  let passport: { number: string; country: string };
  let personId: string;
  beforeAll(async () => {
    auditDir = mkdtempSync(path.join(os.tmpdir(), 'timpora-audit-'));
    t = await startTestSystem({ persons: 200 }, { auditDatabaseUrl: `sqlite:${path.join(auditDir, 'audit.sqlite')}` });
    const example = t.manifest.examples.renewedPassport;
    personId = example.personId;
    const person = await t.query(
      `query($id: ID!) { foreignNational(id: $id) { passports { number country current } } }`,
      { id: personId },
    );
    const current = person.data.foreignNational.passports.find((p: any) => p.current);
    passport = { number: current.number, country: current.country };
  });
  afterAll(async () => {
    await t.stop();
    rmSync(auditDir, { recursive: true, force: true });
  });

  const fullViewAs = (request: TokenRequest) => t.as(request)(FULL_VIEW, passport);

  describe('authentication at the gateway', () => {
    const refusal = async (response: Response) => ({
      status: response.status,
      body: (await response.json()) as GraphQLResponse,
    });
    const post = (headers: Record<string, string>) =>
      fetch(t.system.gateway!.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ permitStatistics { total } }' }),
      }).then(refusal);

    it('answers 401 UNAUTHENTICATED without a token, saying how to send one', async () => {
      const { status, body } = await post({});
      expect(status).toBe(401);
      expect(body.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(body.errors![0].message).toMatch(/Authorization: Bearer/);
      expect(JSON.stringify(body)).not.toMatch(/stacktrace|at .*\.js/);
    });

    it.each([
      ['an expired token', { roles: ['analyst'], lifetimeSeconds: -60 } as TokenRequest, /expired/],
      ['a token for another audience', { roles: ['analyst'], audience: 'some-other-app' } as TokenRequest, /audience/],
      [
        'a token from another issuer',
        { roles: ['analyst'], issuer: 'https://evil.example' } as TokenRequest,
        /issued by/,
      ],
    ])('refuses %s with 401 and the reason', async (_label, request, reason) => {
      const { status, body } = await post({ authorization: `Bearer ${await t.testAuth.token(request)}` });
      expect(status).toBe(401);
      expect(body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
      expect(body.errors![0].message).toMatch(reason);
    });

    it('refuses a token signed with another key, and garbage', async () => {
      const stranger = await generateSigningKeys();
      const forged = await new SignJWT({ roles: ['supervisor'], pii: true })
        .setProtectedHeader({ alg: 'EdDSA' })
        .setIssuer('timpora-dev')
        .setAudience('timpora')
        .setSubject('mallory')
        .setExpirationTime('20s')
        .sign(stranger.privateKey);
      const signed = await post({ authorization: `Bearer ${forged}` });
      expect(signed.status).toBe(401);
      expect(signed.body.errors![0].message).toMatch(/signature/);
      const garbage = await post({ authorization: 'Bearer not.a.token' });
      expect(garbage.status).toBe(401);
      expect(garbage.body.errors![0].message).toMatch(/malformed/);
    });

    it('refuses a user token that lives longer than the maximum (12 h), saying its lifetime and the maximum', async () => {
      const tenYears = await t.testAuth.token({ roles: ['analyst'], lifetimeSeconds: 10 * 365 * 24 * 3600 });
      const { status, body } = await post({ authorization: `Bearer ${tenYears}` });
      expect(status).toBe(401);
      expect(body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
      expect(body.errors![0].message).toMatch(/lifetime of 87600 h \(315360000 s\).*maximum of 12 h \(43200 s\)/);
      expect(body).not.toHaveProperty('data.permitStatistics');
      const oneHour = await t.testAuth.token({ roles: ['analyst'], lifetimeSeconds: 3600 });
      expect((await post({ authorization: `Bearer ${oneHour}` })).status).toBe(200);
      const twelveHours = await t.testAuth.token({ roles: ['analyst'], lifetimeSeconds: 12 * 3600 });
      expect((await post({ authorization: `Bearer ${twelveHours}` })).status).toBe(200);
    });

    it('judges a token without "iat" by the time it has left, and a back-dated "iat" too', async () => {
      const now = Math.floor(Date.now() / 1000);
      const sign = (claims: { iat?: number; exp: number }) => {
        const jwt = new SignJWT({ roles: ['analyst'] })
          .setProtectedHeader({ alg: 'EdDSA' })
          .setIssuer('timpora-dev')
          .setAudience('timpora')
          .setSubject('no-iat')
          .setExpirationTime(claims.exp);
        if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
        return jwt.sign(t.testAuth.auth.devIssuerKey!);
      };
      const long = await post({ authorization: `Bearer ${await sign({ exp: now + 30 * 24 * 3600 })}` });
      expect(long.status).toBe(401);
      expect(long.body.errors![0].message).toMatch(/lifetime of 720 h .*maximum of 12 h/);
      expect((await post({ authorization: `Bearer ${await sign({ exp: now + 3600 })}` })).status).toBe(200);
      // An "iat" in the future does not shorten the lifetime: it counts from now.
      const future = await post({
        authorization: `Bearer ${await sign({ iat: now + 10 * 365 * 24 * 3600, exp: now + 10 * 365 * 24 * 3600 + 60 })}`,
      });
      expect(future.status).toBe(401);
    });

    it('answers 403 FORBIDDEN to a valid token without a TIMPORA role', async () => {
      const { status, body } = await post({ authorization: `Bearer ${await t.testAuth.token({ roles: [] })}` });
      expect(status).toBe(403);
      expect(body.errors![0].extensions!.code).toBe('FORBIDDEN');
    });
  });

  describe('each agency verifies the identity itself', () => {
    const direct = (headers: Record<string, string>) =>
      postGraphQL(
        t.subgraph('immigration').url,
        '{ foreignNationals(first: 1) { totalCount } }',
        {},
        undefined,
        headers,
      );

    it('refuses a direct call to a subgraph without the gateway’s identity', async () => {
      const response = await direct({});
      expect(response.status).toBe(401);
      expect(response.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
      expect(response.data).toBeUndefined();
    });

    it('refuses a user’s own valid token at a subgraph: only the gateway vouches for users', async () => {
      const token = await t.testAuth.token({ roles: ['supervisor'], pii: true });
      expect((await direct({ authorization: `Bearer ${token}` })).status).toBe(401);
      expect((await direct({ 'x-timpora-identity': token })).status).toBe(401);
    });

    const vouching = (alg: string, jti: string) =>
      new SignJWT({ roles: ['supervisor'], pii: true })
        .setProtectedHeader({ alg })
        .setIssuer(GATEWAY)
        .setAudience('immigration')
        .setSubject('mallory')
        .setJti(jti)
        .setIssuedAt()
        .setExpirationTime('20s');

    it('refuses a forged identity header, and a plain one', async () => {
      const forged = await vouching('HS256', 'forged-1').sign(randomBytes(32));
      const response = await direct({ 'x-timpora-identity': forged });
      expect(response.status).toBe(401);
      expect(response.errors![0].message).toMatch(/signature/);
      expect((await direct({ 'x-timpora-identity': 'supervisor' })).status).toBe(401);
    });

    it('refuses an assertion signed with another agency’s secret: each vouches to its own agency only', async () => {
      const fromManpower = await vouching('HS256', 'other-agency-1').sign(t.testAuth.identityKeys.manpower);
      const response = await direct({ 'x-timpora-identity': fromManpower });
      expect(response.status).toBe(401);
      expect(response.errors![0].message).toMatch(/signature/);
    });

    it('refuses the gateway’s name on any other algorithm than its HMAC (no algorithm confusion)', async () => {
      const stranger = await generateSigningKeys();
      const ed25519 = await vouching('EdDSA', 'other-algorithm-1').sign(stranger.privateKey);
      const response = await direct({ 'x-timpora-identity': ed25519 });
      expect(response.status).toBe(401);
      expect(response.errors![0].message).toMatch(/alg/i);
    });

    it('accepts the gateway’s own assertion (what the gateway sends)', async () => {
      const assertion = await new SignJWT({ roles: ['analyst'], pii: false })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(GATEWAY)
        .setAudience('immigration')
        .setSubject('gateway-test')
        .setJti('accepted-1')
        .setIssuedAt()
        .setExpirationTime('20s')
        .sign(t.testAuth.identityKeys.immigration);
      const response = await direct({ 'x-timpora-identity': assertion });
      expect(response.status).toBe(200);
      expect(response.data.foreignNationals.totalCount).toBe(200);
    });
  });

  describe('every role on the same full-view query', () => {
    it.each(Object.keys(MATRIX) as Role[])(
      '%s sees what the access matrix gives it, and the rest is FORBIDDEN on its path',
      async (role) => {
        const { data, errors } = await fullViewAs({ subject: `user-${role}`, roles: [role], pii: true });
        const view = data.foreignNationalByPassport;
        expect(view.fullName).toBeTruthy();
        expect(view.stayPermits.length).toBeGreaterThan(0);
        const refused = (errors ?? [])
          .filter((error) => error.extensions?.code === 'FORBIDDEN')
          .map((error) => error.path!.at(-1));
        for (const [field, allowed] of Object.entries(MATRIX[role])) {
          if (allowed) expect(view[field]).not.toBeNull();
          else expect(view[field]).toBeNull();
          expect(refused.includes(field)).toBe(!allowed);
        }
        expect((errors ?? []).filter((error) => error.extensions?.code !== 'FORBIDDEN')).toEqual([]);
      },
    );

    it('masks passport numbers, dates of birth, addresses and NIKs without the pii clearance, and still joins', async () => {
      const withPii = (await fullViewAs({ roles: ['analyst'], pii: true })).data.foreignNationalByPassport;
      const without = (await fullViewAs({ roles: ['analyst'] })).data.foreignNationalByPassport;
      expect(withPii.dateOfBirth).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(without.dateOfBirth).toBeNull();
      expect(withPii.passports[0].number).toBe(passport.number);
      expect(without.passports[0].number).toMatch(/^•+.{2}$/);
      expect(without.passports[0].number.slice(-2)).toBe(passport.number.slice(-2));
      expect(without.crossings.every((crossing: any) => crossing.passportNumber.startsWith('•'))).toBe(true);
      // The joins run on match keys, so the masked view has the same records as the full one.
      expect(without.workPermits.map((w: any) => w.rptkaNumber)).toEqual(
        withPii.workPermits.map((w: any) => w.rptkaNumber),
      );
      expect(without.policeReports.length).toBe(withPii.policeReports.length);
      expect(without.policeReports.length).toBeGreaterThan(0);
      expect(without.workPermits.every((w: any) => w.workerPassportNumber.startsWith('•'))).toBe(true);
      const nik = await t.as({ roles: ['manpower_officer'] })(
        `query($id: ID!) { foreignNational(id: $id) { workPermits { counterpartNik } stayPermits { domicileAddress } } }`,
        { id: personId },
      );
      expect(nik.data.foreignNational.workPermits[0].counterpartNik).toMatch(/^•{12}\d{4}$/);
      expect(nik.data.foreignNational.stayPermits[0].domicileAddress).toBe('•••');
    });

    it('keeps the match keys out of the public API', async () => {
      const response = await t.query(`query($id: ID!) { foreignNational(id: $id) { passportKeys } }`, { id: personId });
      expect(response.status).toBe(400);
      expect(response.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it('gives findings, cases and links to analysts and supervisors only', async () => {
      const officer = await t.as({ roles: ['police_officer'] })('{ findings(first: 1) { totalCount } }');
      expect(officer.data).toEqual({ findings: null });
      expect(officer.errors![0].extensions!.code).toBe('FORBIDDEN');
      expect((await t.as({ roles: ['analyst'] })('{ findings(first: 1) { totalCount } }')).errors).toBeUndefined();
    });
  });

  describe('need to know covers filters', () => {
    const SEARCH = `query($filter: ForeignNationalFilter) { foreignNationals(filter: $filter, first: 50) { totalCount nodes { id dateOfBirth } } }`;
    let dateOfBirth: string;
    beforeAll(async () => {
      dateOfBirth = (await t.query(`query($id: ID!) { foreignNational(id: $id) { dateOfBirth } }`, { id: personId }))
        .data.foreignNational.dateOfBirth;
    });

    it('refuses a birth-date filter without the pii clearance (FORBIDDEN naming it), and reads nothing', async () => {
      t.subgraph('immigration').statements.reset();
      for (const role of ['manpower_officer', 'analyst'] as Role[]) {
        const response = await t.as({ roles: [role] })(SEARCH, { filter: { dateOfBirth } });
        expect(response.data).toEqual({ foreignNationals: null });
        expect(response.errors).toHaveLength(1);
        expect(response.errors![0].extensions!.code).toBe('FORBIDDEN');
        expect(response.errors![0].message).toBe('"dateOfBirth" filters on a value masked without the pii clearance');
        expect(response.errors![0].path).toEqual(['foreignNationals']);
      }
      // The enumeration that was possible: one alias per day, thirty days a request.
      const days = Array.from(
        { length: 30 },
        (_, day) =>
          `d${day}: foreignNationals(filter: { dateOfBirth: "1990-01-${String((day % 28) + 1).padStart(2, '0')}" }) { totalCount nodes { id } }`,
      );
      const batch = await t.as({ roles: ['manpower_officer'] })(`{ ${days.join('\n')} }`);
      expect(Object.values(batch.data).every((value) => value === null)).toBe(true);
      expect(batch.errors!.every((error) => error.extensions!.code === 'FORBIDDEN')).toBe(true);
      expect(t.subgraph('immigration').statements.count).toBe(0);
    });

    it('filters on the birth date with the pii clearance', async () => {
      const { data, errors } = await t.as({ roles: ['manpower_officer'], pii: true })(SEARCH, {
        filter: { dateOfBirth },
      });
      expect(errors).toBeUndefined();
      expect(data.foreignNationals.nodes.map((node: any) => node.id)).toContain(personId);
      expect(data.foreignNationals.nodes.every((node: any) => node.dateOfBirth === dateOfBirth)).toBe(true);
    });

    it('keeps the exact passport filters without the clearance: they confirm a number the caller holds in full', async () => {
      const masked = t.as({ roles: ['manpower_officer'] });
      const search = await masked(SEARCH, { filter: { passportNumber: passport.number } });
      expect(search.errors).toBeUndefined();
      expect(search.data.foreignNationals.nodes).toEqual([{ id: personId, dateOfBirth: null }]);
      const byPassport = await masked(
        `query($number: String!, $country: String!) { foreignNationalByPassport(number: $number, country: $country) { id passports { number } } }`,
        passport,
      );
      expect(byPassport.errors).toBeUndefined();
      expect(byPassport.data.foreignNationalByPassport.id).toBe(personId);
      expect(byPassport.data.foreignNationalByPassport.passports[0].number).toMatch(/^•+/);
    });
  });

  describe('error messages in development', () => {
    it('keeps the "Did you mean" hints in development, for developers', async () => {
      const response = await t.query('{ permitStatistics { totl } }');
      expect(response.errors![0].message).toMatch(/Did you mean "total"\?/);
    });
  });

  describe('the read audit', () => {
    const AUDIT_OF_PERSON = `query($id: ID!, $from: DateTimeISO) { auditReadsOfPerson(personId: $id, from: $from, first: 100) { totalCount nodes { seq subject roles operationName documentHash variables outcome personIds } } }`;

    it('records who read whom, with redacted variables, and lets a supervisor ask', async () => {
      const from = new Date().toISOString();
      await fullViewAs({ subject: 'auditee', roles: ['analyst'], pii: true });
      const supervisor = t.as({ subject: 'boss', roles: ['supervisor'] });
      const { data, errors } = await supervisor(AUDIT_OF_PERSON, { id: personId, from });
      expect(errors).toBeUndefined();
      const read = data.auditReadsOfPerson.nodes.find((node: any) => node.subject === 'auditee');
      expect(read).toMatchObject({
        roles: ['analyst'],
        operationName: 'FullViewByPassport',
        outcome: 'OK',
        personIds: [personId],
      });
      expect(read.documentHash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.parse(read.variables)).toEqual({ number: '[redacted]', country: passport.country });
      // Found at once through the record's own persons, and the same once its rows are written (every second).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const later = await supervisor(AUDIT_OF_PERSON, { id: personId, from });
      expect(later.data.auditReadsOfPerson).toEqual(data.auditReadsOfPerson);
      const byUser = await supervisor(
        `query($from: DateTimeISO, $to: DateTimeISO) { auditReadsByUser(subject: "auditee", from: $from, to: $to) { nodes { operationName personIds } } }`,
        { from, to: new Date(Date.now() + 60_000).toISOString() },
      );
      expect(byUser.data.auditReadsByUser.nodes).toEqual([
        { operationName: 'FullViewByPassport', personIds: [personId] },
      ]);
    });

    it('answers newest first, as its documentation says, also across pages', async () => {
      const reader = t.as({ subject: 'orderly', roles: ['analyst'] });
      for (const name of ['First', 'Second', 'Third']) await reader(`query ${name} { permitStatistics { total } }`);
      const supervisor = t.as({ subject: 'boss', roles: ['supervisor'] });
      const READS = `query($after: String) { auditReadsByUser(subject: "orderly", first: 2, after: $after) { nodes { operationName } pageInfo { endCursor hasNextPage } } }`;
      const first = (await supervisor(READS, {})).data.auditReadsByUser;
      expect(first.nodes.map((node: any) => node.operationName)).toEqual(['Third', 'Second']);
      const next = (await supervisor(READS, { after: first.pageInfo.endCursor })).data.auditReadsByUser;
      expect(next.nodes.map((node: any) => node.operationName)).toEqual(['First']);
    });

    it('is for supervisors only', async () => {
      const response = await t.as({ roles: ['analyst'], pii: true })(AUDIT_OF_PERSON, { id: personId });
      expect(response.errors![0].extensions!.code).toBe('FORBIDDEN');
    });

    it('redacts personal values at any depth', () => {
      expect(redact({ filter: { name: 'wang', nationality: 'CHN', passportNumber: 'E1' }, id: 'x', first: 5 })).toEqual(
        {
          filter: { name: '[redacted]', nationality: 'CHN', passportNumber: '[redacted]' },
          id: '[redacted]',
          first: 5,
        },
      );
    });

    it('catches an edited record with npm run audit:verify', async () => {
      const db = new DataSource({
        type: 'better-sqlite3',
        database: path.join(auditDir, 'audit.sqlite'),
        entities: auditStorage.entities,
      });
      await db.initialize();
      try {
        expect((await verifyChain(db)).broken).toBeNull();
        await db.query(`UPDATE audit_record SET subject = 'someone-else' WHERE seq = 2`);
        expect((await verifyChain(db)).broken).toEqual({ seq: 2, reason: expect.stringMatching(/edited/) });
        // DATA_DIR: the default checkpoint file and keys are this test's, never those of a local npm start.
        const env = {
          ...process.env,
          AUDIT_DATABASE_URL: `sqlite:${path.join(auditDir, 'audit.sqlite')}`,
          DATA_DIR: auditDir,
        };
        // The command npm run audit:verify runs, from the build the test run starts with.
        const run = await promisify(execFile)(process.execPath, ['dist/tools/audit-verify.js'], {
          env,
          cwd: path.join(__dirname, '..'),
        }).catch((error) => error);
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(/BROKEN at record 2/);
      } finally {
        await db.destroy();
      }
    }, 120_000);

    it('serves no data when the audit cannot be written (fail closed)', async () => {
      await t.system.gateway!.audit.db.destroy();
      const response = await t.query(FULL_VIEW, passport);
      expect(response.status).toBe(503);
      expect(response.data).toBeUndefined();
      expect(response.errors![0].extensions!.code).toBe('AUDIT_UNAVAILABLE');
    });
  });

  describe('production mode', () => {
    it('reads the longest token lifetime from AUTH_MAX_TOKEN_LIFETIME (12 h by default)', () => {
      expect(loadConfig({}).auth.maxTokenLifetime).toBe(43200);
      expect(loadConfig({ AUTH_MAX_TOKEN_LIFETIME: '3600' }).auth.maxTokenLifetime).toBe(3600);
      for (const wrong of ['12h', '0', '59', '-3600', '1.5'])
        expect(() => loadConfig({ AUTH_MAX_TOKEN_LIFETIME: wrong })).toThrow(/AUTH_MAX_TOKEN_LIFETIME/);
    });

    it('holds the configured maximum where npm start verifies tokens (loadAuth)', async () => {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'timpora-keys-'));
      try {
        const auth = await loadAuth(readAuthSettings({ AUTH_MAX_TOKEN_LIFETIME: '3600' }, dataDir));
        const token = (lifetimeSeconds: number) =>
          issueToken(auth.devIssuerKey!, { roles: ['analyst'], lifetimeSeconds });
        await expect(auth.verifyUserToken(await token(3600))).resolves.toMatchObject({ roles: ['analyst'] });
        await expect(auth.verifyUserToken(await token(7200))).rejects.toThrow(
          /lifetime of 2 h \(7200 s\) exceeds the maximum of 1 h \(3600 s\)/,
        );
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });

    it('refuses to start without authentication configured, and says what is missing', () => {
      expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
        /AUTH_ISSUER, AUTH_AUDIENCE, AUTH_JWKS_URL or AUTH_PUBLIC_KEY_FILE, IDENTITY_KEYS_DIR/,
      );
      expect(() =>
        loadConfig({
          NODE_ENV: 'production',
          AUTH_ISSUER: 'https://idp',
          AUTH_AUDIENCE: 'timpora',
          AUTH_JWKS_URL: 'https://idp/jwks',
          IDENTITY_KEYS_DIR: '/etc/timpora/identity',
        }),
      ).not.toThrow();
    });
  });
});

describe('registered operations only, production settings', () => {
  let t: TestSystem;
  let dir: string;
  const REGISTERED = 'query Figures { permitStatistics { total } }';
  const SEARCH =
    'query Search($filter: ForeignNationalFilter) { foreignNationals(filter: $filter, first: 1) { totalCount } }';
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'timpora-trusted-'));
    const manifest = path.join(dir, 'dashboard.json');
    writeFileSync(
      manifest,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [
          { id: sha256(REGISTERED), name: 'Figures', type: 'query', body: REGISTERED },
          { id: sha256(SEARCH), name: 'Search', type: 'query', body: SEARCH },
        ],
      }),
    );
    t = await startTestSystem(
      { persons: 20 },
      { production: true, trustedDocuments: loadTrustedDocuments([manifest], true) },
    );
  });
  afterAll(async () => {
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const send = async (body: object, headers: Record<string, string> = { 'content-type': 'application/json' }) => {
    const response = await fetch(t.system.gateway!.url, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${await t.testAuth.token({ roles: ['analyst'] })}` },
      body: JSON.stringify(body),
    });
    return { ...((await response.json()) as Omit<GraphQLResponse, 'status'>), status: response.status };
  };

  it('runs a registered operation sent by its hash alone, or by its text', async () => {
    const byHash = await send({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(REGISTERED) } } });
    expect(byHash.data).toEqual({ permitStatistics: { total: expect.any(Number) } });
    expect((await send({ query: REGISTERED })).data).toEqual(byHash.data);
  });

  it('refuses any other operation with PERSISTED_QUERY_NOT_IN_LIST, and an unknown hash with PERSISTED_QUERY_NOT_FOUND', async () => {
    const adHoc = await send({ query: '{ foreignNationals(first: 500) { nodes { fullName } } }' });
    expect(adHoc.status).toBe(400);
    expect(adHoc.errors![0].extensions!.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    const unknown = await send({
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ __typename }') } },
    });
    expect(unknown.errors![0].extensions!.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    // A client cannot register an operation at run time either.
    const registering = '{ permitStatistics { byKind { key } } }';
    await send({ query: registering, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(registering) } } });
    expect(
      (await send({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(registering) } } })).errors![0]
        .extensions!.code,
    ).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('has introspection off in production', async () => {
    const response = await send({ query: '{ __schema { types { name } } }' });
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
  });

  it('answers a misspelt field or value without "Did you mean": the schema stays hidden', async () => {
    const misspelt = await send({ query: '{ permitStatistics { totl } }' });
    expect(misspelt.status).toBe(400);
    expect(misspelt.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const literal = await send({ query: '{ foreignNationals(filter: { permitStatus: ACTIV }) { totalCount } }' });
    const root = await send({ query: '{ foreignNationalz { id } }' });
    // A registered operation with a misspelt variable: the variable's type names no field either.
    const field = await send({ query: SEARCH, variables: { filter: { dateOfBirt: '1990-01-01' } } });
    const value = await send({ query: SEARCH, variables: { filter: { permitStatus: 'ACTIV' } } });
    for (const response of [misspelt, literal, root, field, value]) {
      expect(response.status).toBe(400);
      expect(response.errors!.length).toBeGreaterThan(0);
      const messages = response.errors!.map((error) => error.message).join('\n');
      expect(messages).not.toMatch(/did you mean/i);
      for (const hidden of ['total"', 'dateOfBirth', '"ACTIVE"', 'foreignNationals"', 'nationality'])
        expect(messages).not.toContain(hidden);
    }
  });

  it('refuses a cross-site "simple" request (CSRF prevention)', async () => {
    const response = await send({ query: REGISTERED }, { 'content-type': 'text/plain' });
    expect(response.status).toBe(400);
    expect(response.errors![0].message).toMatch(/CSRF|preflight/i);
  });
});
