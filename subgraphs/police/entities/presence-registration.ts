import { Pii } from '../../shared/access';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Entity, Index, PrimaryColumn } from 'typeorm';
import { CodeColumn, InstantColumn, TextColumn } from '../../shared/columns';

@ObjectType({
  description: "A registration of a foreigner's presence with the police (Perpol 3/2025), e.g. from lodging reports.",
})
@Directive('@key(fields: "id")')
@Entity('presence_registration')
export class PresenceRegistration {
  @Field(() => ID)
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Field()
  @Index({ unique: true })
  @TextColumn({ length: 40 })
  registrationNumber: string;

  @Field(() => String, { nullable: true, description: 'Null when the stay was reported by name only.' })
  @Pii.text()
  @Index()
  @TextColumn({ length: 12, nullable: true })
  passportNumber: string | null;

  @Field(() => String, { nullable: true })
  @CodeColumn(3, { nullable: true })
  passportCountry: string | null;

  @Field()
  @TextColumn()
  fullName: string;

  @Field(() => String, {
    nullable: true,
    description:
      'As the host wrote it: YYYY-MM-DD, or YYYY when only the year is known. Null without the pii clearance.',
  })
  @Pii.date()
  @CodeColumn(10, { nullable: true })
  dateOfBirth: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-3, when the host wrote it.' })
  @CodeColumn(3, { nullable: true })
  nationality: string | null;

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
