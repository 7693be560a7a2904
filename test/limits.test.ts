import { FINDINGS_INPUT } from '../subgraphs/oversight/refresh';
import { startTestSystem, TestSystem } from './helpers/system';

describe('abuse limits at the gateway', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ persons: 100 });
  });
  afterAll(() => t.stop());

  it('refuses a depth bomb with QUERY_TOO_DEEP before fetching anything', async () => {
    const bomb = `{ foreignNationals(first: 1) { nodes { workPermits { employer { workPermits { worker { workPermits { employer {
      workPermits { worker { workPermits { employer { workPermits { worker { id } } } } } } } } } } } } } } }`;
    t.subgraph('immigration').statements.reset();
    const response = await t.query(bomb);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    expect(response.errors?.[0]?.message).toMatch(/limit is 12/);
    expect(t.subgraph('immigration').statements.count).toBe(0);
  });

  it('refuses a cost bomb that stays under the depth limit with QUERY_TOO_COSTLY', async () => {
    const bomb = `{ foreignNationals(first: 500) { nodes { workPermits { employer { workPermits { worker { workPermits { employer { name } } } } } } } } }`;
    const response = await t.query(bomb);
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COSTLY');
  });

  it('refuses too many aliases with TOO_MANY_ALIASES', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: permitStatistics { total }`).join(' ');
    const response = await t.query(`{ ${aliases} }`);
    expect(response.errors?.[0]?.extensions?.code).toBe('TOO_MANY_ALIASES');
  });

  it('lets the real work through: the findings refresh page and a page of full views', async () => {
    const refreshPage = await t.query(FINDINGS_INPUT, { first: 500, after: null });
    expect(refreshPage.errors).toBeUndefined();
    const refresh = await t.query(`mutation { refreshFindings { open } }`);
    expect(refresh.errors).toBeUndefined();
  });
});
