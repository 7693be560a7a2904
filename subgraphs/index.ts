import { immigration } from './immigration';
import { manpower } from './manpower';
import { oversight } from './oversight';
import { police } from './police';
import { SubgraphName, SubgraphDefinition } from './shared/subgraph';

export const subgraphs: Record<SubgraphName, SubgraphDefinition<any>> = { immigration, manpower, police, oversight };
