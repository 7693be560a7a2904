import { audit } from './audit';
import { immigration } from './immigration';
import { immigrationImports } from './immigration/import';
import { manpower } from './manpower';
import { manpowerImports } from './manpower/import';
import { oversight } from './oversight';
import { police } from './police';
import { policeImports } from './police/import';
import { RecordType } from './shared/import';
import { SubgraphDefinition } from './shared/subgraph';

/** What the rest of the system needs to know about one subgraph. */
export interface SubgraphEntry {
  /** Its domain: entities, checked-in migrations, resolvers (the definition's name is the key below). */
  definition: SubgraphDefinition<any>;
  /** How analysts know it; names it in messages about missing data. */
  label: string;
  /** Its port when none is configured (`<NAME>_PORT`). */
  defaultPort: number;
  /** The CSV files it loads with `npm run import`. */
  imports: RecordType[];
  /** Where `npm run migration:generate` writes its next migration (those of `definition`). */
  migrationsFolder: string;
  /** The gateway's timeout for its calls, where a lookup's default (AGENCY_TIMEOUT_MS) does not fit. */
  timeoutMs?: number;
}

/**
 * Every subgraph of the supergraph, declared once, in the order the system starts them. Ports,
 * labels, configuration variables, the start order, imports, migrations and the compose check are
 * all derived from this list: adding an agency is one folder plus one entry here.
 */
export const SUBGRAPHS = {
  immigration: {
    definition: immigration,
    label: 'Immigration (Ditjen Imigrasi)',
    defaultPort: 4001,
    imports: immigrationImports,
    migrationsFolder: 'subgraphs/immigration/migrations',
  },
  manpower: {
    definition: manpower,
    label: 'Manpower (Kemnaker)',
    defaultPort: 4002,
    imports: manpowerImports,
    migrationsFolder: 'subgraphs/manpower/migrations',
  },
  police: {
    definition: police,
    label: 'Police (Polri)',
    defaultPort: 4003,
    imports: policeImports,
    migrationsFolder: 'subgraphs/police/migrations',
  },
  oversight: {
    definition: oversight,
    label: 'Oversight (TIMPORA findings)',
    defaultPort: 4004,
    imports: [],
    migrationsFolder: 'subgraphs/oversight/migrations',
    // refreshFindings reads every person through the gateway within one call.
    timeoutMs: 600_000,
  },
  // The gateway writes the audit through lib/audit, whose tables and migrations this shares.
  audit: {
    definition: audit,
    label: 'Read audit (TIMPORA)',
    defaultPort: 4005,
    imports: [],
    migrationsFolder: 'lib/audit/migrations',
  },
} satisfies Record<string, SubgraphEntry>;

export type SubgraphName = keyof typeof SUBGRAPHS;
export const SUBGRAPH_NAMES = Object.keys(SUBGRAPHS) as SubgraphName[];

/** Each subgraph's domain definition, by name. */
export const subgraphs = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, SUBGRAPHS[name].definition])) as Record<
  SubgraphName,
  SubgraphDefinition<any>
>;
