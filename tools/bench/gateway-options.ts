import { countOption, listOption, numberListOption, parseCommandLine, UsageError } from '../cli';

/**
 * The command line of `npm run bench:gateway`: a mode gives every setting, and each flag given
 * overrides its mode's value.
 */
export const TARGETS = ['P', 'A', 'B', 'H', 'D'] as const;
export type TargetName = (typeof TARGETS)[number];
export const QUERIES = ['Q1', 'Q2'] as const;
export type QueryName = (typeof QUERIES)[number];

type ModeSettings = Record<'rounds' | 'seconds' | 'queries' | 'clients', string>;
/** short: a quick look in about a minute; full: the README's table. */
export const MODES: Record<string, ModeSettings> = {
  short: { rounds: '1', seconds: '3', queries: 'Q1', clients: '10' },
  full: { rounds: '3', seconds: '10', queries: 'Q1,Q2', clients: '10,50' },
};

export const CLI = {
  command: 'npm run bench:gateway --',
  summary:
    'Requests per second, latency and CPU per request of the gateway against plain @apollo/gateway, Hive Gateway, ' +
    'the direct replay of its subgraph calls and (--ref) another commit, alternating in one run.',
  options: {
    mode: {
      type: 'string',
      default: 'short',
      value: 'short|full',
      description:
        'short: 1 round of 3 s, Q1, 10 clients; full: 3 rounds of 10 s, Q1,Q2, 10,50 clients (default short)',
    },
    rounds: { type: 'string', value: 'N', description: "rounds, alternating the targets in each (the mode's)" },
    seconds: { type: 'string', value: 'S', description: "seconds per measurement (the mode's)" },
    clients: { type: 'string', value: 'N,M', description: "concurrent clients, closed loop (the mode's)" },
    queries: { type: 'string', value: 'Q1,Q2', description: "Q1 full view by passport, Q2 page of 100 (the mode's)" },
    targets: {
      type: 'string',
      default: TARGETS.join(','),
      value: 'P,A,B,H,D',
      description: 'the targets (default all)',
    },
    ref: { type: 'string', value: 'REF', description: 'also the whole system of this git ref (e.g. 79d07ce)' },
    persons: { type: 'string', default: '2000', value: 'N', description: 'persons in the demo data (default 2000)' },
  },
} as const;

export interface BenchSettings {
  mode: string;
  rounds: number;
  seconds: number;
  clients: number[];
  queries: QueryName[];
  targets: TargetName[];
  ref?: string;
  persons: number;
}

export function benchSettings(args = process.argv.slice(2)): BenchSettings {
  const { values } = parseCommandLine(CLI, args);
  const mode = MODES[values.mode];
  if (!mode) throw new UsageError(`--mode takes short or full, got "${values.mode}"`);
  const value = (name: keyof ModeSettings) => values[name] ?? mode[name];
  const targets = listOption('targets', values.targets, TARGETS);
  if (!targets.includes('P')) throw new UsageError('--targets must include P: every ratio is to the project gateway');
  return {
    mode: values.mode,
    rounds: countOption('rounds', value('rounds')),
    seconds: countOption('seconds', value('seconds')),
    clients: numberListOption('clients', value('clients'), { integer: true, min: 1 }),
    queries: listOption('queries', value('queries'), QUERIES),
    targets,
    ref: values.ref,
    persons: countOption('persons', values.persons),
  };
}
