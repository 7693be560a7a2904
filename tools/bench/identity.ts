import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import os, { availableParallelism } from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../lib/database';
import { subgraphs } from '../../subgraphs';
import { ForeignNational } from '../../subgraphs/immigration/entities/foreign-national';
import { Sex } from '../../subgraphs/immigration/enums';
import { IdentityDecision, IdentityDecisionEvent, IdentityRecord } from '../../subgraphs/immigration/entities/identity';
import { indexPersons } from '../../subgraphs/immigration/matching/blocking';
import {
  automaticDecisions,
  Decision,
  DEFAULT_THRESHOLDS,
  linkRecords,
  RecordKind,
  RecordToLink,
} from '../../subgraphs/immigration/matching/decisions';
import { IdentityQuery, matchRecords, scoredCandidate } from '../../subgraphs/immigration/matching/matcher';
import { startMatchPool } from '../../subgraphs/immigration/matching/parallel';
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
    workers: { type: 'string', value: 'N', description: 'worker threads scoring the batch (default: one per core)' },
    'reuse-model': {
      type: 'boolean',
      description: 'with --keep: the model the last run estimated, not a new estimate',
    },
    keep: {
      type: 'string',
      value: 'FILE',
      description: 'a SQLite file to fill once and reuse while it holds --persons persons (else a scratch file)',
    },
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
  dateNoise: DateNoise;
}

async function main() {
  const { values } = parseCommandLine(CLI);
  const count = (flag: string, raw: string | undefined, fallback: number) =>
    numberOption(flag, raw, fallback, { integer: true, min: 1 });
  const persons = count('persons', values.persons, 1_000_000);
  const scored = count('records', values.records, 2000);
  const batch = count('batch', values.batch, 100_000);
  const workers = numberOption('workers', values.workers, availableParallelism(), { integer: true, min: 0 });
  const scratch =
    values['database-url'] || values.keep ? null : mkdtempSync(path.join(os.tmpdir(), 'timpora-identity-'));
  const url =
    values['database-url'] ??
    `sqlite:${values.keep ? path.resolve(values.keep) : path.join(scratch!, 'immigration.sqlite')}`;
  // A PostgreSQL database must be migrated (npm run migrate) and empty: its tables are emptied first.
  const { dataSource: db } = await openDatabase({
    url,
    entities: subgraphs.immigration.entities,
    migrations: subgraphs.immigration.migrations,
  });
  try {
    if (db.options.type === 'better-sqlite3')
      for (const pragma of ['cache_size = -262144', 'synchronous = 0', 'journal_mode = WAL'])
        await db.query(`PRAGMA ${pragma}`);
    const reuse = values.keep && (await db.getRepository(ForeignNational).count()) === persons;
    if (!reuse) {
      for (const entity of subgraphs.immigration.entities) await db.getRepository(entity).clear();
      const seconds = await timed(() => fill(db, new Random(20250618, 9, 0), persons));
      console.log(
        `${persons.toLocaleString('en')} persons written and indexed in ${seconds.toFixed(0)} s (${Math.round(persons / seconds).toLocaleString('en')} persons/s)`,
      );
    } else
      for (const entity of [IdentityDecision, IdentityRecord, IdentityDecisionEvent])
        await db.getRepository(entity).clear();
    console.log(`database: ${await sizes(db)}`);
    // Ids are random: the first ones in id order are a random sample of the persons.
    const sample = await db.getRepository(ForeignNational).find({ order: { id: 'ASC' }, take: 50_000 });
    const rng = new Random(20250618, 10, 0);

    const records = [...noisyRecords(rng, sample, scored), ...decoys(rng, sample, Math.round(scored / 4))];
    const training = await timed(async () =>
      values['reuse-model'] && reuse
        ? undefined
        : trainModel(
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
    let decoysOnNamesakes = 0;
    const byKind = new Map<string, [number, number, number]>();
    for (const record of records) {
      const started = process.hrtime.bigint();
      const [candidates] = await matchRecords(db, [record.query], 5);
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      const ids = candidates.map((candidate) => candidate.person.id);
      if (record.personId && ids[0] === record.personId) top1++;
      if (record.personId && ids.includes(record.personId)) top5++;
      if (record.personId)
        for (const kind of [`name ${record.nameNoise}`, `birth date ${record.dateNoise}`]) {
          const [count, first, five] = byKind.get(kind) ?? [0, 0, 0];
          byKind.set(kind, [
            count + 1,
            first + Number(ids[0] === record.personId),
            five + Number(ids.includes(record.personId)),
          ]);
        }
      const [decision] = automaticDecisions(candidates.map(scoredCandidate), DEFAULT_THRESHOLDS);
      if (!record.personId && decision === Decision.AUTO_LINKED) {
        decoysAbove++;
        // A decoy is nobody by construction, but among a million persons someone may carry its
        // very name, birth date and nationality: no record could tell those apart.
        const { person } = candidates[0];
        if (person.nameKey === nameKey(record.query.fullName) && person.dateOfBirth === record.query.dateOfBirth)
          decoysOnNamesakes++;
      }
    }
    latencies.sort((a, b) => a - b);
    const at = (share: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(share * latencies.length))].toFixed(1);
    const known = records.filter((record) => record.personId).length;
    console.log(`one record at a time (${records.length}): p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms`);
    for (const [kind, [count, first, five]] of [...byKind].sort())
      console.log(
        `  ${kind}: ${count} records, top-1 ${(first / count).toFixed(3)}, top-5 ${(five / count).toFixed(3)}`,
      );
    console.log(
      `accuracy on ${known} noisy records: top-1 ${(top1 / known).toFixed(3)}, top-5 ${(top5 / known).toFixed(3)}; decoys auto-linked: ${decoysAbove} of ${records.length - known} (${decoysOnNamesakes} of them on a person with the decoy's very name and birth date)`,
    );

    const truth = new Map<string, string | null>();
    const toLink: RecordToLink[] = [...noisyRecords(rng, sample, batch)].map((record, index) => {
      const recordId = `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
      truth.set(recordId, record.personId);
      return { recordId, recordKind: RecordKind.PRESENCE_REGISTRATION, query: record.query };
    });
    let summary;
    const pool = startMatchPool(url, workers);
    const linking = await timed(async () => {
      summary = await linkRecords(db, toLink, { thresholds: DEFAULT_THRESHOLDS, now: new Date().toISOString(), pool });
    });
    await pool?.close();
    const linked = await db.getRepository(IdentityDecision).findBy({ decision: Decision.AUTO_LINKED });
    const right = linked.filter((row) => truth.get(row.recordId) === row.personId).length;
    console.log(
      `batch auto-links: ${linked.length}, of them the true person ${right} (precision ${(right / Math.max(1, linked.length)).toFixed(4)})`,
    );
    console.log(
      `batch: ${toLink.length.toLocaleString('en')} records linked in ${linking.toFixed(1)} s (${Math.round(toLink.length / linking).toLocaleString('en')} records/s, ${pool ? workers : 0} worker threads): ${JSON.stringify(summary)}`,
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
async function fill(db: DataSource, rng: Random, count: number): Promise<void> {
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
      dateNoise,
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
      dateNoise: 'NONE',
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
