import { DataSource, EntityManager } from 'typeorm';
import { inJsonList } from '../lib/database';
import { EmploymentSearchRow } from '../subgraphs/immigration/entities/employment-search';
import { holdersOfPassports, linkEmploymentHolders } from '../subgraphs/immigration/employment-search';
import { bulkInsert } from '../lib/bulk';
import { passportKey } from '../subgraphs/shared/match-keys';
import { Employer } from '../subgraphs/manpower/entities/employer';
import { WorkPermit } from '../subgraphs/manpower/entities/work-permit';

/**
 * Keeps immigration's employment search projection (entities/employment-search.ts) equal to
 * manpower's RPTKAs. Manpower's transaction commits first, then the projection is written in
 * immigration's own transaction, in the same run (seed batch, import batch): a crash between the
 * two leaves the projection behind until the import is rerun or `npm run search:rebuild` runs.
 */
export interface EmploymentDatabases {
  manpower: DataSource;
  immigration: DataSource;
}

/** What changed in manpower: these RPTKAs (by id or number), and every RPTKA of these employers. */
export interface EmploymentChanges {
  workPermitIds?: string[];
  rptkaNumbers?: string[];
  employerNibs?: string[];
}

/** Keys per statement reading manpower: one JSON list parameter each. */
const KEYS_PER_READ = 5000;
/** Rows per upsert: 8 columns, well within SQLite's and PostgreSQL's parameter limits. */
const ROWS_PER_WRITE = 500;

/** Copies the changed RPTKAs (with their employer's sector now) into the projection. */
export async function projectEmployment(dbs: EmploymentDatabases, changes: EmploymentChanges): Promise<number> {
  const lists: [keyof EmploymentChanges, string][] = [
    ['workPermitIds', 'permit.id'],
    ['rptkaNumbers', 'permit.rptkaNumber'],
    ['employerNibs', 'permit.employerNib'],
  ];
  let written = 0;
  for (const [key, column] of lists) {
    const values = [...new Set(changes[key] ?? [])];
    for (let start = 0; start < values.length; start += KEYS_PER_READ) {
      const chunk = values.slice(start, start + KEYS_PER_READ);
      const rows = await readProjection(dbs.manpower, (query) =>
        query.where(inJsonList(dbs.manpower, column, 'keys'), { keys: JSON.stringify(chunk) }),
      );
      await dbs.immigration.transaction((manager) => upsertRows(manager, rows));
      written += rows.length;
    }
  }
  return written;
}

/**
 * Rebuilds the whole projection from manpower in one immigration transaction (readers see the old
 * rows until it commits): after an upgrade, or to repair a run that stopped between the two
 * databases. Reads manpower in id order, a chunk at a time.
 */
export async function rebuildEmploymentProjection(
  dbs: EmploymentDatabases,
  onProgress?: (rows: number) => void,
): Promise<number> {
  let written = 0;
  await dbs.immigration.transaction(async (manager) => {
    await manager.createQueryBuilder().delete().from(EmploymentSearchRow).execute();
    for (let after = ''; ;) {
      const rows = await readProjection(dbs.manpower, (query) =>
        query.where('permit.id > :after', { after }).orderBy('permit.id').limit(KEYS_PER_READ),
      );
      if (rows.length === 0) break;
      // The table is empty: the rows are copied in with their holders, not upserted then updated.
      const holders = await holdersOfPassports(manager, rows);
      const holder = (row: EmploymentSearchRow) =>
        holders.get(passportKey(row.workerPassportCountry, row.workerPassportNumber)) ?? null;
      await bulkInsert(
        manager,
        EmploymentSearchRow,
        rows.map((row) => ({ ...row, personId: holder(row) })),
      );
      written += rows.length;
      after = rows.at(-1)!.id;
      onProgress?.(written);
    }
  });
  return written;
}

/**
 * The projection's rows of RPTKAs a fresh load writes, from its own records: each employer's sector
 * and each passport's holder as given (an RPTKA whose employer is unknown has no row, as the
 * rebuild's join leaves it out).
 */
export function employmentRowsOf(
  permits: readonly WorkPermit[],
  sectorOf: (nib: string) => string | undefined,
  holderOf: (passport: string) => string | undefined,
): EmploymentSearchRow[] {
  return permits.flatMap((permit) => {
    const sector = sectorOf(permit.employerNib);
    if (sector === undefined) return [];
    return [
      {
        id: permit.id,
        employerNib: permit.employerNib,
        sector,
        workerPassportNumber: permit.workerPassportNumber,
        workerPassportCountry: permit.workerPassportCountry,
        personId: holderOf(passportKey(permit.workerPassportCountry, permit.workerPassportNumber)) ?? null,
        validFrom: permit.validFrom,
        validUntil: permit.validUntil,
        recordedStatus: permit.recordedStatus,
      },
    ];
  });
}

type Narrow = (query: ReturnType<typeof projectionQuery>) => ReturnType<typeof projectionQuery>;

function projectionQuery(manpower: DataSource) {
  return manpower
    .getRepository(WorkPermit)
    .createQueryBuilder('permit')
    .innerJoin(Employer, 'employer', 'employer.nib = permit.employerNib')
    .select([
      'permit.id AS "id"',
      'permit.employerNib AS "employerNib"',
      'employer.sector AS "sector"',
      'permit.workerPassportNumber AS "workerPassportNumber"',
      'permit.workerPassportCountry AS "workerPassportCountry"',
      'permit.validFrom AS "validFrom"',
      'permit.validUntil AS "validUntil"',
      'permit.recordedStatus AS "recordedStatus"',
    ]);
}

async function readProjection(manpower: DataSource, narrow: Narrow): Promise<EmploymentSearchRow[]> {
  return narrow(projectionQuery(manpower)).getRawMany<EmploymentSearchRow>();
}

/** Writes the rows and sets their holders from immigration's passports (linkEmploymentHolders). */
async function upsertRows(manager: EntityManager, rows: EmploymentSearchRow[]): Promise<void> {
  await writeRows(manager, rows);
  await linkEmploymentHolders(manager, { rowIds: rows.map((row) => row.id) });
}

async function writeRows(manager: EntityManager, rows: EmploymentSearchRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_WRITE) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(EmploymentSearchRow)
      .values(rows.slice(start, start + ROWS_PER_WRITE))
      .orUpdate(
        [
          'employerNib',
          'sector',
          'workerPassportNumber',
          'workerPassportCountry',
          'validFrom',
          'validUntil',
          'recordedStatus',
        ],
        ['id'],
      )
      .updateEntity(false)
      .callListeners(false)
      .execute();
  }
}
