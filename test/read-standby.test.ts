import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabaseStatement } from '../lib/database';
import { SUBGRAPH_NAMES, SubgraphName } from '../subgraphs';
import { migrate } from '../tools/migrate';
import { PostgresPair, startPostgresPair } from '../tools/postgres-standby';
import { onPostgres } from './helpers/databases';
import { startTestSystem, TestSystem } from './helpers/system';

/**
 * Agencies on a PostgreSQL primary with a streaming standby (`<NAME>_READ_DATABASE_URL`): a real
 * pair made by initdb and pg_basebackup on 127.0.0.1, every service reading from the standby what
 * may be read there, and the rule that a read sees every write committed before it began.
 */
(onPostgres ? describe : describe.skip)('agencies reading from a streaming standby', () => {
  let pair: PostgresPair;
  let t: TestSystem;
  const database = (name: SubgraphName) => `standby_${name}`;
  const urls = (url: (db: string) => string) =>
    Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, url(database(name))])) as Record<SubgraphName, string>;

  /** How many requests each database of immigration answered (its /metrics). */
  const immigrationReads = async () => {
    const metrics = await (await fetch(new URL('/metrics', t.subgraph('immigration').url))).text();
    const count = (db: string) =>
      Number(new RegExp(`subgraph_reads_total\\{database="${db}"[^}]*\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
    return { standby: count('standby'), primary: count('primary') };
  };
  const caughtUp = async () => {
    const position = pair.primarySql('SELECT pg_current_wal_lsn()');
    for (let tries = 0; tries < 200; tries += 1) {
      if (pair.standbySql(`SELECT pg_last_wal_replay_lsn() >= '${position}'`) === 't') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the standby did not catch up');
  };

  beforeAll(async () => {
    pair = startPostgresPair({
      dir: mkdtempSync(path.join(os.tmpdir(), 'timpora-standby-')),
      primaryPort: 25341,
      standbyPort: 25342,
    });
    for (const name of SUBGRAPH_NAMES) pair.primarySql(createDatabaseStatement(database(name)));
    const primary = urls(pair.primaryUrl);
    for (const name of SUBGRAPH_NAMES) await migrate(primary[name], name, () => undefined);
    await caughtUp();
    t = await startTestSystem({ persons: 40 }, { databaseUrls: primary, readDatabaseUrls: urls(pair.standbyUrl) });
    await caughtUp();
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    pair?.stop();
  });

  const firstPage = '{ foreignNationals(first: 3) { totalCount nodes { id fullName } } }';

  it('reads from the standby once it has what the primary had committed', async () => {
    const before = await immigrationReads();
    const page = await t.query(firstPage);
    expect(page.errors).toBeUndefined();
    expect(page.data.foreignNationals.nodes).toHaveLength(3);
    const after = await immigrationReads();
    expect(after.standby).toBeGreaterThan(before.standby);
  });

  it('answers from the primary while the standby lags, so a write is seen at once; from the standby again after', async () => {
    const page = await t.query(firstPage);
    const person = page.data.foreignNationals.nodes[0];
    pair.standbySql('SELECT pg_wal_replay_pause()');
    try {
      // A write committed on the primary (as an import or another replica writes it) that the standby has not replayed.
      pair.primarySql(
        `UPDATE foreign_national SET "fullName" = 'Renamed While The Standby Lags' WHERE id = '${person.id}'`,
        database('immigration'),
      );
      const before = await immigrationReads();
      const seen = await t.query(firstPage);
      expect(seen.data.foreignNationals.nodes[0]).toEqual({
        id: person.id,
        fullName: 'Renamed While The Standby Lags',
      });
      const during = await immigrationReads();
      expect(during.primary).toBeGreaterThan(before.primary);
      expect(during.standby).toBe(before.standby);
    } finally {
      pair.standbySql('SELECT pg_wal_replay_resume()');
    }
    await caughtUp();
    const again = await t.query(firstPage);
    expect(again.data.foreignNationals.nodes[0].fullName).toBe('Renamed While The Standby Lags');
    expect((await immigrationReads()).standby).toBeGreaterThan(0);
  });

  it('runs mutations on the primary', async () => {
    const refresh = await t.query('mutation { refreshFindings { open } }');
    expect(refresh.errors).toBeUndefined();
    expect(refresh.data.refreshFindings.open).toBeGreaterThan(0);
  });
});
