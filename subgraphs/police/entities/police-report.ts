import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Entity, Index, PrimaryColumn } from 'typeorm';
import { CodeColumn, InstantColumn, TextColumn } from '../../shared/columns';
import { ReportModel, ReportStatus } from '../enums';

@ObjectType({ description: 'A laporan polisi.' })
@Directive('@key(fields: "id")')
@Entity('police_report')
export class PoliceReport {
  @Field(() => ID)
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Field({ description: 'e.g. LP/B/123/VI/2025/SPKT/POLDA KALBAR' })
  @Index({ unique: true })
  @TextColumn({ length: 60 })
  reportNumber: string;

  @Field(() => ReportModel)
  @CodeColumn(1)
  model: ReportModel;

  @Field()
  @TextColumn()
  category: string;

  @Field(() => DateTimeISOResolver)
  @InstantColumn()
  occurredAt: string;

  @Field()
  @Index()
  @TextColumn({ length: 40 })
  regency: string;

  @Field({ description: 'Polres or Polsek that holds the report.' })
  @TextColumn()
  precinct: string;

  @Field()
  @TextColumn()
  summary: string;

  @Field(() => ReportStatus)
  @Index()
  @CodeColumn(24)
  status: ReportStatus;
}
