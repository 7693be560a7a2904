import { ANALYST, postGraphQL, readExample, startGatewayBeside, startTestSystem, TestSystem } from './helpers/system';
import { mergeFetches } from '../gateway/merged-fetches';

const FULL_VIEW = readExample('full-view.graphql');

/** HTTP calls an agency has answered on /graphql, from its own metrics. */
async function callsTo(t: TestSystem, agency: 'manpower' | 'police' | 'immigration'): Promise<number> {
  const text = await (await fetch(t.subgraph(agency).url.replace('/graphql', '/metrics'))).text();
  const match = /http_requests_total\{path="\/graphql",status="200",service="\w+"\} (\d+)/.exec(text);
  return Number(match?.[1] ?? 0);
}

describe("one call per agency for a plan's simultaneous fetches", () => {
  let t: TestSystem;
  let unmerged: { url: string; stop(): Promise<void> };
  beforeAll(async () => {
    t = await startTestSystem({ persons: 300 });
    unmerged = await startGatewayBeside(t, {}, { mergeFetches: false });
  });
  afterAll(async () => {
    await unmerged.stop();
    await t.stop();
  });

  it('answers the full view with one call to manpower instead of two, and the very same answer', async () => {
    const { currentPassport } = t.manifest.examples.renewedPassport;
    const token = await t.testAuth.token(ANALYST);
    const ask = async (url: string) => {
      const before = await callsTo(t, 'manpower');
      const answer = await postGraphQL(url, FULL_VIEW, { ...currentPassport }, token);
      return { answer, manpowerCalls: (await callsTo(t, 'manpower')) - before };
    };
    const separate = await ask(unmerged.url);
    const together = await ask(t.system.gateway!.url);
    expect(separate.manpowerCalls).toBe(2);
    expect(together.manpowerCalls).toBe(1);
    expect(together.answer.errors).toBeUndefined();
    expect(together.answer.data.foreignNationalByPassport.workPermits.length).toBeGreaterThan(0);
    expect(together.answer.data.foreignNationalByPassport.stayPermits.some((permit: any) => permit.sponsor)).toBe(true);
    expect(together.answer.data).toEqual(separate.answer.data);
  });

  it('gives a page of persons the same answer, in fewer calls', async () => {
    const page = `{ foreignNationals(first: 50) { nodes { id stayPermits { sponsor { nib name } } workPermits { rptkaNumber employer { name } } currentEmployer { nib } } } }`;
    const token = await t.testAuth.token(ANALYST);
    let before = await callsTo(t, 'manpower');
    const separate = await postGraphQL(unmerged.url, page, {}, token);
    const separateCalls = (await callsTo(t, 'manpower')) - before;
    before = await callsTo(t, 'manpower');
    const together = await postGraphQL(t.system.gateway!.url, page, {}, token);
    const togetherCalls = (await callsTo(t, 'manpower')) - before;
    expect({ separateCalls, togetherCalls }).toEqual({ separateCalls: 2, togetherCalls: 1 });
    expect(together.errors).toBeUndefined();
    expect(together.data).toEqual(separate.data);
  });

  it('hands each part its own data and the errors on its own paths', () => {
    const merged = mergeFetches([
      {
        query:
          'query A($representations: [_Any!]!) { _entities(representations: $representations) { ... on Employer { name } } }',
        variables: { representations: [1] },
        operationName: 'A',
      },
      {
        query:
          'query B($representations: [_Any!]!) { _entities(representations: $representations) { ... on Employer { nib } } }',
        variables: { representations: [2] },
      },
    ])!;
    expect(merged.variables).toEqual({ _0_representations: [1], _1_representations: [2] });
    expect(merged.query).toContain('_0__entities: _entities(representations: $_0_representations)');
    expect(merged.operationName).toBe('A__merged');
    expect(merged.query).toMatch(/^query A__merged\(/);
    const [first, second] = merged.split({
      data: { _0__entities: [{ name: 'PT A' }], _1__entities: [null] },
      errors: [{ message: 'no such employer', path: ['_1__entities', 0], extensions: { code: 'X' } } as any],
      extensions: { persons: ['p1'] },
    });
    expect(first).toEqual({ data: { _entities: [{ name: 'PT A' }] }, extensions: { persons: ['p1'] } });
    expect(second).toEqual({
      data: { _entities: [null] },
      errors: [{ message: 'no such employer', path: ['_entities', 0], extensions: { code: 'X' } }],
    });
    // A call refused as a whole (no data) refuses every part.
    const refused = merged.split({ errors: [{ message: 'down' } as any] });
    expect(refused.map((part) => part.errors)).toEqual([[{ message: 'down' }], [{ message: 'down' }]]);
  });
});
