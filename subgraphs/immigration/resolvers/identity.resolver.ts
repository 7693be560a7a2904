import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { SubgraphContext } from '../../shared/subgraph';
import { ForeignNational } from '../entities/foreign-national';
import { ReportParty, WorkPermit } from '../external';
import { identifyParty, personByPassportKey } from '../identity';
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

@Resolver(() => ReportParty)
export class ReportPartyIdentityResolver {
  @FieldResolver(() => ForeignNational, {
    nullable: true,
    description:
      'The foreign national this party is: by passport, else by an unambiguous name, birth date and nationality.',
  })
  @Directive('@requires(fields: "passportKey identityKey")')
  foreignNational(@Root() party: ReportParty, @Ctx() { loaders }: Context) {
    return identifyParty(loaders, party);
  }
}
