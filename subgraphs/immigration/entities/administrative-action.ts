import { Field, ID, Int, ObjectType } from 'type-graphql';
import { LocalDateResolver } from '../../shared/scalars';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CodeColumn, DateColumn, TextColumn } from '../../shared/columns';
import { AdministrativeActionKind } from '../enums';

@ObjectType({ description: 'An administrative immigration action (tindakan administratif keimigrasian, art. 75).' })
@Entity('administrative_action')
export class AdministrativeAction {
  @Field(() => ID)
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index()
  @CodeColumn(36)
  personId: string;

  @Field(() => AdministrativeActionKind)
  @CodeColumn(20)
  kind: AdministrativeActionKind;

  @Field(() => LocalDateResolver)
  @DateColumn()
  decidedOn: string;

  @Field()
  @TextColumn()
  reason: string;

  @Field()
  @TextColumn()
  legalBasis: string;

  @Field(() => Int, { nullable: true, description: 'Charge in rupiah, for CHARGE actions.' })
  @Column('bigint', { nullable: true, transformer: { to: (v) => v, from: (v) => (v == null ? null : Number(v)) } })
  amount: number | null;

  @Field()
  @TextColumn()
  office: string;
}
