/**
 * Entity resolution across the two agencies it joins: police's records without passport are
 * read from police's database, scored and decided in immigration's. The demo seed, police imports
 * and `npm run identity:link` / `identity:train` all go through here.
 */
import { DataSource } from 'typeorm';
import { findIn } from '../lib/database';
import { IdentityRecord } from '../subgraphs/immigration/entities/identity';
import {
  linkRecords,
  LinkSummary,
  RecordKind,
  RecordToLink,
  Thresholds,
} from '../subgraphs/immigration/matching/decisions';
import { startMatchPool } from '../subgraphs/immigration/matching/parallel';
import { policeRecordQuery } from '../subgraphs/immigration/matching/matcher';
import { trainModel, TrainingReport, TrainingRecord } from '../subgraphs/immigration/matching/training';
import { RecordWithoutPassport, recordsWithoutPassport } from '../subgraphs/police/identity-records';

export interface ResolutionDatabases {
  immigration: DataSource;
  police: DataSource;
}

function toLink(record: RecordWithoutPassport): RecordToLink {
  return {
    recordId: record.recordId,
    recordKind: record.recordKind as RecordKind,
    query: policeRecordQuery(record),
  };
}

/**
 * Scores and decides police's records without passport: those never scored, or changed since
 * (`ids`: only these; `all`: every one again, e.g. after a large import of persons). Analysts'
 * decisions stand whatever is re-scored.
 */
export async function linkPoliceRecords(
  dbs: ResolutionDatabases,
  options: {
    thresholds: Thresholds;
    now?: string;
    all?: boolean;
    ids?: readonly string[];
    /** Score on this many worker threads too (parallel.ts), given immigration's database URL. */
    workers?: { count: number; immigrationUrl: string };
  },
): Promise<LinkSummary & { seconds: number }> {
  const started = process.hrtime.bigint();
  const now = options.now ?? new Date().toISOString();
  const total: LinkSummary = { records: 0, autoLinked: 0, review: 0, noMatch: 0, decidedByAnalysts: 0 };
  const pool = options.workers ? startMatchPool(options.workers.immigrationUrl, options.workers.count) : null;
  const pages = recordsWithoutPassport(dbs.police, { ids: options.ids, pageSize: 20_000 });
  const nextPage = () =>
    pages.next().then(async (read) => {
      if (read.done) return null;
      return options.all ? read.value : unscoredOrChanged(dbs.immigration, read.value);
    });
  // The next page is read (and sifted) while this one is scored: the pool waited on both reads.
  let next = nextPage();
  try {
    for (let due = await next; due; due = await next) {
      next = nextPage();
      const summary = await linkRecords(dbs.immigration, due.map(toLink), {
        thresholds: options.thresholds,
        now,
        pool,
      });
      for (const key of Object.keys(total) as (keyof LinkSummary)[]) total[key] += summary[key];
    }
  } finally {
    // A page read ahead of a failure is not waited for, nor its failure reported twice.
    next.catch(() => {});
    await pool?.close();
  }
  return { ...total, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

async function unscoredOrChanged(db: DataSource, page: RecordWithoutPassport[]): Promise<RecordWithoutPassport[]> {
  const scored = new Map(
    (
      await findIn(
        db,
        IdentityRecord,
        'recordId',
        page.map((record) => record.recordId),
      )
    ).map((row) => [row.recordId, row]),
  );
  return page.filter((record) => {
    const seen = scored.get(record.recordId);
    return (
      !seen ||
      seen.fullName !== record.fullName ||
      seen.dateOfBirth !== record.dateOfBirth ||
      seen.nationality !== record.nationality
    );
  });
}

/** Police's records without passport, as training reads them. */
export async function trainingRecords(police: DataSource): Promise<TrainingRecord[]> {
  const records: TrainingRecord[] = [];
  for await (const page of recordsWithoutPassport(police))
    for (const record of page) records.push({ ...toLink(record).query, recordId: record.recordId });
  return records;
}

/** Estimates the model's parameters from police's records and immigration's persons, and stores them. */
export async function trainOnPoliceRecords(
  dbs: ResolutionDatabases,
  now = new Date().toISOString(),
  /** Match on this many worker threads too (parallel.ts), given immigration's database URL. */
  workers?: { count: number; immigrationUrl: string },
): Promise<TrainingReport> {
  const records = await trainingRecords(dbs.police);
  const pool = workers ? startMatchPool(workers.immigrationUrl, workers.count) : null;
  try {
    return await trainModel(dbs.immigration, records, now, { pool });
  } finally {
    await pool?.close();
  }
}
