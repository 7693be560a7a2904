import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CodeColumn, InstantColumn, TextColumn } from '../../shared/columns';
import { FindingStatus, Severity, SourceAgency } from '../enums';
import { FindingKind } from '../rules';

@ObjectType({ description: 'One fact behind a finding, with the agency and record it comes from.' })
export class Evidence {
  @Field(() => SourceAgency)
  agency: SourceAgency;

  @Field({ description: 'The record: permit number, RPTKA number, report number or crossing.' })
  record: string;

  @Field({ description: 'What the record shows.' })
  shows: string;
}

@ObjectType({ description: 'A rule that holds for a person, with its provenance.' })
@Entity('finding')
@Index('finding_filter', ['status', 'kind', 'regency', 'detectedAt'])
export class Finding {
  @Field(() => ID)
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  /** kind + person: one finding per rule and person, refreshed in place. */
  @Index({ unique: true })
  @TextColumn({ length: 80 })
  fingerprint: string;

  @Field(() => FindingKind)
  @CodeColumn(40)
  kind: FindingKind;

  @Field(() => Severity)
  @CodeColumn(8)
  severity: Severity;

  @Field(() => FindingStatus)
  @CodeColumn(12)
  status: FindingStatus;

  @Index()
  @CodeColumn(36)
  personId: string;

  @Field({ description: "The person's domicile regency when detected." })
  @Index() // also what matchRegency's loose scan of the known regencies seeks on
  @TextColumn({ length: 40 })
  regency: string;

  @Field()
  @Index()
  @CodeColumn(3)
  nationality: string;

  @Field(() => String, { nullable: true })
  @Index()
  @CodeColumn(13, { nullable: true })
  employerNib: string | null;

  @Field(() => DateTimeISOResolver, { description: 'First refresh that found it.' })
  @InstantColumn()
  detectedAt: string;

  @Field(() => DateTimeISOResolver, { description: 'Last refresh that found it still holding.' })
  @InstantColumn()
  lastConfirmedAt: string;

  @Field(() => DateTimeISOResolver, {
    nullable: true,
    description: 'When it stopped being OPEN: the refresh that closed it, or the closing of the case that settled it.',
  })
  @InstantColumn({ nullable: true })
  closedAt: string | null;

  /**
   * The case, not yet closed, that holds it (Finding.currentCase). Claimed by a conditional update
   * when the case opens, so that two cases racing for one finding cannot both win.
   */
  @CodeColumn(36, { nullable: true })
  currentCaseId: string | null;

  @Field(() => [Evidence])
  @Column('simple-json')
  evidence: Evidence[];

  @Field({ description: 'What the law provides, e.g. the overstay charge or deportation.' })
  @TextColumn()
  consequence: string;

  @Field(() => Int, { nullable: true, description: 'Days over the stay permit, for OVERSTAY.' })
  @Column('integer', { nullable: true })
  daysOver: number | null;

  @Field(() => Number, { nullable: true, description: 'Overstay charge in rupiah (Rp1,000,000 a day up to 60 days).' })
  @Column('bigint', { nullable: true, transformer: { to: (v) => v, from: (v) => (v == null ? null : Number(v)) } })
  chargeRupiah: number | null;
}
