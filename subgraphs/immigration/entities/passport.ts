import { Pii } from '../../shared/access';
import { Directive, Field, ObjectType } from 'type-graphql';
import { LocalDateResolver } from '../../shared/scalars';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CodeColumn, DateColumn, TextColumn } from '../../shared/columns';

@ObjectType({ description: 'A passport of a foreign national; renewed passports are kept.' })
@Directive('@shareable')
@Entity('passport')
@Index('passport_document', ['number', 'country'], { unique: true })
export class Passport {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index()
  @CodeColumn(36)
  personId: string;

  @Field()
  @Pii.text()
  @TextColumn({ length: 12 })
  number: string;

  @Field({ description: 'Issuing country, ISO 3166-1 alpha-3' })
  @CodeColumn(3)
  country: string;

  @Field(() => LocalDateResolver)
  @DateColumn()
  issuedOn: string;

  @Field(() => LocalDateResolver)
  @DateColumn()
  expiresOn: string;

  @Field({ description: 'The passport the person travels on now; earlier ones stay for matching old records.' })
  @Column('boolean')
  current: boolean;
}
