import { DataSource, EntityManager, ObjectLiteral } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { inJsonList, isPostgres, jsonRecords } from '../../lib/database';
import { CrossingDirection } from './enums';
import { BorderCrossing } from './entities/border-crossing';
import { ForeignNational } from './entities/foreign-national';
import { StayPermit } from './entities/stay-permit';
import { isInCountry, lastEndingPermit } from './rules';

/**
 * Brings the search columns of these persons up to date with their permits and crossings; every
 * write of immigration records calls it in the same transaction (the demo seed, imports). One
 * statement per call, whatever the number of persons. The rules are those of `rules.ts`: the
 * permit that ends last gives the domicile and the permit status columns, the last crossing tells
 * whether the person is inside.
 */
export async function refreshSearchColumns(manager: EntityManager, personIds: string[]): Promise<void> {
  // rules.standingPermit's order without the active rule: the permit that ends last.
  const lastPermit = (column: string) =>
    `(SELECT permit."${column}" FROM "stay_permit" permit WHERE permit."personId" = ${PERSON} ORDER BY permit."validUntil" DESC, permit."validFrom" DESC, permit."id" ASC LIMIT 1)`;
  await updatePersons(manager, personIds, {
    latestDomicileRegency: () => lastPermit('domicileRegency'),
    latestPermitKind: () => lastPermit('kind'),
    latestPermitValidFrom: () => lastPermit('validFrom'),
    latestPermitValidUntil: () => lastPermit('validUntil'),
    latestPermitRecordedStatus: () => lastPermit('recordedStatus'),
    lastCrossingIsEntry: () => lastCrossingIsEntry(),
  });
}

/**
 * After crossings were written: only the in-country column can change. Each person's latest
 * crossing among those written is their last one unless a later one is stored, which one probe of
 * each person's index from that instant on tells (PostgreSQL prunes it to the partitions from that
 * year on, per person). A scalar subquery, not NOT EXISTS: PostgreSQL would plan that as an anti
 * join, and knowing nothing of the JSON list's size, hash every crossing; naming the person's row,
 * it runs only for those whose column would change. One statement, and it rewrites only those (a
 * person row carries seven indexes).
 */
export async function refreshCrossingColumn(
  manager: EntityManager,
  written: { personId: string; crossedAt: string; direction: CrossingDirection }[],
): Promise<void> {
  if (written.length === 0) return;
  const latest = new Map<string, { id: string; at: string; entry: boolean }>();
  for (const { personId, crossedAt, direction } of written) {
    const seen = latest.get(personId);
    if (seen === undefined || crossedAt > seen.at)
      latest.set(personId, { id: personId, at: crossedAt, entry: direction === CrossingDirection.ENTRY });
  }
  const db = manager.connection;
  const lastWritten = jsonRecords(db, isPostgres(db) ? '$1' : '?', 'written', {
    id: 'text',
    at: 'text',
    entry: 'boolean',
  });
  await manager.query(
    `UPDATE "foreign_national" SET "lastCrossingIsEntry" = written.entry FROM ${lastWritten}
     WHERE "foreign_national"."id" = written.id AND "foreign_national"."lastCrossingIsEntry" <> written.entry
       AND (SELECT 1 FROM "border_crossing" later WHERE later."personId" = "foreign_national"."id" AND later."crossedAt" > written.at LIMIT 1) IS NULL`,
    [JSON.stringify([...latest.values()])],
  );
}

const PERSON = '"foreign_national"."id"';

function lastCrossingIsEntry(): string {
  return `COALESCE((SELECT crossing."direction" = '${CrossingDirection.ENTRY}' FROM "border_crossing" crossing WHERE crossing."personId" = ${PERSON} ORDER BY crossing."crossedAt" DESC LIMIT 1), false)`;
}

/** One UPDATE of these persons' search columns, whatever their number. */
async function updatePersons(
  manager: EntityManager,
  personIds: string[],
  values: QueryDeepPartialEntity<ForeignNational>,
  parameters: ObjectLiteral = {},
): Promise<void> {
  if (personIds.length === 0) return;
  await manager
    .createQueryBuilder()
    .update(ForeignNational)
    .set(values)
    .where(inJsonList(manager.connection, 'id', 'personIds'), { ...parameters, personIds: JSON.stringify(personIds) })
    .execute();
}

/** The search columns of a person from all their permits and crossings, computed as the SQL above does. */
export function searchColumnsOf(
  permits: StayPermit[],
  crossings: BorderCrossing[],
): Required<Pick<ForeignNational, SearchColumn>> {
  const last = lastEndingPermit(permits);
  return {
    latestDomicileRegency: last?.domicileRegency ?? null,
    latestPermitKind: last?.kind ?? null,
    latestPermitValidFrom: last?.validFrom ?? null,
    latestPermitValidUntil: last?.validUntil ?? null,
    latestPermitRecordedStatus: last?.recordedStatus ?? null,
    lastCrossingIsEntry: isInCountry(crossings),
  };
}

type SearchColumn =
  | 'latestDomicileRegency'
  | 'latestPermitKind'
  | 'latestPermitValidFrom'
  | 'latestPermitValidUntil'
  | 'latestPermitRecordedStatus'
  | 'lastCrossingIsEntry';

/** Persons per statement when refreshing everyone (`npm run search:rebuild`). */
const PERSONS_PER_REFRESH = 5000;

/** Refreshes every person's search columns, a chunk per transaction (after an upgrade adds columns). */
export async function refreshAllSearchColumns(db: DataSource, onProgress?: (persons: number) => void): Promise<number> {
  let done = 0;
  for (let after = ''; ;) {
    const rows: { id: string }[] = await db
      .getRepository(ForeignNational)
      .createQueryBuilder('person')
      .select('person.id', 'id')
      .where('person.id > :after', { after })
      .orderBy('person.id')
      .limit(PERSONS_PER_REFRESH)
      .getRawMany();
    if (rows.length === 0) return done;
    await db.transaction((manager) =>
      refreshSearchColumns(
        manager,
        rows.map((row) => row.id),
      ),
    );
    done += rows.length;
    after = rows.at(-1)!.id;
    onProgress?.(done);
  }
}
