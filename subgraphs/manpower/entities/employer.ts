import { Directive, Field, ObjectType } from 'type-graphql';
import { Entity, Index, PrimaryColumn } from 'typeorm';
import { CodeColumn, TextColumn } from '../../shared/columns';
import { Sector } from '../enums';

@ObjectType({ description: 'An employer of foreign workers, registered with manpower (Kemnaker / Disnaker).' })
@Directive('@key(fields: "nib")')
@Entity('employer')
export class Employer {
  @Field({ description: 'Nomor Induk Berusaha: the business id every agency shares.' })
  @PrimaryColumn('varchar', { length: 13 })
  nib: string;

  @Field({ description: 'Tax id (NPWP).' })
  @CodeColumn(20)
  npwp: string;

  @Field()
  @TextColumn()
  name: string;

  @Field({ description: 'KBLI 2020 business classification code.' })
  @CodeColumn(5)
  kbliCode: string;

  @Field()
  @TextColumn()
  kbliLabel: string;

  @Field(() => Sector)
  @Index()
  @CodeColumn(16)
  sector: Sector;

  @Field()
  @TextColumn()
  address: string;

  @Field()
  @Index()
  @TextColumn({ length: 40 })
  regency: string;
}
