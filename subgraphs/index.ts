import { immigration } from './immigration';
import { manpower } from './manpower';
import { police } from './police';
import { AgencyName, SubgraphDefinition } from './shared/subgraph';

export const subgraphs: Record<AgencyName, SubgraphDefinition<any>> = { immigration, manpower, police };
