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
  },
} as const;

const POPULATION = 2000;

async function main() {
  const { values } = parseCommandLine(CLI);
  const records = countOption('records', values.records);
  const persons = Math.min(countOption('persons', values.persons), POPULATION);
  const together = countOption('together', values.together);
  const population = Array.from({ length: POPULATION }, () => randomUUID());
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
    const entry = () => ({
      at: new Date().toISOString(),
      subject: 'bench',
      roles: ['analyst'],
      delegated: false,
      actor: null,
      operationName: 'Page',
      documentHash: null,
      variables: '{}',
      outcome: 'OK',
      errorCodes: [],
      personIds: sample(options.population, options.persons),
      requestId: randomUUID(),
    });
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

/** `count` distinct persons of the population, sorted as the gateway records them. */
function sample(population: string[], count: number): string[] {
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(population[Math.floor(Math.random() * population.length)]);
  return [...chosen].sort();
}

runTool(main);
