import { composeServices } from '@apollo/composition';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { GraphName, subgraphSdl } from '../subgraphs/shared/subgraph';
import { GRAPH_NAMES, graphs } from './graphs';
import { defaultSubgraphUrl } from '../lib/config';
import { projectRoot } from '../lib/paths';

export const SCHEMA_DIR = path.join(projectRoot, 'schema');

export interface ComposedSchemas {
  subgraphs: Record<GraphName, string>;
  supergraph: string;
}

/** The gateway answers the audit's part in-process (gateway/audit/api.ts); the URL is only a name. */
const urlOf = (name: GraphName) => (name === 'audit' ? 'http://gateway.local/audit' : defaultSubgraphUrl(name));

/** Prints each subgraph's SDL from the code and composes the supergraph the gateway serves. */
export async function composeSchemas(): Promise<ComposedSchemas> {
  const sdl = {} as Record<GraphName, string>;
  for (const name of GRAPH_NAMES) sdl[name] = await subgraphSdl(graphs[name]);
  const result = composeServices(GRAPH_NAMES.map((name) => ({ name, typeDefs: parse(sdl[name]), url: urlOf(name) })));
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  }
  return { subgraphs: sdl, supergraph: result.supergraphSdl };
}

export function schemaFile(name: GraphName | 'supergraph'): string {
  return path.join(SCHEMA_DIR, `${name}.graphql`);
}

async function main() {
  const composed = await composeSchemas();
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const name of GRAPH_NAMES) writeFileSync(schemaFile(name), composed.subgraphs[name]);
  writeFileSync(schemaFile('supergraph'), composed.supergraph);
  console.log(`Wrote ${GRAPH_NAMES.length} subgraph schemas and the supergraph to ${SCHEMA_DIR}`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
