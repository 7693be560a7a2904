import { immigration } from './immigration';
import { manpower } from './manpower';
import { police } from './police';
import { AgencyName, SubgraphDefinition } from './shared/subgraph';

/** The three agencies, in the order the system starts them. */
export const subgraphs: Record<AgencyName, SubgraphDefinition<any>> = { immigration, manpower, police };
export const agencyNames = Object.keys(subgraphs) as AgencyName[];
