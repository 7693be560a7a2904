/**
 * Police records that name a foreigner without a passport: what immigration's entity resolution
 * is asked about (`npm run identity:link`, the demo seed, imports). Parties of Indonesian citizens
 * (no nationality) are not among them.
 */
import { DataSource, In, IsNull, MoreThan, Not } from 'typeorm';
import { PresenceRegistration } from './entities/presence-registration';
import { ReportParty } from './entities/report-party';

export interface RecordWithoutPassport {
  recordId: string;
  recordKind: 'POLICE_REPORT_PARTY' | 'PRESENCE_REGISTRATION';
  fullName: string;
  /** "YYYY-MM-DD", "YYYY" (registrations), or null. */
  dateOfBirth: string | null;
  nationality: string | null;
}

/** Every such record, in pages by id (or only those of `ids`). */
export async function* recordsWithoutPassport(
  db: DataSource,
  { pageSize = 5000, ids }: { pageSize?: number; ids?: readonly string[] } = {},
): AsyncGenerator<RecordWithoutPassport[]> {
  for (const [entity, kind, extra] of [
    [ReportParty, 'POLICE_REPORT_PARTY', { nationality: Not(IsNull()) }],
    [PresenceRegistration, 'PRESENCE_REGISTRATION', {}],
  ] as const) {
    let after = '';
    for (;;) {
      const rows: (ReportParty | PresenceRegistration)[] = await db.getRepository(entity).find({
        select: { id: true, fullName: true, dateOfBirth: true, nationality: true },
        where: { passportNumber: IsNull(), ...extra, id: ids ? In([...ids]) : MoreThan(after) },
        order: { id: 'ASC' },
        take: ids ? undefined : pageSize,
      });
      if (rows.length > 0)
        yield rows.map((row) => ({
          recordId: row.id,
          recordKind: kind,
          fullName: row.fullName,
          dateOfBirth: row.dateOfBirth,
          nationality: row.nationality,
        }));
      if (ids || rows.length < pageSize) break;
      after = rows[rows.length - 1].id;
    }
  }
}
