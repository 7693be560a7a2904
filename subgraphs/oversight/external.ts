import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** A foreign national, owned by immigration; oversight adds the person's findings. */
@ObjectType()
@Directive('@key(fields: "id")')
export class ForeignNational {
  @Field(() => ID)
  id: string;
}
