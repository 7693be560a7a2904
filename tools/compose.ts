import { composeServices } from '@apollo/composition';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { SUBGRAPH_NAMES, subgraphs, SubgraphName } from '../subgraphs';
import { subgraphSdl } from '../subgraphs/shared/subgraph';
import { parseCommandLine, runTool } from './cli';
import { defaultSubgraphUrl } from './config';
import { projectRoot } from '../lib/paths';

export const SCHEMA_DIR = path.join(projectRoot, 'schema');

export interface ComposedSchemas {
  subgraphs: Record<SubgraphName, string>;
  supergraph: string;
}

/** Prints each subgraph's SDL from the code and composes the supergraph the gateway serves. */
export async function composeSchemas(): Promise<ComposedSchemas> {
  const sdl = {} as Record<SubgraphName, string>;
  for (const name of SUBGRAPH_NAMES) sdl[name] = await subgraphSdl(subgraphs[name]);
  const result = composeServices(
    SUBGRAPH_NAMES.map((name) => ({ name, typeDefs: parse(sdl[name]), url: defaultSubgraphUrl(name) })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  }
  return { subgraphs: sdl, supergraph: result.supergraphSdl };
}

export function schemaFile(name: SubgraphName | 'supergraph'): string {
  return path.join(SCHEMA_DIR, `${name}.graphql`);
}

const CLI = {
  command: 'npm run compose --',
  summary: "Prints each subgraph's SDL from the code and composes the supergraph into schema/*.graphql.",
  options: {},
} as const;

async function main() {
  parseCommandLine(CLI);
  const composed = await composeSchemas();
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const name of SUBGRAPH_NAMES) writeFileSync(schemaFile(name), composed.subgraphs[name]);
  writeFileSync(schemaFile('supergraph'), composed.supergraph);
  console.log(`Wrote ${SUBGRAPH_NAMES.length} subgraph schemas and the supergraph to ${SCHEMA_DIR}`);
}

if (require.main === module) runTool(main, { failure: 'Compose failed' });
