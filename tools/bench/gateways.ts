import { closedLoop, graphqlClient } from '../load';
import { distTool, processCpuMs, residentMegabytes, startServiceProcesses } from '../processes';
import { analystWorkloads } from '../workloads';
import { countOption, listOption, numberListOption, parseCommandLine, runTool } from '../cli';

/**
 * `npm run bench:gateways [-- --rounds 3 --seconds 10 --clients 10,50 --queries Q1,Q2 --gateways P,A,B]`:
 * the gateway against plain @apollo/gateway on the same subgraph processes and data, in one run,
 * alternating gateway by gateway in each round, and medians over the rounds. Prints per query and
 * client count: requests per second, the gateway process's CPU per request, errors, and the ratio
 * to each reference; then each gateway's peak RSS.
 *   P  the project's gateway as `npm start --only gateway` runs it (auth, audit, limits, metrics, logs)
 *   A  plain @apollo/gateway + @apollo/server as shipped (tools/bench/reference-gateway.ts)
 *   B  A with the gateway's keep-alive undici fetcher
 * Variables vary per request (a different person or page each time), so no gateway can collapse
 * identical requests. Loopback only; bounded by rounds × seconds.
 */
const REFERENCES: Record<string, string[]> = { A: [], B: ['--fetcher', 'undici'] };

const CLI = {
  command: 'npm run bench:gateways --',
  summary:
    'Requests per second and CPU per request, the gateway against plain @apollo/gateway, alternating in one run.',
  options: {
    rounds: { type: 'string', default: '3', value: 'N', description: 'rounds (default 3)' },
    seconds: { type: 'string', default: '10', value: 'S', description: 'seconds per measurement (default 10)' },
    clients: { type: 'string', default: '10,50', value: 'N,M', description: 'client counts (default 10,50)' },
    queries: { type: 'string', default: 'Q1,Q2', value: 'Q1,Q2', description: 'the queries (default Q1,Q2)' },
    gateways: { type: 'string', default: 'P,A,B', value: 'P,A,B', description: 'the gateways (default P,A,B)' },
    persons: { type: 'string', default: '2000', value: 'N', description: 'persons in the demo data (default 2000)' },
  },
} as const;

async function main() {
  const { values } = parseCommandLine(CLI);
  const gateways = listOption('gateways', values.gateways, ['P', ...Object.keys(REFERENCES)]);
  const rounds = countOption('rounds', values.rounds);
  const phaseSeconds = countOption('seconds', values.seconds);
  const clientCounts = numberListOption('clients', values.clients, { integer: true, min: 1 });
  const system = await startServiceProcesses({ basePort: 47300, persons: countOption('persons', values.persons) });
  try {
    let port = 47350;
    for (const name of gateways.filter((name) => name !== 'P'))
      await system.startBeside(name, distTool('bench/reference-gateway.js'), port++, REFERENCES[name]);
    const pid = (name: string) => system.child(name === 'P' ? 'gateway' : name).pid!;
    const clientOf = (name: string) =>
      graphqlClient(`http://127.0.0.1:${system.ports[name === 'P' ? 'gateway' : name]}/graphql`, system.token, 64);
    const analyst = await analystWorkloads(clientOf('P'));
    const workloads = { Q1: analyst.fullView, Q2: analyst.page };
    const peakRss: Record<string, number> = {};
    for (const query of values.queries.split(',')) {
      for (const clients of clientCounts) {
        const results: Record<string, { rps: number; cpuMs: number; errors: number }[]> = {};
        for (let round = 0; round < rounds; round += 1) {
          for (const name of gateways) {
            const client = clientOf(name);
            const next = workloads[query as keyof typeof workloads];
            // Warm: plans cached, connections open.
            await closedLoop(clients, 1000, () => client.ask(...next()));
            const cpuBefore = processCpuMs(pid(name));
            const started = performance.now();
            let answers = 0;
            let errors = 0;
            await closedLoop(clients, phaseSeconds * 1000, async () => {
              const answer = await client.ask(...next());
              answers += 1;
              if (answer.status !== 200 || answer.body.errors) errors += 1;
              peakRss[name] = Math.max(peakRss[name] ?? 0, residentMegabytes(pid(name)) ?? 0);
            });
            const seconds = (performance.now() - started) / 1000;
            (results[name] ??= []).push({
              rps: answers / seconds,
              cpuMs: (processCpuMs(pid(name)) - cpuBefore) / answers,
              errors,
            });
            await client.close();
          }
        }
        report(`${query}, ${clients} clients`, results);
      }
    }
    console.log(`peak RSS: ${gateways.map((name) => `${name} ${peakRss[name]?.toFixed(0)} MB`).join(', ')}`);
  } finally {
    system.stop();
  }
}

function report(title: string, results: Record<string, { rps: number; cpuMs: number; errors: number }[]>) {
  const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)];
  const rows = Object.entries(results).map(([name, runs]) => ({
    name,
    rps: median(runs.map((run) => run.rps)),
    cpuMs: median(runs.map((run) => run.cpuMs)),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  }));
  const project = rows.find((row) => row.name === 'P');
  console.log(title);
  for (const row of rows) {
    const ratio = project && row !== project ? `; P/${row.name} ${(project.rps / row.rps).toFixed(2)}` : '';
    console.log(
      `  ${row.name}: ${row.rps.toFixed(0)} req/s, ${row.cpuMs.toFixed(2)} ms CPU per request, ${row.errors} errors${ratio}`,
    );
  }
}

runTool(main);
