import { EntityManager } from 'typeorm';
import { inJsonList } from '../../lib/database';
import { passportKey } from '../shared/match-keys';
import { EmploymentSearchRow } from './entities/employment-search';
import { Passport } from './entities/passport';

/**
 * Sets the holder (immigration's person) of the employment search rows filed under these
 * passport numbers, or of these rows: after the rows are written (tools/employment-projection.ts),
 * and after immigration records passports (imports), so a worker recorded in either order is found.
 * One statement per call.
 */
export async function linkEmploymentHolders(
  manager: EntityManager,
  which: { passportNumbers: string[] } | { rowIds: string[] },
): Promise<void> {
  const holder = `(SELECT passport."personId" FROM "passport" passport WHERE passport."number" = "employment_search"."workerPassportNumber" AND passport."country" = "employment_search"."workerPassportCountry")`;
  const update = manager
    .createQueryBuilder()
    .update(EmploymentSearchRow)
    .set({ personId: () => holder });
  const [column, values] = 'rowIds' in which ? ['id', which.rowIds] : ['"workerPassportNumber"', which.passportNumbers];
  if (values.length === 0) return;
  update.where(inJsonList(manager.connection, column, 'keys'), { keys: JSON.stringify([...new Set(values)]) });
  await update.execute();
}

/**
 * The holders of these passports, by passportKey (country:number): one statement per call, for
 * rows about to be written whole (a rebuild), so they are written with their holder instead of
 * updated after.
 */
export async function holdersOfPassports(
  manager: EntityManager,
  passports: { workerPassportNumber: string; workerPassportCountry: string }[],
): Promise<Map<string, string>> {
  const numbers = [...new Set(passports.map((passport) => passport.workerPassportNumber))];
  if (numbers.length === 0) return new Map();
  const rows: { number: string; country: string; personId: string }[] = await manager
    .getRepository(Passport)
    .createQueryBuilder('passport')
    .select(['passport.number AS "number"', 'passport.country AS "country"', 'passport.personId AS "personId"'])
    .where(inJsonList(manager.connection, 'passport.number', 'numbers'), { numbers: JSON.stringify(numbers) })
    .getRawMany();
  return new Map(rows.map((row) => [passportKey(row.country, row.number), row.personId]));
}
