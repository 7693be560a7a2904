import { Entity, Index, PrimaryColumn } from 'typeorm';
import { CodeColumn, DateColumn, TextColumn } from '../../shared/columns';

/**
 * Search projection of manpower's RPTKAs, kept in immigration's database so that the employerNib
 * and employerSector filters are index reads next to the persons they filter, instead of a list of
 * hundreds of thousands of passport keys handed from manpower per query. Not an API type: manpower
 * stays the source; tools/employment-projection.ts copies its RPTKAs here (seed, imports, rebuild).
 * Whether an RPTKA is active is decided at query time from the dates, like manpower's own rule.
 */
/** Manpower's recorded status of an RPTKA not revoked (RecordedWorkPermitStatus.ACTIVE there). */
export const RECORDED_ACTIVE_RPTKA = 'ACTIVE';

@Entity('employment_search')
// Each filter's rows in one range, covering the holder, so the persons are read without the table.
@Index('employment_search_sector', ['sector', 'recordedStatus', 'validUntil', 'validFrom', 'personId'])
@Index('employment_search_employer', ['employerNib', 'recordedStatus', 'validUntil', 'validFrom', 'personId'])
// One person's RPTKAs: the probe when the person side of a search is the narrow one. Covering the
// filters, it also serves PostgreSQL's merge of persons and RPTKAs in person order for a broad one
// (a sector's bounded count: 226 ms reading the table, 24 ms from the index at 1,000,000 persons).
@Index('employment_search_person', ['personId', 'sector', 'employerNib', 'recordedStatus', 'validUntil', 'validFrom'])
// The RPTKAs filed under a passport: to find their holder when immigration records it.
@Index('employment_search_passport', ['workerPassportNumber', 'workerPassportCountry'])
export class EmploymentSearchRow {
  /** Manpower's work permit id. */
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @CodeColumn(13)
  employerNib: string;

  /** The employer's sector now: an employer changing sector changes its RPTKAs' rows. */
  @CodeColumn(16)
  sector: string;

  @TextColumn({ length: 12 })
  workerPassportNumber: string;

  @CodeColumn(3)
  workerPassportCountry: string;

  /** Immigration's holder of that passport (current or earlier); null while immigration knows no such passport. */
  @CodeColumn(36, { nullable: true })
  personId: string | null;

  @DateColumn()
  validFrom: string;

  @DateColumn()
  validUntil: string;

  @CodeColumn(10)
  recordedStatus: string;
}
