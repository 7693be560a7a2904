import { Directive, Field, ObjectType } from 'type-graphql';

/**
 * The passport fields another agency requires from immigration (`@requires(fields: "passports {
 * number country }")`) to find the records it filed under any passport of a person.
 */
@ObjectType('Passport')
@Directive('@shareable')
export class PassportRef {
  @Field()
  number: string;

  @Field()
  country: string;
}
