import { Pii } from '../../shared/access';
import { Field, ID, ObjectType } from 'type-graphql';
import { LocalDateResolver } from '../../shared/scalars';
import { Entity, Index, PrimaryColumn } from 'typeorm';
import { CodeColumn, DateColumn, TextColumn } from '../../shared/columns';
import { RecordedPermitStatus, SponsorType, StayPermitKind, StayPurpose } from '../enums';

@ObjectType({ description: 'An izin tinggal (UU 6/2011 art. 48).' })
@Entity('stay_permit')
@Index('stay_permit_validity', ['kind', 'validFrom', 'validUntil'])
// A person's permits, latest end first: search columns read the newest one per person.
@Index('stay_permit_person_end', ['personId', 'validUntil'])
// Covers permitStatistics: the permits active on a date are one range of it, read without the table.
@Index('stay_permit_figures', [
  'recordedStatus',
  'validUntil',
  'validFrom',
  'kind',
  'domicileRegency',
  'visaIndex',
  'passportCountry',
])
export class StayPermit {
  @Field(() => ID)
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Field()
  @Index({ unique: true })
  @TextColumn({ length: 32 })
  permitNumber: string;

  @CodeColumn(36)
  personId: string;

  @Field(() => StayPermitKind)
  @CodeColumn(12)
  kind: StayPermitKind;

  @Field({ description: 'Visa index the permit was issued on, e.g. C1 (single-entry visit) or E23 (work).' })
  @CodeColumn(8)
  visaIndex: string;

  @Field(() => StayPurpose)
  @CodeColumn(12)
  purpose: StayPurpose;

  @Field(() => LocalDateResolver)
  @DateColumn()
  validFrom: string;

  @Field(() => LocalDateResolver)
  @DateColumn()
  validUntil: string;

  @CodeColumn(12)
  recordedStatus: RecordedPermitStatus;

  @Field(() => SponsorType)
  @CodeColumn(8)
  sponsorType: SponsorType;

  @Field(() => String, { nullable: true, description: 'NIB of the sponsoring company (penjamin), when a company.' })
  @Index()
  @CodeColumn(13, { nullable: true })
  sponsorNib: string | null;

  @Field({ description: 'Name of the sponsor (penjamin): the company or the person.' })
  @TextColumn()
  sponsorName: string;

  @Field()
  @Pii.address()
  @TextColumn()
  domicileAddress: string;

  @Field()
  @Index()
  @TextColumn({ length: 40 })
  domicileRegency: string;

  @Field({ description: 'Kantor Imigrasi that issued the permit.' })
  @TextColumn()
  issuingOffice: string;

  @Field({ description: 'Passport the permit was issued on.' })
  @Pii.text()
  @TextColumn({ length: 12 })
  passportNumber: string;

  @Field({ description: 'Issuing country of that passport (ISO 3166-1 alpha-3): the nationality the figures count.' })
  @CodeColumn(3)
  passportCountry: string;
}
