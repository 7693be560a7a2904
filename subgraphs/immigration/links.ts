import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { ForeignNational } from './entities/foreign-national';

export enum LinkKind {
  SAME_EMPLOYER = 'SAME_EMPLOYER',
  SAME_SPONSOR = 'SAME_SPONSOR',
  SAME_POLICE_REPORT = 'SAME_POLICE_REPORT',
  SAME_ADDRESS = 'SAME_ADDRESS',
}

registerEnumType(LinkKind, { name: 'LinkKind' });

@ObjectType({ description: 'Another person sharing a record with this one: link analysis.' })
export class PersonLink {
  @Field(() => LinkKind)
  kind: LinkKind;

  @Field({
    description:
      'The shared record: employer NIB, sponsor, report number or address (the address reads ••• without the pii clearance).',
  })
  sharedRecord: string;

  @Field({ description: 'Agency that holds the shared record.' })
  agency: string;

  @Field(() => ForeignNational)
  person: ForeignNational;
}
