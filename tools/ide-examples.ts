import { readFileSync, statSync } from 'node:fs';
import type { ExampleVariables } from '../gateway/ide';
import type { DemoManifest } from './demo';

/**
 * The IDE's ready-made operations filled with the demo data's people, from the manifest the seed
 * wrote: the person who renewed a passport (found through any of them, with records filed under
 * the old one) and the regency with most foreigners. No manifest (real data): nothing, so no tab
 * opens on a made-up person.
 */
export function exampleVariablesOf(manifest: Pick<DemoManifest, 'examples' | 'personsByRegency'>): ExampleVariables {
  const { personId, currentPassport } = manifest.examples.renewedPassport;
  const { fullName, nationality } = manifest.examples.nameOnlyPoliceMatch;
  const [busiestRegency] = Object.keys(manifest.personsByRegency);
  return {
    FullViewByPassport: { number: currentPassport.number, country: currentPassport.country },
    LinksAndTimeline: { id: personId },
    WhoCouldThisBe: { fullName: fullName.split(' ').reverse().join(' '), nationality },
    ...(busiestRegency ? { PermitMisuse: { regency: busiestRegency } } : {}),
  };
}

/**
 * Reads the manifest when the IDE loads, so a seed after the gateway started (tests, a fresh
 * `npm run seed`) is picked up; parsed again only when the file changed.
 */
export function exampleVariablesFromManifest(file: string | undefined): () => ExampleVariables | undefined {
  let cached: { changedAt: number; variables: ExampleVariables | undefined } | undefined;
  return () => {
    if (!file) return undefined;
    let changedAt: number;
    try {
      changedAt = statSync(file).mtimeMs;
    } catch {
      return undefined;
    }
    if (cached?.changedAt !== changedAt) cached = { changedAt, variables: parse(file) };
    return cached.variables;
  };
}

function parse(file: string): ExampleVariables | undefined {
  try {
    return exampleVariablesOf(JSON.parse(readFileSync(file, 'utf8')) as DemoManifest);
  } catch {
    // Not a manifest this version wrote (or one being written): no examples rather than wrong ones.
    return undefined;
  }
}
