import { Pii } from '../../shared/access';
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Entity, Index, PrimaryColumn } from 'typeorm';
import { CodeColumn, InstantColumn, TextColumn } from '../../shared/columns';

@ObjectType({
  description: "A registration of a foreigner's presence with the police (Perpol 3/2025), e.g. from lodging reports.",
})
@Entity('presence_registration')
export class PresenceRegistration {
  @Field(() => ID)
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Field()
  @Index({ unique: true })
  @TextColumn({ length: 40 })
  registrationNumber: string;

  @Field()
  @Pii.text()
  @Index()
  @TextColumn({ length: 12 })
  passportNumber: string;

  @Field()
  @CodeColumn(3)
  passportCountry: string;

  @Field()
  @TextColumn()
  fullName: string;

  @Field({ description: 'Hotel, landlord or sponsor that reported the stay.' })
  @TextColumn()
  reportedBy: string;

  @Field()
  @Pii.address()
  @TextColumn()
  address: string;

  @Field()
  @Index()
  @TextColumn({ length: 40 })
  regency: string;

  @Field()
  @TextColumn()
  precinct: string;

  @Field(() => DateTimeISOResolver)
  @InstantColumn()
  checkIn: string;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @InstantColumn({ nullable: true })
  checkOut: string | null;
}
