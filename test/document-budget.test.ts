import { parse } from 'graphql';
import { useDocumentBudget } from '../gateway/document-budget';
import { postGraphQL, readExample, startTestSystem, TestSystem } from './helpers/system';

/** Documents that would cost the gateway seconds of CPU are refused before validation runs. */
describe('the document budget', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ persons: 20 });
  });
  afterAll(() => t.stop());

  const send = async (query: string) => {
    const started = process.hrtime.bigint();
    const response = await t.query(query);
    return { ...response, ms: Number(process.hrtime.bigint() - started) / 1e6 };
  };

  it('refuses one field repeated thousands of times (a 966 KB document) with a clear reason', async () => {
    const flood = `{ ${Array(23_000).fill('foreignNationals(first: 1) { totalCount }').join(' ')} }`;
    const refused = await send(flood);
    expect(refused.status).toBe(400);
    expect(refused.errors![0].message).toMatch(/more that 5000 tokens. Parsing aborted/);
    const repeated = await send(`{ foreignNationals(first: 1) { ${Array(500).fill('totalCount').join(' ')} } }`);
    expect(repeated.status).toBe(400);
    expect(repeated.errors![0].message).toMatch(/"totalCount" appears 21 times in one selection/);
    console.log(`refused in ${refused.ms.toFixed(0)} ms and ${repeated.ms.toFixed(0)} ms (HTTP round trip included)`);
  });

  it('refuses fragments that spread each other into an exponential document', async () => {
    const levels = Array.from(
      { length: 30 },
      (_, i) => `fragment F${i} on ForeignNationalConnection { ...F${i + 1} ...F${i + 1} }`,
    );
    const query = `{ foreignNationals(first: 1) { ...F0 } } ${levels.join(' ')} fragment F30 on ForeignNationalConnection { totalCount }`;
    const refused = await send(query);
    expect(refused.status).toBe(400);
    expect(refused.errors![0].message).toMatch(/more than 5000 fields once its fragments are spread/);
  });

  it('refuses an alias flood before validation, and still runs the analysts’ operations', async () => {
    const aliases = Array.from({ length: 150 }, (_, i) => `a${i}: foreignNationals(first: 1) { totalCount }`).join(' ');
    const refused = await send(`{ ${aliases} }`);
    expect(refused.status).toBe(400);
    expect(refused.errors![0].message).toMatch(/150 aliases/);
    const passport = { ...t.manifest.examples.renewedPassport.currentPassport };
    const fullView = await postGraphQL(
      t.system.gateway!.url,
      readExample('full-view.graphql'),
      passport,
      await t.testAuth.token({ roles: ['analyst'], pii: true }),
    );
    expect(fullView.errors).toBeUndefined();
  });
});

describe('the parsed-document cache', () => {
  it('is bounded: a flood of distinct documents evicts the least recently used', async () => {
    const { documentStore } = useDocumentBudget({ documentCacheMiB: 0.01 }); // about 10 KB
    const keys = Array.from({ length: 200 }, (_, index) => `document-${index}`);
    for (const key of keys)
      await documentStore!.set(key, parse(`{ foreignNationals(first: ${keys.indexOf(key) + 1}) { totalCount } }`));
    expect(await documentStore!.get(keys[0])).toBeUndefined();
    expect(await documentStore!.get(keys[199])).toBeDefined();
    const kept = (await Promise.all(keys.map((key) => documentStore!.get(key)))).filter(Boolean);
    expect(kept.length).toBeLessThan(100);
  });
});
