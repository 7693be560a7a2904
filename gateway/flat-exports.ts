import Module from 'node:module';

/** The packages whose re-exported names @apollo/gateway and its planner read on every value they shape. */
export const FLATTENED_PACKAGES = ['@apollo/federation-internals', '@apollo/query-planner', '@apollo/query-graphs'];

type Require = (this: NodeModule, id: string) => unknown;
const ModuleInternals = Module as unknown as {
  prototype: { require: Require };
  _resolveFilename(id: string, parent: NodeModule): string;
  _cache: Record<string, NodeModule | undefined>;
};

const copies = new Map<string, Record<string, unknown>>();
let installed = false;

/**
 * TypeScript compiles `export * from './x'` to one getter per name, and @apollo/gateway calls
 * `federation_internals_1.name(…)` through such a getter for every value of every answer it
 * shapes: a tenth of the gateway's CPU on a page of 100 persons (the `get` of
 * federation-internals' index.js in a CPU profile). From here on, a require of one of these
 * packages gets a copy of its finished exports as plain properties, made once. Safe for them:
 * none assigns an export after loading (no live binding changes), and a package required while
 * it is still loading (a cycle) is answered as it is, not copied. The gateway installs it before
 * it loads @apollo/gateway (gateway/index.ts); nothing else changes.
 */
export function readReexportsDirectly(packages: readonly string[] = FLATTENED_PACKAGES): void {
  if (installed) return;
  installed = true;
  const original = ModuleInternals.prototype.require;
  ModuleInternals.prototype.require = function (this: NodeModule, id: string) {
    const exports = original.call(this, id);
    if (!packages.includes(id)) return exports;
    const file = ModuleInternals._resolveFilename(id, this);
    let copy = copies.get(file);
    if (!copy) {
      if (!ModuleInternals._cache[file]?.loaded) return exports;
      copy = { ...(exports as Record<string, unknown>) };
      Object.defineProperty(copy, '__esModule', { value: true });
      copies.set(file, copy);
    }
    return copy;
  } as Require;
}

readReexportsDirectly();
