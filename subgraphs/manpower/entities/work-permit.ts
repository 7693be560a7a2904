import { Pii } from '../../shared/access';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { LocalDateResolver } from '../../shared/scalars';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CodeColumn, DateColumn, TextColumn } from '../../shared/columns';
import { RecordedWorkPermitStatus } from '../enums';

@ObjectType({ description: 'A work authorisation: since PP 34/2021 the approved RPTKA is the work permit.' })
@Directive('@key(fields: "id")')
@Entity('work_permit')
// Covers workforceStatistics and the employer filter's worker list: the RPTKAs active on a date are one range of it.
@Index('work_permit_figures', [
  'recordedStatus',
  'validUntil',
  'validFrom',
  'employerNib',
  'workerNationality',
  'workerPassportCountry',
  'workerPassportNumber',
])
export class WorkPermit {
  @Field(() => ID)
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Field()
  @Index({ unique: true })
  @TextColumn({ length: 40 })
  rptkaNumber: string;

  @Index()
  @CodeColumn(13)
  employerNib: string;

  @Field({ description: 'Worker name as written on the RPTKA.' })
  @TextColumn()
  workerName: string;

  @Field({ description: 'Passport the RPTKA was filed under; may be one the worker has since renewed.' })
  @Pii.text()
  @Index()
  @TextColumn({ length: 12 })
  workerPassportNumber: string;

  @Field({ description: 'Issuing country of that passport, ISO 3166-1 alpha-3.' })
  @CodeColumn(3)
  workerPassportCountry: string;

  @Field({ description: 'ISO 3166-1 alpha-3' })
  @CodeColumn(3)
  workerNationality: string;

  @Field()
  @TextColumn()
  position: string;

  @Field(() => [String], { description: 'Regencies where the RPTKA allows the work.' })
  @Column('simple-array')
  workRegencies: string[];

  @Field(() => LocalDateResolver)
  @DateColumn()
  validFrom: string;

  @Field(() => LocalDateResolver)
  @DateColumn()
  validUntil: string;

  @CodeColumn(10)
  recordedStatus: RecordedWorkPermitStatus;

  @Field({ description: 'Indonesian counterpart worker (tenaga kerja pendamping).' })
  @TextColumn()
  counterpartName: string;

  @Field({ description: "Counterpart's NIK (national id number)." })
  @Pii.text(4)
  @CodeColumn(16)
  counterpartNik: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'DKP-TKA compensation fund paid until.' })
  @DateColumn({ nullable: true })
  dkptkaPaidUntil: string | null;
}
