import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { PassportRef } from '../shared/passport';

/** A foreign national, owned by immigration; manpower adds the person's work. */
@ObjectType()
@Directive('@key(fields: "id")')
export class ForeignNational {
  @Field(() => ID)
  id: string;

  @Field(() => [PassportRef])
  @Directive('@external')
  passports: PassportRef[];
}
