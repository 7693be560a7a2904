import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ensureYearlyPartitions, FIRST_PARTITION_YEAR, PARTITION_YEARS_AHEAD } from '../lib/partitions';
import { subgraphs } from '../subgraphs';
import { BorderCrossing } from '../subgraphs/immigration/entities/border-crossing';
import { CrossingDirection } from '../subgraphs/immigration/enums';
import { crossingsBetweenQuery } from '../subgraphs/immigration/loaders';
import { onPostgres } from './helpers/databases';
import { startTestSystem, TestSystem } from './helpers/system';

/** Crossings by time: a range reads only its years, and on PostgreSQL every year is a partition of its own. */
describe('crossings by time', () => {
  let t: TestSystem;
  let db: DataSource;
  beforeAll(async () => {
    t = await startTestSystem();
    db = t.subgraph('immigration').db;
  });
  afterAll(() => t.stop());

  const between = `query($id: ID!, $since: DateTimeISO!, $until: DateTimeISO!) {
    foreignNational(id: $id) { crossings { crossedAt direction } crossingsBetween(since: $since, until: $until) { crossedAt direction } }
  }`;

  it('gives exactly the crossings from since (inclusive) to until (exclusive), newest first', async () => {
    const [{ personId }] = await db.query(
      `SELECT "personId" FROM border_crossing GROUP BY "personId" HAVING count(*) >= 3 ORDER BY 1 LIMIT 1`,
    );
    const all = (await t.query(between, { id: personId, since: '1990-01-01T00:00:00Z', until: '2100-01-01T00:00:00Z' }))
      .data.foreignNational;
    expect(all.crossingsBetween).toEqual(all.crossings);
    expect(all.crossings.length).toBeGreaterThan(1);
    // From the second newest crossing's instant to the newest one's: only the second newest.
    const [newest, second] = all.crossings;
    const { data, errors } = await t.query(between, { id: personId, since: second.crossedAt, until: newest.crossedAt });
    expect(errors).toBeUndefined();
    expect(data.foreignNational.crossingsBetween).toEqual([second]);
  });

  it('refuses a range that ends before it starts, naming the argument', async () => {
    const { errors } = await t.query(between, {
      id: t.manifest.examples.cleanPerson.personId,
      since: '2025-01-02T00:00:00Z',
      until: '2025-01-01T00:00:00Z',
    });
    expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'until' });
  });

  (onPostgres ? describe : describe.skip)('on PostgreSQL', () => {
    const thisYear = new Date().getUTCFullYear();
    const partitioning = subgraphs.immigration.partitionedByYear![0];
    const rowsIn = async (table: string) => Number((await db.query(`SELECT count(*) AS n FROM "${table}"`))[0].n);
    const partitions = async (): Promise<string[]> =>
      (
        await db.query(
          `SELECT child.relname AS name FROM pg_inherits JOIN pg_class child ON child.oid = inhrelid
           WHERE inhparent = 'border_crossing'::regclass ORDER BY 1`,
        )
      ).map((row: { name: string }) => row.name);

    it('hold one partition per year from 2000 to the years ahead, and the seeded crossings in their years', async () => {
      const years = Array.from(
        { length: thisYear + PARTITION_YEARS_AHEAD - FIRST_PARTITION_YEAR + 1 },
        (_, index) => `border_crossing_y${FIRST_PARTITION_YEAR + index}`,
      );
      expect(await partitions()).toEqual(['border_crossing_default', ...years].sort());
      expect(await rowsIn('border_crossing_default')).toBe(0);
      const [{ y2024 }] = await db.query(
        `SELECT count(*) AS y2024 FROM border_crossing WHERE "crossedAt" >= '2024-01-01' AND "crossedAt" < '2025-01-01'`,
      );
      expect(await rowsIn('border_crossing_y2024')).toBe(Number(y2024));
      expect(Number(y2024)).toBeGreaterThan(0);
    });

    it('read only the partitions of the years a range spans', async () => {
      const [sql, parameters] = crossingsBetweenQuery(db, [t.manifest.examples.cleanPerson.personId], {
        since: '2023-06-01T00:00:00.000Z',
        until: '2024-03-01T00:00:00.000Z',
      }).getQueryAndParameters();
      const plan = (await db.query(`EXPLAIN ${sql}`, parameters)).map((row: any) => row['QUERY PLAN']).join('\n');
      const scanned = [...new Set([...plan.matchAll(/ on (border_crossing_\w+)/g)].map((match) => match[1]))];
      expect(scanned.sort()).toEqual(['border_crossing_y2023', 'border_crossing_y2024']);
    });

    it('keep a crossing outside the years in the default partition until its year is added, readable all along', async () => {
      const personId = t.manifest.examples.cleanPerson.personId;
      const later = thisYear + PARTITION_YEARS_AHEAD + 2;
      const crossing = (crossedAt: string) => ({
        id: randomUUID(),
        personId,
        direction: CrossingDirection.EXIT,
        crossedAt,
        checkpoint: 'PLBN Entikong',
        passportNumber: 'X1',
      });
      await db
        .getRepository(BorderCrossing)
        .insert([crossing('1995-03-04T05:06:07.000Z'), crossing(`${later}-02-03T04:05:06.000Z`)]);
      expect(await rowsIn('border_crossing_default')).toBe(2);
      const read = async () =>
        (
          await t.query(between, { id: personId, since: '1990-01-01T00:00:00Z', until: '2100-01-01T00:00:00Z' })
        ).data.foreignNational.crossingsBetween.map((c: { crossedAt: string }) => c.crossedAt);
      expect(await read()).toEqual(
        expect.arrayContaining(['1995-03-04T05:06:07.000Z', `${later}-02-03T04:05:06.000Z`]),
      );

      // Two years on, `npm run migrate` adds the partitions up to `later` and moves the row into its year.
      expect(await ensureYearlyPartitions(db, partitioning, thisYear + 2)).toBe(2);
      expect(await rowsIn(`border_crossing_y${later}`)).toBe(1);
      expect(await rowsIn('border_crossing_default')).toBe(1); // 1995: before the first year
      expect(await ensureYearlyPartitions(db, partitioning, thisYear + 2)).toBe(0);
      expect(await read()).toEqual(
        expect.arrayContaining(['1995-03-04T05:06:07.000Z', `${later}-02-03T04:05:06.000Z`]),
      );
    });

    it('keep every crossing when the migration partitions an existing table, and when it is reverted', async () => {
      const fingerprint = async () =>
        (await db.query(`SELECT count(*) AS n, max("crossedAt") AS last, min(id) AS first FROM border_crossing`))[0];
      const before = await fingerprint();
      // Back to before CrossingPartitions, whatever migrations came after it.
      for (let reverted = ''; !reverted.startsWith('CrossingPartitions');) {
        [{ name: reverted }] = await db.query('SELECT name FROM schema_migrations ORDER BY id DESC LIMIT 1');
        await db.undoLastMigration({ transaction: 'all' });
      }
      expect((await db.query(`SELECT relkind FROM pg_class WHERE relname = 'border_crossing'`))[0].relkind).toBe('r');
      expect(await fingerprint()).toEqual(before);
      await db.runMigrations({ transaction: 'each' });
      expect((await db.query(`SELECT relkind FROM pg_class WHERE relname = 'border_crossing'`))[0].relkind).toBe('p');
      expect(await fingerprint()).toEqual(before);
      // The test above's crossings of 1995 and of a year the migration's partitions do not reach yet.
      expect(await rowsIn('border_crossing_default')).toBe(2);
    });
  });
});
