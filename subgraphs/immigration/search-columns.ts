import { EntityManager } from 'typeorm';
import { inJsonList } from '../../lib/database';
import { CrossingDirection } from './enums';
import { ForeignNational } from './entities/foreign-national';

/**
 * Brings the search columns of these persons up to date with their permits and crossings; every
 * write of immigration records calls it in the same transaction (the demo seed, imports). One
 * statement per call, whatever the number of persons. The rules are those of `rules.ts`: the
 * permit that ends last gives the domicile, the last crossing tells whether the person is inside.
 */
export async function refreshSearchColumns(manager: EntityManager, personIds: string[]): Promise<void> {
  if (personIds.length === 0) return;
  const person = '"foreign_national"."id"';
  await manager
    .createQueryBuilder()
    .update(ForeignNational)
    .set({
      latestDomicileRegency: () =>
        `(SELECT permit."domicileRegency" FROM "stay_permit" permit WHERE permit."personId" = ${person} ORDER BY permit."validUntil" DESC, permit."validFrom" DESC LIMIT 1)`,
      lastCrossingIsEntry: () =>
        `COALESCE((SELECT crossing."direction" = '${CrossingDirection.ENTRY}' FROM "border_crossing" crossing WHERE crossing."personId" = ${person} ORDER BY crossing."crossedAt" DESC LIMIT 1), false)`,
    })
    .where(inJsonList(manager.connection, 'id', 'personIds'), { personIds: JSON.stringify(personIds) })
    .execute();
}
