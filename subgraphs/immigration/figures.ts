import { EntityManager } from 'typeorm';
import { inJsonList } from '../../lib/database';
import {
  applyFigureChanges,
  FigureChanges,
  FigureRebuild,
  FigureSpan,
  FigureTables,
  lockFor,
  pagesByKey,
  rebuildFigures,
} from '../shared/figures';
import { StayPermitDailyChange, StayPermitMonthlyCount } from './entities/permit-figures';
import { StayPermit } from './entities/stay-permit';
import { RecordedPermitStatus } from './enums';

/** permitStatistics' dimensions, in the tables' and the spans' order. */
export const PERMIT_FIGURES: FigureTables = {
  daily: StayPermitDailyChange,
  monthly: StayPermitMonthlyCount,
  dimensions: ['kind', 'passportCountry', 'domicileRegency', 'visaIndex'],
};

/** What of a stay permit the figures count. */
export type CountedPermit = Pick<
  StayPermit,
  'recordedStatus' | 'validFrom' | 'validUntil' | 'kind' | 'passportCountry' | 'domicileRegency' | 'visaIndex'
>;

const COUNTED: (keyof CountedPermit)[] = [
  'recordedStatus',
  'validFrom',
  'validUntil',
  'kind',
  'passportCountry',
  'domicileRegency',
  'visaIndex',
];

/** Only a permit recorded ACTIVE counts, on the days it is valid. */
function spans(permits: CountedPermit[]): FigureSpan[] {
  return permits
    .filter((permit) => permit.recordedStatus === RecordedPermitStatus.ACTIVE)
    .map((permit) => ({
      validFrom: permit.validFrom,
      validUntil: permit.validUntil,
      dimensions: [permit.kind, permit.passportCountry, permit.domicileRegency, permit.visaIndex],
    }));
}

/**
 * Brings the figures up to date with a write of stay permits, in its transaction: `before` the
 * written permits as they were (none for new ones), `after` as they are now.
 */
export async function recordPermitFigures(
  manager: EntityManager,
  before: CountedPermit[],
  after: CountedPermit[],
): Promise<void> {
  await applyFigureChanges(
    manager,
    PERMIT_FIGURES,
    new FigureChanges().count(spans(before), -1).count(spans(after), 1),
  );
}

/**
 * The counted fields of the permits with these numbers, in one statement: before a write (locked
 * for it, `lock: 'write'`) and after.
 */
export async function countedPermits(
  manager: EntityManager,
  permitNumbers: string[],
  lock?: 'write',
): Promise<CountedPermit[]> {
  if (permitNumbers.length === 0) return [];
  const query = manager
    .getRepository(StayPermit)
    .createQueryBuilder('permit')
    .select(COUNTED.map((field) => `permit.${field}`))
    .where(inJsonList(manager.connection, 'permit.permitNumber', 'numbers'), {
      numbers: JSON.stringify([...new Set(permitNumbers)]),
    });
  return lockFor(query, lock).getMany();
}

/** permitStatistics' figures summed from stay permits as a fresh load writes them (FigureRebuild). */
export function permitFiguresRebuild(): FigureRebuild<CountedPermit> {
  return new FigureRebuild(PERMIT_FIGURES, spans);
}

/** Makes permitStatistics' figures again from every stay permit; returns the permits counted. */
export function rebuildPermitFigures(manager: EntityManager): Promise<number> {
  const pages = pagesByKey<StayPermit, CountedPermit>(
    () =>
      manager
        .getRepository(StayPermit)
        .createQueryBuilder('permit')
        .select('permit.recordedStatus', 'recordedStatus')
        .addSelect('CAST(permit.validFrom AS varchar(10))', 'validFrom')
        .addSelect('CAST(permit.validUntil AS varchar(10))', 'validUntil')
        .addSelect('permit.kind', 'kind')
        .addSelect('permit.passportCountry', 'passportCountry')
        .addSelect('permit.domicileRegency', 'domicileRegency')
        .addSelect('permit.visaIndex', 'visaIndex')
        .where('permit.recordedStatus = :active', { active: RecordedPermitStatus.ACTIVE }),
    'permit.id',
  );
  return rebuildFigures(manager, permitFiguresRebuild(), pages);
}
