import { In } from 'typeorm';
import { entitiesOf, findIn, isPostgres } from '../lib/database';
import { SUBGRAPH_NAMES } from '../subgraphs';
import { Employer } from '../subgraphs/manpower/entities/employer';
import { ReportParty } from '../subgraphs/police/entities/report-party';
import { startTestSystem, TestSystem } from './helpers/system';

/**
 * The loaders read through findIn instead of TypeORM's query builder: for every entity of every
 * subgraph, on the demo data (SQLite here, PostgreSQL with TEST_DATABASE_URL), it must give the
 * very entities `findBy({ key: In(keys) })` gives: same class, same properties, same values.
 */
describe('findIn reads the same entities as findBy', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ persons: 200 });
    await t.query('mutation { refreshFindings { open } }');
  });
  afterAll(() => t.stop());

  // findIn promises the rows, not their order (PostgreSQL reads them in index order): compared whole, sorted.
  const sorted = <T>(rows: T[]) =>
    rows
      .map((row) => [JSON.stringify(row), row] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, row]) => row);

  it.each(SUBGRAPH_NAMES)('%s: every entity, every column', async (name) => {
    const { db } = t.subgraph(name);
    for (const metadata of db.entityMetadatas) {
      const [primary] = metadata.primaryColumns;
      const repository = db.getRepository(metadata.target);
      const sample = await repository.find({ take: 50 });
      if (sample.length === 0) continue;
      const keys = sample.map((row) => row[primary.propertyName]);
      const expected = await repository.findBy({ [primary.propertyName]: In(keys) });
      // A key no row holds, of the column's type (the figures' tables are keyed by a date first).
      const missing = typeof keys[0] === 'number' ? -1 : primary.type === 'date' ? '1900-01-01' : 'no-such-key';
      const found = await findIn(db, metadata.target, primary.propertyName, [...keys, missing]);
      expect({ entity: metadata.name, rows: sorted(found) }).toEqual({ entity: metadata.name, rows: sorted(expected) });
      for (const row of found) expect(row).toBeInstanceOf(metadata.target as Function);
    }
  });

  it('narrows to rows whose other column is null, and answers nothing for no keys', async () => {
    const { db } = t.subgraph('police');
    const parties = db.getRepository(ReportParty);
    const named = await parties.find({ take: 200 });
    const nameKeys = [...new Set(named.map((party) => party.nameKey))];
    const expected = named.length
      ? await parties
          .createQueryBuilder('p')
          .where('p.nameKey IN (:...nameKeys) AND p.passportNumber IS NULL', { nameKeys })
          .getMany()
      : [];
    expect(sorted(await findIn(db, ReportParty, 'nameKey', nameKeys, 'passportNumber'))).toEqual(sorted(expected));
    expect(await findIn(db, ReportParty, 'nameKey', [])).toEqual([]);
  });

  it('looks a list up through an index as = ANY on PostgreSQL, by any other column as IN', async () => {
    // An array compared with every row of a scan is quadratic (5,000 birth dates over 1,000,000
    // persons: 4.3 s against IN's 92 ms); through an index it is one scan over the sorted values.
    const { db, statements } = t.subgraph('manpower');
    const sample = await db.getRepository(Employer).find({ take: 20 });
    statements.reset();
    const byNib = await findIn(
      db,
      Employer,
      'nib',
      sample.map((row) => row.nib),
    );
    const byName = await findIn(
      db,
      Employer,
      'name',
      sample.map((row) => row.name),
    );
    expect(sorted(byNib)).toEqual(sorted(sample));
    expect(byName.length).toBeGreaterThanOrEqual(sample.length);
    const [throughKey, throughScan] = statements.statements;
    expect(throughKey).toContain(isPostgres(db) ? '"nib" = ANY(ARRAY(' : '"nib" IN (');
    expect(throughScan).toContain('"name" IN (');
  });

  it.each(SUBGRAPH_NAMES)(
    '%s: entitiesOf gives what getMany gives, for every entity, filtered and ordered',
    async (name) => {
      const { db } = t.subgraph(name);
      for (const metadata of db.entityMetadatas) {
        const [primary] = metadata.primaryColumns;
        const query = () =>
          db
            .getRepository(metadata.target)
            .createQueryBuilder('e')
            .where(`e.${primary.propertyName} IS NOT NULL`)
            .orderBy(`e.${primary.propertyName}`, 'DESC')
            .limit(30);
        const found = await entitiesOf(query());
        expect({ entity: metadata.name, rows: found }).toEqual({
          entity: metadata.name,
          rows: await query().getMany(),
        });
        for (const row of found) expect(row).toBeInstanceOf(metadata.target as Function);
      }
      // The same statement again, with other parameters (prepared once): still the builder's answer.
      const [metadata] = db.entityMetadatas;
      const key = metadata.primaryColumns[0].propertyName;
      const after = (value: unknown) =>
        db
          .getRepository(metadata.target)
          .createQueryBuilder('e')
          .where(`e.${key} > :value`, { value })
          .orderBy(`e.${key}`)
          .limit(5);
      const [first] = await db.getRepository(metadata.target).find({ order: { [key]: 'ASC' }, take: 1 });
      if (first) expect(await entitiesOf(after(first[key]))).toEqual(await after(first[key]).getMany());
    },
  );
});
