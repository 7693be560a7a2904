import { Directive, Field, ObjectType } from 'type-graphql';
import { passportKey } from './loaders';

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

/** The cross-agency keys ("CHN:E123") of all of a person's passports, current and earlier. */
export function passportKeysOf(passports: PassportRef[] | null | undefined): string[] {
  return (passports ?? []).map((passport) => passportKey(passport.country, passport.number));
}
