import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../lib/database';
import { subgraphs } from '../../subgraphs';
import { ForeignNational } from '../../subgraphs/immigration/entities/foreign-national';
import { Sex } from '../../subgraphs/immigration/enums';
import { indexPersons } from '../../subgraphs/immigration/matching/blocking';
import {
  DEFAULT_THRESHOLDS,
  linkRecords,
  RecordKind,
  RecordToLink,
} from '../../subgraphs/immigration/matching/decisions';
import { IdentityQuery, matchRecords } from '../../subgraphs/immigration/matching/matcher';
import { trainModel } from '../../subgraphs/immigration/matching/training';
import { nameKey } from '../../subgraphs/shared/text';
import { numberOption, parseCommandLine, runTool } from '../cli';
import { fromDay, toDay } from '../demo/dates';
import { DATE_NOISES, DateNoise, NAME_NOISE, NAME_NOISES, NameNoise, noisyDate } from '../demo/name-noise';
import { NATIONALITIES } from '../demo/names';
import { NATIONALITY_WEIGHTS } from '../demo/population';
import { Random } from '../demo/prng';

/**
 * `npm run bench:identity -- [--persons 1000000] [--records 2000] [--batch 100000] [--database-url URL]`:
 * entity resolution at national scale. Fills an immigration database (a scratch SQLite file, or
 * the PostgreSQL database given, which it empties) with persons named as the demo names them,
 * indexes them, estimates the model, then measures:
 * - scoring one record (blocking, comparisons, ranking) one at a time: p50 / p95 / p99;
 * - top-1 / top-5 accuracy on noisy records of known persons, and decoys auto-linked;
 * - linking a batch of name-only records (scored and decided, written in transactions).
 * Compare runs on one machine; the figures go into README.md, "Entity resolution".
 */
const CLI = {
  command: 'npm run bench:identity --',
  summary: 'Entity resolution at scale: latency of one record, accuracy, and batch linking time.',
  options: {
    persons: { type: 'string', value: 'N', description: 'persons in the database (default 1000000)' },
    records: { type: 'string', value: 'N', description: 'noisy records scored one at a time (default 2000)' },
    batch: { type: 'string', value: 'N', description: 'name-only records linked in the batch (default 100000)' },
    'database-url': {
      type: 'string',
      value: 'URL',
      description: 'a migrated PostgreSQL database to use (emptied first); default a scratch SQLite file',
    },
  },
} as const;

const TODAY = toDay('2025-06-18');

interface BenchRecord {
  query: IdentityQuery;
  personId: string | null;
  nameNoise: NameNoise;
}

async function main() {
  const { values } = parseCommandLine(CLI);
  const count = (flag: string, raw: string | undefined, fallback: number) =>
    numberOption(flag, raw, fallback, { integer: true, min: 1 });
  const persons = count('persons', values.persons, 1_000_000);
  const scored = count('records', values.records, 2000);
  const batch = count('batch', values.batch, 100_000);
  const scratch = values['database-url'] ? null : mkdtempSync(path.join(os.tmpdir(), 'timpora-identity-'));
  const url = values['database-url'] ?? `sqlite:${path.join(scratch!, 'immigration.sqlite')}`;
  // A PostgreSQL database must be migrated (npm run migrate) and empty: its tables are emptied first.
  const { dataSource: db } = await openDatabase({
    url,
    entities: subgraphs.immigration.entities,
    migrations: subgraphs.immigration.migrations,
  });
  try {
    if (values['database-url'])
      for (const entity of subgraphs.immigration.entities) await db.getRepository(entity).clear();
    if (db.options.type === 'better-sqlite3')
      for (const pragma of ['cache_size = -262144', 'synchronous = 0', 'journal_mode = WAL'])
        await db.query(`PRAGMA ${pragma}`);
    const rng = new Random(20250618, 9, 0);
    const sample: ForeignNational[] = [];
    const seconds = await timed(() => fill(db, rng, persons, sample));
    console.log(
      `${persons.toLocaleString('en')} persons written and indexed in ${seconds.toFixed(0)} s (${Math.round(persons / seconds).toLocaleString('en')} persons/s)`,
    );
    console.log(`database: ${await sizes(db)}`);

    const records = [...noisyRecords(rng, sample, scored), ...decoys(rng, sample, Math.round(scored / 4))];
    const training = await timed(() =>
      trainModel(
        db,
        records.map((record, index) => ({ ...record.query, recordId: String(index) })),
        new Date().toISOString(),
      ),
    );
    console.log(`model estimated in ${training.toFixed(1)} s`);

    const latencies: number[] = [];
    let top1 = 0;
    let top5 = 0;
    let decoysAbove = 0;
    for (const record of records) {
      const started = process.hrtime.bigint();
      const [candidates] = await matchRecords(db, [record.query], 5);
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      const ids = candidates.map((candidate) => candidate.person.id);
      if (record.personId && ids[0] === record.personId) top1++;
      if (record.personId && ids.includes(record.personId)) top5++;
      if (!record.personId && (candidates[0]?.probability ?? 0) >= DEFAULT_THRESHOLDS.autoLink) decoysAbove++;
    }
    latencies.sort((a, b) => a - b);
    const at = (share: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(share * latencies.length))].toFixed(1);
    const known = records.filter((record) => record.personId).length;
    console.log(`one record at a time (${records.length}): p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms`);
    console.log(
      `accuracy on ${known} noisy records: top-1 ${(top1 / known).toFixed(3)}, top-5 ${(top5 / known).toFixed(3)}; decoys above the auto-link threshold: ${decoysAbove} of ${records.length - known}`,
    );

    const toLink: RecordToLink[] = [...noisyRecords(rng, sample, batch)].map((record, index) => ({
      recordId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      recordKind: RecordKind.PRESENCE_REGISTRATION,
      query: record.query,
    }));
    let summary;
    const linking = await timed(async () => {
      summary = await linkRecords(db, toLink, { thresholds: DEFAULT_THRESHOLDS, now: new Date().toISOString() });
    });
    console.log(
      `batch: ${toLink.length.toLocaleString('en')} records linked in ${linking.toFixed(1)} s (${Math.round(toLink.length / linking).toLocaleString('en')} records/s): ${JSON.stringify(summary)}`,
    );
  } finally {
    await db.destroy();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Persons as the demo names them, nationalities weighted as its workers', in transactions of 10,000. */
async function fill(db: DataSource, rng: Random, count: number, sample: ForeignNational[]): Promise<void> {
  const codes = NATIONALITY_WEIGHTS.work;
  for (let start = 0; start < count; start += 10_000) {
    const persons: ForeignNational[] = [];
    for (let index = start; index < Math.min(count, start + 10_000); index++) {
      const nationality = NATIONALITIES[rng.weighted(codes)];
      const sex = rng.chance(0.7) ? Sex.MALE : Sex.FEMALE;
      const fullName = nationality.name(rng, sex);
      persons.push({
        id: rng.uuid(),
        fullName,
        nameKey: nameKey(fullName),
        sex,
        dateOfBirth: fromDay(TODAY - rng.int(20 * 365, 60 * 365)),
        placeOfBirth: rng.pick(nationality.placesOfBirth),
        nationality: nationality.code,
      });
    }
    await db.transaction(async (manager) => {
      for (let at = 0; at < persons.length; at += 1000)
        await manager
          .createQueryBuilder()
          .insert()
          .into(ForeignNational)
          .values(persons.slice(at, at + 1000))
          .updateEntity(false)
          .execute();
      await indexPersons(manager, persons, { fresh: true });
    });
    for (const person of persons) if (sample.length < 50_000 && rng.chance(0.05)) sample.push(person);
  }
}

function* noisyRecords(rng: Random, sample: ForeignNational[], count: number): Generator<BenchRecord> {
  for (let index = 0; index < count; index++) {
    const person = rng.pick(sample);
    const nameNoise = rng.pick(NAME_NOISES);
    const written =
      nameNoise === 'NONE' ? person.fullName : (NAME_NOISE[nameNoise](rng, person.fullName) ?? person.fullName);
    const dateNoise: DateNoise = rng.pick(DATE_NOISES);
    const dateOfBirth =
      noisyDate(person.dateOfBirth, dateNoise) ?? (dateNoise === 'DAY_MONTH_SWAPPED' ? person.dateOfBirth : null);
    yield {
      query: {
        fullName: written,
        dateOfBirth,
        nationality: rng.chance(0.85) ? person.nationality : null,
        sex: null,
        passportNumber: null,
      },
      personId: person.id,
      nameNoise,
    };
  }
}

/** Someone not in the database with a known person's name and another birth date. */
function* decoys(rng: Random, sample: ForeignNational[], count: number): Generator<BenchRecord> {
  for (let index = 0; index < count; index++) {
    const person = rng.pick(sample);
    const other = fromDay(toDay(person.dateOfBirth) + rng.int(3 * 365, 15 * 365));
    yield {
      query: {
        fullName: person.fullName,
        dateOfBirth: other,
        nationality: person.nationality,
        sex: null,
        passportNumber: null,
      },
      personId: null,
      nameNoise: 'NONE',
    };
  }
}

async function sizes(db: DataSource): Promise<string> {
  if (db.options.type !== 'better-sqlite3') {
    const [row] = await db.query('SELECT pg_size_pretty(pg_database_size(current_database())) AS size');
    return row.size;
  }
  const [row] = await db.query('SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()');
  const [keys] = await db.query('SELECT count(*) AS n FROM identity_block_key');
  return `${(row.bytes / 2 ** 20).toFixed(0)} MB, ${Number(keys.n).toLocaleString('en')} blocking keys`;
}

runTool(main, { failure: 'Identity benchmark failed' });
