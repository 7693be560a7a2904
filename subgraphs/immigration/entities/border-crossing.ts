import { Pii } from '../../shared/access';
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Entity, Index, PrimaryColumn } from 'typeorm';
import { CodeColumn, InstantColumn, TextColumn } from '../../shared/columns';
import { CrossingDirection } from '../enums';

@ObjectType({ description: 'An entry into or exit from Indonesia at a checkpoint (TPI).' })
@Entity('border_crossing')
@Index('border_crossing_person_time', ['personId', 'crossedAt'])
export class BorderCrossing {
  @Field(() => ID)
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @CodeColumn(36)
  personId: string;

  @Field(() => CrossingDirection)
  @CodeColumn(5)
  direction: CrossingDirection;

  @Field(() => DateTimeISOResolver)
  @InstantColumn()
  crossedAt: string;

  @Field({ description: 'Checkpoint, e.g. PLBN Entikong or Bandara Supadio.' })
  @TextColumn()
  checkpoint: string;

  @Field()
  @Pii.text()
  @TextColumn({ length: 12 })
  passportNumber: string;
}
