import { Column, Entity, PrimaryColumn } from 'typeorm';

/*
 * workforceStatistics' maintained figures (see subgraphs/shared/figures.ts): per day or month
 * start, the employer's sector and regency (as recorded) and the worker's nationality. Kept by
 * every write of work permits and employers in its transaction; `npm run figures:rebuild` makes
 * them again.
 */
/** Active RPTKAs starting on `day` (+1 each) and ending the day before (−1 each). */
@Entity('work_permit_daily_change')
export class WorkPermitDailyChange {
  // First in the primary key: a date's rows are one range of it.
  @PrimaryColumn('date')
  day: string;

  @PrimaryColumn('varchar', { length: 16 })
  sector: string;

  @PrimaryColumn('varchar', { length: 40 })
  regency: string;

  @PrimaryColumn('varchar', { length: 3 })
  workerNationality: string;

  @Column('integer')
  change: number;
}

/** Active RPTKAs on the first of `month`. */
@Entity('work_permit_monthly_count')
export class WorkPermitMonthlyCount {
  // First in the primary key: a date's rows are one range of it.
  @PrimaryColumn('date')
  month: string;

  @PrimaryColumn('varchar', { length: 16 })
  sector: string;

  @PrimaryColumn('varchar', { length: 40 })
  regency: string;

  @PrimaryColumn('varchar', { length: 3 })
  workerNationality: string;

  @Column('integer')
  active: number;
}
