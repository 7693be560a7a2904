import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { createObservability } from '../../lib/observability';
import { readRouting } from '../../subgraphs/shared/standby';
import { parseCommandLine, runTool } from '../cli';
import { startPostgresPair } from '../postgres-standby';

/**
 * `npm run bench:standby`: what a subgraph's read pays to be sent to a streaming standby
 * (subgraphs/shared/standby.ts) on a PostgreSQL 15 primary and standby made here on 127.0.0.1
 * (ports 25351-25352): the choice with the standby caught up, with a write committed just before
 * each read, and with the standby's replay paused (the standby lagging), twice each.
 */
const CLI = {
  command: 'npm run bench:standby',
  summary: "The cost of choosing a subgraph read's database, with the standby caught up and lagging.",
  options: {},
} as const;

async function main() {
  parseCommandLine(CLI);
  const pair = startPostgresPair({
    dir: mkdtempSync(path.join(os.tmpdir(), 'timpora-bench-standby-')),
    primaryPort: 25351,
    standbyPort: 25352,
  });
  const open = async (url: string) => new DataSource({ type: 'postgres', url }).initialize();
  try {
    pair.primarySql('CREATE TABLE written (id serial PRIMARY KEY)');
    const [primary, standby] = [await open(pair.primaryUrl('postgres')), await open(pair.standbyUrl('postgres'))];
    const route = readRouting(primary, standby, createObservability('bench'));
    const measure = async (label: string, reads: number, write: boolean) => {
      const ms: number[] = [];
      let onStandby = 0;
      for (let i = 0; i < reads; i += 1) {
        if (write) await primary.query('INSERT INTO written DEFAULT VALUES');
        const started = process.hrtime.bigint();
        if ((await route(false)) === standby) onStandby += 1;
        ms.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      ms.sort((a, b) => a - b);
      const at = (share: number) => ms[Math.min(reads - 1, Math.floor(reads * share))].toFixed(2);
      console.log(
        `${label.padEnd(46)} p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms; ${onStandby} of ${reads} on the standby`,
      );
    };
    for (let round = 0; round < 2; round += 1) {
      await measure('standby caught up', 300, false);
      await measure('a write committed just before each read', 300, true);
      pair.standbySql('SELECT pg_wal_replay_pause()');
      await measure('standby replay paused, a write before each', 40, true);
      pair.standbySql('SELECT pg_wal_replay_resume()');
      // Past the second in which reads skip a standby found behind.
      await new Promise((resolve) => setTimeout(resolve, 1200));
    }
    await primary.destroy();
    await standby.destroy();
  } finally {
    pair.stop();
  }
}

runTool(main);
