import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { FLATTENED_PACKAGES } from '../gateway/flat-exports';

const PAGE = `query { foreignNationals(first: 100) { nodes { id fullName
  stayPermits { permitNumber status sponsor { nib name } } workPermits { rptkaNumber employer { name } }
  policeReports { role report { reportNumber } } } } }`;

/**
 * The gateway reads @apollo/federation-internals' names as plain properties instead of through
 * TypeScript's re-export getters. Jest has a module system of its own, so this runs in a plain
 * Node process on the build, as the gateway does.
 */
describe('the gateway reads the planner’s re-exports directly', () => {
  const root = path.join(__dirname, '..');
  const inNode = (script: string) =>
    JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));

  it('gives every later require a complete copy of plain properties, the same values as the package’s own', () => {
    const result = inNode(`
      const packages = ${JSON.stringify(FLATTENED_PACKAGES)};
      const before = Object.fromEntries(packages.map((id) => [id, require(id)]));
      require('./dist/gateway/flat-exports');
      console.log(JSON.stringify(packages.map((id) => {
        const copy = require(id), original = before[id];
        const names = Object.keys(original);
        return {
          id,
          names: names.length,
          sameNames: JSON.stringify(Object.keys(copy)) === JSON.stringify(names),
          sameValues: names.every((name) => copy[name] === original[name]),
          getters: names.filter((name) => Object.getOwnPropertyDescriptor(copy, name).get).length,
          originalGetters: names.filter((name) => Object.getOwnPropertyDescriptor(original, name).get).length,
          esModule: copy.__esModule === true,
          once: require(id) === copy,
        };
      })));`);
    for (const entry of result) {
      expect(entry).toMatchObject({ sameNames: true, sameValues: true, getters: 0, esModule: true, once: true });
      expect(entry.names).toBeGreaterThan(10);
    }
    // What it is for: the package itself answers through getters.
    expect(result[0].originalGetters).toBeGreaterThan(100);
  });

  it('plans the full view and a page exactly as the package itself does', () => {
    const plans = (flatten: boolean) =>
      inNode(`
        ${flatten ? "require('./dist/gateway/flat-exports');" : ''}
        const { readFileSync } = require('node:fs');
        const { parse } = require('graphql');
        const { Supergraph, operationFromDocument } = require('@apollo/federation-internals');
        const { QueryPlanner, prettyFormatQueryPlan } = require('@apollo/query-planner');
        const supergraph = Supergraph.build(readFileSync('schema/supergraph.graphql', 'utf8'));
        const planner = new QueryPlanner(supergraph);
        const queries = [readFileSync('examples/full-view.graphql', 'utf8'), ${JSON.stringify(PAGE)}];
        console.log(JSON.stringify(queries.map((query) =>
          prettyFormatQueryPlan(planner.buildQueryPlan(operationFromDocument(supergraph.schema, parse(query)))))));`);
    const flat = plans(true);
    expect(flat).toEqual(plans(false));
    expect(flat[0]).toContain('Sequence');
  });
});
