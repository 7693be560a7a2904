import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The passport fields manpower needs from immigration to find a person's work permits. */
@ObjectType()
@Directive('@shareable')
export class Passport {
  @Field()
  number: string;

  @Field()
  country: string;
}

/** A foreign national, owned by immigration; manpower adds the person's work. */
@ObjectType()
@Directive('@key(fields: "id")')
export class ForeignNational {
  @Field(() => ID)
  id: string;

  @Field(() => [Passport])
  @Directive('@external')
  passports: Passport[];
}
