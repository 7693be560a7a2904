import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { SubgraphContext } from '../../shared/subgraph';
import { ForeignNational } from '../entities/foreign-national';
import { WorkPermit } from '../external';
import { personByPassportKey } from '../identity';
import { ImmigrationLoaders } from '../loaders';

type Context = SubgraphContext<ImmigrationLoaders>;

@Resolver(() => WorkPermit)
export class WorkPermitWorkerResolver {
  @FieldResolver(() => ForeignNational, {
    nullable: true,
    description: 'The worker, found by the passport on the RPTKA, current or earlier.',
  })
  @Directive('@requires(fields: "workerPassportKey")')
  worker(@Root() permit: WorkPermit, @Ctx() { loaders }: Context) {
    return personByPassportKey(loaders, permit.workerPassportKey);
  }
}
