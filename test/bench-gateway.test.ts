import { readFileSync } from 'node:fs';
import path from 'node:path';
import { benchSettings } from '../tools/bench/gateway-options';
import { describePlan, stagesOf } from '../tools/bench/replay';
import { servedSubgraphs } from '../tools/bench/ref-system';
import { UsageError } from '../tools/cli';

/**
 * `npm run bench:gateway`'s command line, how it reads the order of a captured request's subgraph
 * calls, and which services a commit's system runs (no load: the benchmark itself is not run here).
 */
describe('npm run bench:gateway settings', () => {
  it('is a quick look by default: one round of 3 s, Q1, 10 clients, every target', () => {
    expect(benchSettings([])).toMatchObject({
      mode: 'short',
      rounds: 1,
      seconds: 3,
      queries: ['Q1'],
      clients: [10],
      targets: ['P', 'A', 'B', 'H', 'D'],
    });
  });

  it('runs the README table in full mode, and any flag given overrides its mode', () => {
    expect(benchSettings(['--mode', 'full'])).toMatchObject({
      rounds: 3,
      seconds: 10,
      queries: ['Q1', 'Q2'],
      clients: [10, 50],
    });
    expect(benchSettings(['--mode', 'full', '--seconds', '5', '--targets', 'P,D', '--ref', '79d07ce'])).toMatchObject({
      rounds: 3,
      seconds: 5,
      targets: ['P', 'D'],
      ref: '79d07ce',
    });
  });

  it('refuses an unknown mode, query or target, and targets without the project gateway', () => {
    expect(() => benchSettings(['--mode', 'long'])).toThrow(UsageError);
    expect(() => benchSettings(['--queries', 'Q3'])).toThrow(/--queries takes a comma-separated list of Q1, Q2/);
    expect(() => benchSettings(['--targets', 'A,D'])).toThrow(/must include P/);
    expect(() => benchSettings(['--clients', '0'])).toThrow(UsageError);
  });
});

describe('the direct replay (D)', () => {
  const call = (subgraph: string, startedAt: number, answeredAt: number) => ({
    subgraph,
    path: '/graphql',
    headers: {},
    body: '{}',
    startedAt,
    answeredAt,
  });

  it("keeps the plan's order: a call started after all before it answered is the next step, else beside them", () => {
    const stages = stagesOf([
      call('manpower', 12.2, 20),
      call('immigration', 0, 12),
      call('police', 12.1, 18),
      call('manpower', 12.3, 19),
    ]);
    expect(describePlan(stages)).toBe('Sequence[immigration, Parallel[police, manpower, manpower]]');
    expect(describePlan(stagesOf([call('immigration', 0, 5)]))).toBe('immigration');
  });
});

describe('a commit’s system (--ref)', () => {
  it('runs as services the graphs the supergraph serves on 127.0.0.1, not those inside the gateway', () => {
    const ours = readFileSync(path.join(__dirname, '..', 'schema', 'supergraph.graphql'), 'utf8');
    expect(servedSubgraphs(ours)).toEqual(['audit', 'immigration', 'manpower', 'oversight', 'police']);
    const older = ours.replace(/url: "http:\/\/127\.0\.0\.1:4005\/graphql"/, 'url: "http://gateway.local/audit"');
    expect(servedSubgraphs(older)).toEqual(['immigration', 'manpower', 'oversight', 'police']);
  });
});
