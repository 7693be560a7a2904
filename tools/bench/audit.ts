import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditLog } from '../../gateway/audit/log';
import { auditStorage } from '../../lib/audit';
import { openDatabase } from '../../lib/database';
import { countOption, parseCommandLine, runTool } from '../cli';

/**
 * `npm run bench:audit [-- --records 2000 --persons 100]`: the gateway's CPU per read-audit append
 * on a SQLite file, the who-read-whom rows included, with the rows written behind the records
 * every second (as the gateway does) and every millisecond (about once per group of answers, as
 * they were written before, inside each append's transaction), alternating, twice each.
 * `-- --database-url postgres://… [--seconds 4] [--callers 1,25]`: appends per second and an
 * append's latency on a PostgreSQL audit database (its tables emptied first: a scratch one), from
 * one gateway replica and from two appending to the one chain, alternating, twice each.
 */
const CLI = {
  command: 'npm run bench:audit --',
  summary: 'CPU per read-audit append (record and who-read-whom rows) on SQLite.',
  options: {
    records: { type: 'string', default: '2000', value: 'N', description: 'appends measured per run (default 2000)' },
    persons: { type: 'string', default: '100', value: 'N', description: 'persons per answer (default 100)' },
    together: {
      type: 'string',
      default: '5',
      value: 'N',
      description: 'answers finishing together, committed in one group (default 5)',
    },
    'database-url': { type: 'string', value: 'URL', description: 'a scratch PostgreSQL audit database (emptied)' },
    seconds: { type: 'string', default: '4', value: 'S', description: 'seconds per PostgreSQL run (default 4)' },
    callers: {
      type: 'string',
      default: '1,25',
      value: 'N,M',
      description: 'answers in flight per replica, one run each (default 1,25)',
    },
  },
} as const;

const POPULATION = 2000;

async function main() {
  const { values } = parseCommandLine(CLI);
  const records = countOption('records', values.records);
  const persons = Math.min(countOption('persons', values.persons), POPULATION);
  const together = countOption('together', values.together);
  const population = Array.from({ length: POPULATION }, () => randomUUID());
  if (values['database-url']) {
    const seconds = countOption('seconds', values.seconds);
    for (let round = 0; round < 2; round += 1)
      for (const callers of values.callers.split(',').map((value) => countOption('callers', value)))
        for (const replicas of [1, 2]) {
          const run = await onReplicas(values['database-url'], { replicas, callers, seconds, persons, population });
          console.log(
            `${replicas} replica(s), ${String(callers).padStart(3)} answers in flight each: ${run.perSecond.toFixed(0).padStart(6)} appends/s, ` +
              `append p50 ${run.p50.toFixed(2)} ms, p95 ${run.p95.toFixed(2)} ms`,
          );
        }
    return;
  }
  for (const indexEveryMs of [1000, 1, 1000, 1]) {
    const cpu = await run({ records, persons, together, population, indexEveryMs });
    console.log(`rows written every ${String(indexEveryMs).padStart(4)} ms: ${cpu.toFixed(3)} ms of CPU per append`);
  }
}

async function run(options: {
  records: number;
  persons: number;
  together: number;
  population: string[];
  indexEveryMs: number;
}): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'timpora-bench-audit-'));
  const { dataSource } = await openDatabase({
    url: `sqlite:${path.join(dir, 'audit.sqlite')}`,
    ...auditStorage,
    sqlite: { cacheMb: 2, mapFile: false }, // as the gateway opens it
  });
  try {
    const log = await new AuditLog(dataSource, { indexEveryMs: options.indexEveryMs }).open();
    const entry = () => ({ ...benchEntry(), personIds: sample(options.population, options.persons) });
    const started = process.cpuUsage();
    for (let done = 0; done < options.records; done += options.together) {
      await Promise.all(Array.from({ length: options.together }, () => log.append(entry())));
      // The next answers arrive a little later, as under load: the interval can pass between groups.
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await log.close();
    const used = process.cpuUsage(started);
    return (used.user + used.system) / 1000 / options.records;
  } finally {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `replicas` gateways' audit logs, each its own pool, appending to one PostgreSQL audit for `seconds`. */
async function onReplicas(
  url: string,
  options: { replicas: number; callers: number; seconds: number; persons: number; population: string[] },
): Promise<{ perSecond: number; p50: number; p95: number }> {
  const { dataSource: admin } = await openDatabase({ url, ...auditStorage });
  await admin.query('TRUNCATE audit_record, audit_person_read');
  await admin.query('UPDATE audit_person_read_indexed SET seq = 0');
  await admin.destroy();
  const logs = await Promise.all(
    Array.from({ length: options.replicas }, async () =>
      new AuditLog((await openDatabase({ url, ...auditStorage })).dataSource).open(),
    ),
  );
  const latencies: number[] = [];
  const until = Date.now() + options.seconds * 1000;
  const answer = async (log: AuditLog) => {
    while (Date.now() < until) {
      const started = process.hrtime.bigint();
      await log.append({ ...benchEntry(), personIds: sample(options.population, options.persons) });
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  };
  await Promise.all(logs.flatMap((log) => Array.from({ length: options.callers }, () => answer(log))));
  for (const log of logs) {
    await log.close();
    await log.db.destroy();
  }
  latencies.sort((a, b) => a - b);
  const at = (share: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * share))];
  return { perSecond: latencies.length / options.seconds, p50: at(0.5), p95: at(0.95) };
}

function benchEntry() {
  return {
    at: new Date().toISOString(),
    subject: 'bench',
    roles: ['analyst'],
    delegated: false,
    actor: null,
    operationName: 'Page',
    documentHash: null,
    variables: '{}',
    outcome: 'OK',
    errorCodes: [] as string[],
    requestId: randomUUID(),
  };
}

/** `count` distinct persons of the population, sorted as the gateway records them. */
function sample(population: string[], count: number): string[] {
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(population[Math.floor(Math.random() * population.length)]);
  return [...chosen].sort();
}

runTool(main);
