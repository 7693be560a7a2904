import { Pii } from '../../shared/access';
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Entity, Index, PrimaryColumn } from 'typeorm';
import { CodeColumn, InstantColumn, TextColumn } from '../../shared/columns';
import { CrossingDirection } from '../enums';

@ObjectType({ description: 'An entry into or exit from Indonesia at a checkpoint (TPI).' })
@Entity('border_crossing')
// The natural key an import upserts on; led by the person, it also serves a person's crossings. On
// PostgreSQL the table is partitioned by the year of crossedAt (migration CrossingPartitions), and
// there every unique index, the primary key too, must hold the partition key.
@Index('border_crossing_natural_key', ['personId', 'crossedAt', 'direction'], { unique: true })
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
  @InstantColumn({ primary: true })
  crossedAt: string;

  @Field({ description: 'Checkpoint, e.g. PLBN Entikong or Bandara Supadio.' })
  @TextColumn()
  checkpoint: string;

  @Field()
  @Pii.text()
  @TextColumn({ length: 12 })
  passportNumber: string;
}
