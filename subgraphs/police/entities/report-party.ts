import { Pii } from '../../shared/access';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { LocalDateResolver } from '../../shared/scalars';
import { Entity, Index, PrimaryColumn } from 'typeorm';
import { CodeColumn, DateColumn, TextColumn } from '../../shared/columns';
import { PartyRole } from '../enums';

@ObjectType({ description: 'A person named in a police report, as the report records them.' })
@Directive('@key(fields: "id")')
@Entity('report_party')
@Index('report_party_identity', ['nameKey', 'dateOfBirth', 'nationality'])
export class ReportParty {
  @Field(() => ID)
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index()
  @CodeColumn(36)
  reportId: string;

  @Field(() => PartyRole)
  @CodeColumn(10)
  role: PartyRole;

  @Field()
  @TextColumn()
  fullName: string;

  @TextColumn()
  nameKey: string;

  @Field(() => String, { nullable: true, description: 'Null when the report knows the person only by name.' })
  @Pii.text()
  @Index()
  @TextColumn({ length: 12, nullable: true })
  passportNumber: string | null;

  @Field(() => String, { nullable: true })
  @CodeColumn(3, { nullable: true })
  passportCountry: string | null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Null without the pii clearance.' })
  @Pii.date()
  @DateColumn({ nullable: true })
  dateOfBirth: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-3; null for Indonesian citizens.' })
  @CodeColumn(3, { nullable: true })
  nationality: string | null;
}
