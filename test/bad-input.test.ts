import { readFileSync } from 'node:fs';
import { buildSchema, getNamedType, isNonNullType } from 'graphql';
import { schemaFile } from '../tools/compose';
import { ANALYST, startTestSystem, TestSystem } from './helpers/system';

/** Well-formed values of the scalars a paged list requires (an id nobody has, a user). */
const SAMPLE_VALUES: Record<string, string> = { ID: '"00000000-0000-4000-8000-000000000000"', String: '"analyst-1"' };

/**
 * Every paged list of the API (a Query field taking `first` and answering a connection), from the
 * composed supergraph, with a well-formed value for each required argument: [field, "arguments, "].
 */
const PAGED_LISTS: [string, string][] = Object.values(
  buildSchema(readFileSync(schemaFile('supergraph'), 'utf8'), { assumeValidSDL: true })
    .getQueryType()!
    .getFields(),
)
  .filter(
    (field) =>
      field.args.some((argument) => argument.name === 'first') && getNamedType(field.type).name.endsWith('Connection'),
  )
  .map((field) => [
    field.name,
    field.args
      .filter((argument) => isNonNullType(argument.type))
      .map((argument) => `${argument.name}: ${SAMPLE_VALUES[getNamedType(argument.type).name]}, `)
      .join(''),
  ]);

/** Malformed requests get a clear BAD_USER_INPUT (or HTTP 4xx) and never a 500 or a crash. */
describe('bad input', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ persons: 300 });
  });
  afterAll(() => t.stop());

  const cases: [string, string, Record<string, unknown>?][] = [
    ['a malformed id', `{ foreignNational(id: "not-a-uuid") { id } }`],
    ['a malformed passport number', `{ foreignNationalByPassport(number: "E12/34", country: "CHN") { id } }`],
    ['a two-letter country code', `{ foreignNationalByPassport(number: "E12345678", country: "CN") { id } }`],
    ['a malformed nationality filter', `{ foreignNationals(filter: { nationality: "China" }) { totalCount } }`],
    ['a negative page size', `{ foreignNationals(first: -5) { totalCount } }`],
    ['a zero page size', `{ foreignNationals(first: 0) { totalCount } }`],
    ['a huge page size', `{ foreignNationals(first: 1000000) { totalCount } }`],
    ['a forged cursor', `{ foreignNationals(after: "bm90LWEtY3Vyc29y") { totalCount } }`],
    ['a cursor that is not base64 JSON', `{ foreignNationals(after: "%%%") { totalCount } }`],
    [
      'an impossible date in a variable',
      `query($d: LocalDate) { foreignNationals(filter: { dateOfBirth: $d }) { totalCount } }`,
      { d: '2025-02-30' },
    ],
    ['an impossible date as a literal', `{ foreignNationals(filter: { dateOfBirth: "1990-13-01" }) { totalCount } }`],
    ['a malformed NIB', `{ employer(nib: "12AB") { name } }`],
    ['an empty name to identify', `{ identityCandidates(record: { fullName: "  " }) { probability } }`],
    ['a name of digits only', `{ identityCandidates(record: { fullName: "12345" }) { probability } }`],
    [
      'an impossible birth date to identify',
      `{ identityCandidates(record: { fullName: "Zhang Wei", dateOfBirth: "1990-02-30" }) { probability } }`,
    ],
    [
      'an unknown nationality to identify',
      `{ identityCandidates(record: { fullName: "Zhang Wei", nationality: "Atlantis" }) { probability } }`,
    ],
    [
      'too short a passport part to identify',
      `{ identityCandidates(record: { fullName: "Zhang Wei", passportNumber: "E1" }) { probability } }`,
    ],
    ['more than 20 candidates', `{ identityCandidates(record: { fullName: "Zhang Wei" }, first: 21) { probability } }`],
    [
      'a decision without a reason',
      `mutation { confirmIdentityMatch(input: { recordId: "00000000-0000-4000-8000-000000000000", foreignNationalId: "00000000-0000-4000-8000-000000000001", reason: " " }) { probability } }`,
    ],
    [
      'a decision about a record never scored',
      `mutation { rejectIdentityMatch(input: { recordId: "00000000-0000-4000-8000-000000000000", foreignNationalId: "00000000-0000-4000-8000-000000000001", reason: "not them" }) { probability } }`,
    ],
  ];

  // Every row gets three cells: jest would take a missing third argument for a `done` callback.
  const rows = cases.map(([label, query, variables]) => [label, query, variables ?? {}] as const);

  it.each(rows)('refuses %s with BAD_USER_INPUT', async (_label, query, variables) => {
    const response = await t.query(query, variables);
    expect(response.status).toBeLessThan(500);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.message).toMatch(/\S{5}/);
    expect(JSON.stringify(response.errors)).not.toMatch(/stacktrace|at .*\.js:\d+/);
  });

  it('pages every list it finds in the supergraph', () => {
    expect(PAGED_LISTS.map(([field]) => field).sort()).toEqual(
      expect.arrayContaining([
        'auditReadsByUser',
        'auditReadsOfPerson',
        'cases',
        'employers',
        'findings',
        'foreignNationals',
        'policeReports',
      ]),
    );
  });

  it.each(PAGED_LISTS)(
    'gives a page size out of range one answer on %s, too small or too large: a 400 from the gateway naming the range',
    async (field, args) => {
      for (const first of [0, -5, 501, 1_000_000]) {
        for (const [query, variables] of [
          [`query($first: Int) { ${field}(${args}first: $first) { totalCount } }`, { first }],
          [`{ ${field}(${args}first: ${first}) { totalCount } }`, {}],
        ] as const) {
          const response = await t.query(query, variables);
          expect({ query, status: response.status, data: response.data }).toEqual({
            query,
            status: 400,
            data: undefined,
          });
          expect(response.errors).toEqual([
            expect.objectContaining({
              message: `"first" must be between 1 and 500, got ${first}`,
              extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
            }),
          ]);
        }
      }
      // The range's ends are pages like any other.
      for (const first of [1, 500]) {
        const response = await t.query(`{ ${field}(${args}first: ${first}) { totalCount } }`);
        expect(response.status).toBe(200);
      }
    },
  );

  it('answers null, without error, for a well-formed id or passport nobody has', async () => {
    const response = await t.query(`{
      foreignNational(id: "00000000-0000-4000-8000-000000000000") { id }
      foreignNationalByPassport(number: "ZZ0000000", country: "CHN") { id }
      employer(nib: "0000000000000") { name }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ foreignNational: null, foreignNationalByPassport: null, employer: null });
  });

  it('accepts passport numbers and country codes the way clerks type them', async () => {
    const renewed = t.manifest.examples.renewedPassport;
    const sloppy = ` ${renewed.oldPassport.number.toLowerCase()} `;
    const response = await t.query(
      `query($n: String!, $c: String!) { foreignNationalByPassport(number: $n, country: $c) { id } }`,
      {
        n: sloppy,
        c: renewed.oldPassport.country.toLowerCase(),
      },
    );
    expect(response.data.foreignNationalByPassport).toEqual({ id: renewed.personId });
  });

  it.each([
    ['malformed JSON', '{"query": "{ foreignNationals { totalCount }"', 400],
    ['no query at all', '{}', 400],
    ['a query that is not GraphQL', '{"query": "SELECT * FROM passport"}', 400],
    ['an unknown field', '{"query": "{ passwords }"}', 400],
  ])('answers %s with a 4xx GraphQL error', async (_label, body, status) => {
    const response = await fetch(t.system.gateway!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.testAuth.token(ANALYST)}` },
      body,
    });
    expect(response.status).toBe(status);
    const json = (await response.json()) as any;
    expect(json.errors[0].message).toBeTruthy();
    expect(json.errors[0].extensions.code).toBeTruthy();
  });

  it('refuses an oversized body with 413 before reading it', async () => {
    const body = JSON.stringify({
      query: `{ foreignNationals { totalCount } }`,
      variables: { padding: 'x'.repeat(2_000_000) },
    });
    const response = await fetch(t.system.gateway!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.testAuth.token(ANALYST)}` },
      body,
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('keeps serving after all of that', async () => {
    const response = await t.query(`{ foreignNationals(first: 1) { totalCount } }`);
    expect(response.data.foreignNationals.totalCount).toBe(300);
  });
});
