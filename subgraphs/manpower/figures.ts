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
import { Employer } from './entities/employer';
import { WorkPermit } from './entities/work-permit';
import { WorkPermitDailyChange, WorkPermitMonthlyCount } from './entities/workforce-figures';
import { RecordedWorkPermitStatus } from './enums';

/** workforceStatistics' dimensions, in the tables' and the spans' order. */
export const WORKFORCE_FIGURES: FigureTables = {
  daily: WorkPermitDailyChange,
  monthly: WorkPermitMonthlyCount,
  dimensions: ['sector', 'regency', 'workerNationality'],
};

/** What of an RPTKA the figures count; its employer gives the sector and regency. */
export type CountedWorkPermit = Pick<
  WorkPermit,
  'id' | 'employerNib' | 'recordedStatus' | 'validFrom' | 'validUntil' | 'workerNationality'
>;
export type CountedEmployer = Pick<Employer, 'nib' | 'sector' | 'regency'>;

/** A write of manpower's records: each side as it was before (none for new rows) and as it is now. */
export interface ManpowerWrite {
  employersBefore?: CountedEmployer[];
  employersAfter?: CountedEmployer[];
  permitsBefore?: CountedWorkPermit[];
  permitsAfter?: CountedWorkPermit[];
}

/** An RPTKA counts when recorded ACTIVE and its employer is known (as the join of the raw count had it). */
function spans(permits: CountedWorkPermit[], employerOf: (nib: string) => CountedEmployer | undefined): FigureSpan[] {
  return permits.flatMap((permit) => {
    const employer = employerOf(permit.employerNib);
    if (permit.recordedStatus !== RecordedWorkPermitStatus.ACTIVE || !employer) return [];
    return [
      {
        validFrom: permit.validFrom,
        validUntil: permit.validUntil,
        dimensions: [employer.sector, employer.regency, permit.workerNationality],
      },
    ];
  });
}

/**
 * Brings the figures up to date with a write, in its transaction. An employer whose sector or
 * regency changed (or that is new) moves the counts of all its RPTKAs, the ones not written too.
 */
export async function recordWorkforceFigures(manager: EntityManager, write: ManpowerWrite): Promise<void> {
  const { employersBefore = [], employersAfter = [], permitsBefore = [], permitsAfter = [] } = write;
  const oldEmployers = new Map(employersBefore.map((employer) => [employer.nib, employer]));
  const newEmployers = new Map(employersAfter.map((employer) => [employer.nib, employer]));
  const written = new Set([...oldEmployers.keys(), ...newEmployers.keys()]);
  const moved = [...written].filter((nib) => !sameDimensions(oldEmployers.get(nib), newEmployers.get(nib)));
  const writtenPermits = new Set([...permitsBefore, ...permitsAfter].map((permit) => permit.id));
  const carried = (await activePermitsOf(manager, moved)).filter((permit) => !writtenPermits.has(permit.id));
  const others = await countedEmployers(
    manager,
    [...permitsBefore, ...permitsAfter].map((permit) => permit.employerNib).filter((nib) => !written.has(nib)),
    'read',
  );
  const stored = new Map(others.map((employer) => [employer.nib, employer]));
  const before = (nib: string) => (written.has(nib) ? oldEmployers.get(nib) : stored.get(nib));
  const after = (nib: string) => (written.has(nib) ? newEmployers.get(nib) : stored.get(nib));
  const changes = new FigureChanges()
    .count(spans([...permitsBefore, ...carried], before), -1)
    .count(spans([...permitsAfter, ...carried], after), 1);
  await applyFigureChanges(manager, WORKFORCE_FIGURES, changes);
}

function sameDimensions(a: CountedEmployer | undefined, b: CountedEmployer | undefined): boolean {
  return a?.sector === b?.sector && a?.regency === b?.regency;
}

/**
 * The counted fields of these employers, in one statement: before a write of them (locked for it,
 * `lock: 'write'`), after it, or to count RPTKAs under them (`lock: 'read'`: a change of the
 * employer waits for the write that counts under it).
 */
export async function countedEmployers(
  manager: EntityManager,
  nibs: string[],
  lock?: 'write' | 'read',
): Promise<CountedEmployer[]> {
  if (nibs.length === 0) return [];
  const query = manager
    .getRepository(Employer)
    .createQueryBuilder('employer')
    .select(['employer.nib', 'employer.sector', 'employer.regency'])
    .where(inJsonList(manager.connection, 'employer.nib', 'nibs'), { nibs: JSON.stringify([...new Set(nibs)]) });
  return lockFor(query, lock).getMany();
}

const COUNTED_PERMIT = ['id', 'employerNib', 'recordedStatus', 'validFrom', 'validUntil', 'workerNationality'].map(
  (field) => `permit.${field}`,
);

/** The counted fields of the RPTKAs with these numbers, in one statement: before a write (locked for it) and after. */
export async function countedWorkPermits(
  manager: EntityManager,
  rptkaNumbers: string[],
  lock?: 'write',
): Promise<CountedWorkPermit[]> {
  if (rptkaNumbers.length === 0) return [];
  const query = manager
    .getRepository(WorkPermit)
    .createQueryBuilder('permit')
    .select(COUNTED_PERMIT)
    .where(inJsonList(manager.connection, 'permit.rptkaNumber', 'numbers'), {
      numbers: JSON.stringify([...new Set(rptkaNumbers)]),
    });
  return lockFor(query, lock).getMany();
}

/** The ACTIVE RPTKAs of these employers (by the employerNib index). */
async function activePermitsOf(manager: EntityManager, nibs: string[]): Promise<CountedWorkPermit[]> {
  if (nibs.length === 0) return [];
  return manager
    .getRepository(WorkPermit)
    .createQueryBuilder('permit')
    .select(COUNTED_PERMIT)
    .where(inJsonList(manager.connection, 'permit.employerNib', 'nibs'), { nibs: JSON.stringify(nibs) })
    .andWhere('permit.recordedStatus = :active', { active: RecordedWorkPermitStatus.ACTIVE })
    .getMany();
}

/** workforceStatistics' figures summed from RPTKAs as a fresh load writes them, their employers given (FigureRebuild). */
export function workforceFiguresRebuild(
  employerOf: (nib: string) => CountedEmployer | undefined,
): FigureRebuild<CountedWorkPermit> {
  return new FigureRebuild(WORKFORCE_FIGURES, (rows) => spans(rows, employerOf));
}

/** Makes workforceStatistics' figures again from every RPTKA and its employer; returns the RPTKAs counted. */
export async function rebuildWorkforceFigures(manager: EntityManager): Promise<number> {
  const employers = await manager.getRepository(Employer).find({ select: { nib: true, sector: true, regency: true } });
  const byNib = new Map(employers.map((employer) => [employer.nib, employer]));
  const pages = pagesByKey<WorkPermit, CountedWorkPermit>(
    () =>
      manager
        .getRepository(WorkPermit)
        .createQueryBuilder('permit')
        .select('permit.id', 'id')
        .addSelect('permit.employerNib', 'employerNib')
        .addSelect('permit.recordedStatus', 'recordedStatus')
        .addSelect('CAST(permit.validFrom AS varchar(10))', 'validFrom')
        .addSelect('CAST(permit.validUntil AS varchar(10))', 'validUntil')
        .addSelect('permit.workerNationality', 'workerNationality')
        .where('permit.recordedStatus = :active', { active: RecordedWorkPermitStatus.ACTIVE }),
    'permit.id',
  );
  return rebuildFigures(
    manager,
    workforceFiguresRebuild((nib) => byNib.get(nib)),
    pages,
  );
}
