import { EntityManager } from 'typeorm';
import { inJsonList } from '../../lib/database';
import { EmploymentSearchRow } from './entities/employment-search';

/**
 * Sets the holder (immigration's person) of the employment search rows filed under these
 * passport numbers, or of these rows: after the rows are written (tools/employment-projection.ts),
 * and after immigration records passports (imports), so a worker recorded in either order is found.
 * One statement per call.
 */
export async function linkEmploymentHolders(
  manager: EntityManager,
  which: { passportNumbers: string[] } | { rowIds: string[] } | 'all',
): Promise<void> {
  const holder = `(SELECT passport."personId" FROM "passport" passport WHERE passport."number" = "employment_search"."workerPassportNumber" AND passport."country" = "employment_search"."workerPassportCountry")`;
  const update = manager
    .createQueryBuilder()
    .update(EmploymentSearchRow)
    .set({ personId: () => holder });
  if (which !== 'all') {
    const [column, values] =
      'rowIds' in which ? ['id', which.rowIds] : ['"workerPassportNumber"', which.passportNumbers];
    if (values.length === 0) return;
    update.where(inJsonList(manager.connection, column, 'keys'), { keys: JSON.stringify([...new Set(values)]) });
  }
  await update.execute();
}
