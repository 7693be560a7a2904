import { Pii } from '../../shared/access';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { LocalDateResolver } from '../../shared/scalars';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CodeColumn, DateColumn, TextColumn } from '../../shared/columns';
import { Sex } from '../enums';

@ObjectType({ description: 'A foreign national as known to immigration, the identity authority.' })
@Directive('@key(fields: "id")')
@Entity('foreign_national')
@Index('foreign_national_name_order', ['nameKey', 'id'])
// One regency in name order; the in-country flag and the last permit's status ride along, so those
// filters (the overstay candidates of a regency) need no table read.
@Index('foreign_national_regency_order', [
  'latestDomicileRegency',
  'nameKey',
  'id',
  'lastCrossingIsEntry',
  'latestPermitRecordedStatus',
  'latestPermitValidUntil',
  'latestPermitKind',
])
// The same filters as one range, for their bounded count: a regency's overstay candidates counted
// from the index above read the whole regency (204 ms at 5,000,000 persons), from this one 2 ms.
@Index('foreign_national_regency_standing', [
  'latestDomicileRegency',
  'lastCrossingIsEntry',
  'latestPermitRecordedStatus',
  'latestPermitValidUntil',
  'latestPermitKind',
])
// One nationality in name order: its first page is the start of a range, however large the group.
@Index('foreign_national_nationality_order', ['nationality', 'nameKey', 'id'])
// The permit a person stands on when none is active (the last one's kind and end), in name order.
@Index('foreign_national_last_permit_order', ['latestPermitKind', 'nameKey', 'id'])
// PostgreSQL: a trigram index for the name filter (migration NameSearch); TypeORM leaves it alone.
@Index('foreign_national_name_trigram', { synchronize: false })
export class ForeignNational {
  @Field(() => ID)
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Field()
  @TextColumn()
  fullName: string;

  /** Lower-case, accent-free name: search and sort key. */
  @TextColumn()
  nameKey: string;

  @Field(() => Sex)
  @CodeColumn(6)
  sex: Sex;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Null without the pii clearance.' })
  @Pii.date()
  @DateColumn()
  dateOfBirth: string;

  @Field()
  @TextColumn()
  placeOfBirth: string;

  @Field({ description: 'ISO 3166-1 alpha-3' })
  @CodeColumn(3)
  nationality: string;

  /**
   * Search columns, not API fields: derived from the person's permits and crossings by
   * `refreshSearchColumns` after every write, so that the regency, in-country and permit status
   * filters are index reads at national scale. The API computes the permit facts from the records
   * themselves; `inCountry` (and so `overstayDays`) reads lastCrossingIsEntry, not every year of
   * crossings. "The permit that ends last" is in rules.standingPermit's order without the active
   * rule (latest end, later start, smaller id): the permit a person stands on when none is active,
   * whatever the date, so the columns need no refresh when a day passes.
   */
  @TextColumn({ length: 40, nullable: true, comment: 'domicileRegency of the permit that ends last' })
  latestDomicileRegency?: string | null;

  @CodeColumn(12, { nullable: true, comment: 'kind of the permit that ends last' })
  latestPermitKind?: string | null;

  @DateColumn({ nullable: true, comment: 'validFrom of the permit that ends last' })
  latestPermitValidFrom?: string | null;

  @DateColumn({ nullable: true, comment: 'validUntil of the permit that ends last' })
  latestPermitValidUntil?: string | null;

  @CodeColumn(12, { nullable: true, comment: 'recordedStatus of the permit that ends last' })
  latestPermitRecordedStatus?: string | null;

  @Column('boolean', { default: false, comment: 'the last recorded crossing is an ENTRY' })
  lastCrossingIsEntry?: boolean;
}
