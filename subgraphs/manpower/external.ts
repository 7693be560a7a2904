import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A foreign national, owned by immigration; manpower adds the person's work. */
@ObjectType()
@Directive('@key(fields: "id")')
export class ForeignNational {
  @Field(() => ID)
  id: string;

  @Field(() => [String], { description: 'Match keys of all passports (immigration, @inaccessible).' })
  @Directive('@external')
  passportKeys: string[];
}
