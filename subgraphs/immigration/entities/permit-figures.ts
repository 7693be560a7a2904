import { Column, Entity, PrimaryColumn } from 'typeorm';

/*
 * permitStatistics' maintained figures (see subgraphs/shared/figures.ts): per day or month start,
 * stay permit kind, passport country, domicile regency (as recorded) and visa index. Kept by every
 * write of stay permits in its transaction; `npm run figures:rebuild` makes them again.
 */
/** Active permits starting on `day` (+1 each) and ending the day before (−1 each). */
@Entity('stay_permit_daily_change')
export class StayPermitDailyChange {
  // First in the primary key: a date's rows are one range of it.
  @PrimaryColumn('date')
  day: string;

  @PrimaryColumn('varchar', { length: 12 })
  kind: string;

  @PrimaryColumn('varchar', { length: 3 })
  passportCountry: string;

  @PrimaryColumn('varchar', { length: 40 })
  domicileRegency: string;

  @PrimaryColumn('varchar', { length: 8 })
  visaIndex: string;

  @Column('integer')
  change: number;
}

/** Active permits on the first of `month`. */
@Entity('stay_permit_monthly_count')
export class StayPermitMonthlyCount {
  // First in the primary key: a date's rows are one range of it.
  @PrimaryColumn('date')
  month: string;

  @PrimaryColumn('varchar', { length: 12 })
  kind: string;

  @PrimaryColumn('varchar', { length: 3 })
  passportCountry: string;

  @PrimaryColumn('varchar', { length: 40 })
  domicileRegency: string;

  @PrimaryColumn('varchar', { length: 8 })
  visaIndex: string;

  @Column('integer')
  active: number;
}
