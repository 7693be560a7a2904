import { closedLoop, graphqlClient } from './load';
import { percentiles, startServiceProcesses } from './processes';
import { SUBGRAPH_NAMES } from '../subgraphs';
import { countOption, listOption, parseCommandLine, runTool } from './cli';

/**
 * `npm run chaos [-- --agencies police,manpower --seconds 30 --clients 20]`: every service in its
 * own process on 127.0.0.1, the analysts' full view under load from `clients` concurrent clients,
 * then each agency in turn frozen (SIGSTOP) and killed (SIGKILL, then restarted). Prints per
 * phase: answers that kept the other agencies' data, latency p50/p95/p99 (overall, and of the
 * answers sent after the first one that said the agency's breaker is open), the longest wait
 * before that, the time until answers are whole again, and whether the gateway stayed up. Exits 1 when an answer lost the other
 * agencies' data or the gateway crashed. Loopback only, bounded in time.
 */
const FULL_VIEW = `query($number: String!, $country: String!) { foreignNationalByPassport(number: $number, country: $country) {
  id fullName stayPermits { permitNumber } workPermits { rptkaNumber } policeReports { role } registrations { registrationNumber } } }`;

interface Sample {
  /** When it was sent, in ms since the phase began. */
  sentAt: number;
  ms: number;
  whole: boolean;
  keptOthers: boolean;
  /** The gateway answered that the agency's circuit breaker is open (it failed fast). */
  breakerOpen: boolean;
}

const CLI = {
  command: 'npm run chaos --',
  summary:
    "Every service in its own process under load, each agency frozen and then killed in turn; exit 1 when an answer lost the other agencies' data.",
  options: {
    agencies: {
      type: 'string',
      default: 'immigration,manpower,police,oversight',
      value: 'A,B',
      description: `the agencies to freeze and kill, in turn (default immigration,manpower,police,oversight)`,
    },
    seconds: { type: 'string', default: '30', value: 'S', description: 'seconds per phase (default 30)' },
    clients: { type: 'string', default: '20', value: 'N', description: 'concurrent clients (default 20)' },
    persons: { type: 'string', default: '400', value: 'N', description: 'persons in the demo data (default 400)' },
  },
} as const;

async function main() {
  const { values } = parseCommandLine(CLI);
  const agencies = listOption('agencies', values.agencies, SUBGRAPH_NAMES);
  const seconds = countOption('seconds', values.seconds);
  const clients = countOption('clients', values.clients);
  const system = await startServiceProcesses({ basePort: 27100, persons: countOption('persons', values.persons) });
  const { token, ports } = system;
  const passport = system.manifest.examples.renewedPassport.currentPassport;
  let failed = false;
  try {
    const gateway = system.child('gateway');
    const client = graphqlClient(`http://127.0.0.1:${ports.gateway}/graphql`, token);
    const ask = async (phaseStarted: number): Promise<Sample> => {
      const sentAt = Date.now() - phaseStarted;
      const { body, ms } = await client.ask(FULL_VIEW, passport);
      const person = body.data?.foreignNationalByPassport;
      return {
        sentAt,
        ms,
        whole: Boolean(person && !body.errors),
        keptOthers: Boolean(person?.fullName),
        breakerOpen: Boolean(body.errors?.some((error) => /circuit breaker is open/.test(error.message))),
      };
    };
    const load = async (ms: number, stopWhenWhole = false) => {
      const samples: Sample[] = [];
      const phaseStarted = Date.now();
      let whole = false;
      await closedLoop(
        clients,
        ms,
        async () => {
          const sample = await ask(phaseStarted);
          samples.push(sample);
          if (sample.whole) whole = true;
        },
        () => stopWhenWhole && whole,
      );
      return samples;
    };
    report('baseline, all up', await load(seconds * 1000));
    for (const agency of agencies) {
      const process_ = system.child(agency);
      process_.kill('SIGSTOP');
      const frozen = await load(seconds * 1000);
      process_.kill('SIGCONT');
      const recoveryStarted = Date.now();
      await load(60_000, true);
      failed ||= report(`${agency} frozen`, frozen, agency === 'immigration', Date.now() - recoveryStarted);
      process_.kill('SIGKILL');
      const killed = await load(seconds * 1000);
      const restarted = Date.now();
      await system.start(agency);
      await load(60_000, true);
      failed ||= report(`${agency} killed`, killed, agency === 'immigration', Date.now() - restarted);
    }
    const gatewayUp = gateway.exitCode === null;
    console.log(`gateway crashes: ${gatewayUp ? 0 : 1}`);
    failed ||= !gatewayUp;
  } finally {
    system.stop();
  }
  console.log(`chaos: ${failed ? '0 passed, 1 failed' : '1 passed, 0 failed'}`);
  process.exitCode = failed ? 1 : 0;
}

/**
 * These machines serve about half the requests per second in the first seconds after the load
 * paused (a frozen agency's timeout stalls every client), with the same CPU use, and then speed
 * up, with every agency up just as with one frozen: the steady state is reported apart.
 */
const SETTLE_MS = 5000;

/** One line per phase; true when an answer lost what the agencies that were up hold. */
function report(phase: string, samples: Sample[], ownsTheRoot = false, recoveryMs?: number): boolean {
  const kept = samples.filter((sample) => sample.keptOthers).length;
  const recovery =
    recoveryMs === undefined ? '' : `; whole again ${(recoveryMs / 1000).toFixed(1)} s after it came back`;
  // The breaker opened when the first answer said so: the answers sent after it, and the longest
  // wait of those sent before it (no longer than the agency's timeout).
  const opened = Math.min(...samples.filter((sample) => sample.breakerOpen).map((sample) => sample.sentAt + sample.ms));
  const after = samples.filter((sample) => sample.sentAt >= opened);
  const before = samples.filter((sample) => sample.sentAt < opened);
  const breaker = Number.isFinite(opened)
    ? `; breaker open ${(opened / 1000).toFixed(1)} s in, longest wait before ` +
      `${Math.max(0, ...before.map((sample) => sample.ms)).toFixed(0)} ms, after: ${percentiles(after.map((sample) => sample.ms))}` +
      `, from ${SETTLE_MS / 1000} s after: ${percentiles(after.filter((sample) => sample.sentAt >= opened + SETTLE_MS).map((sample) => sample.ms))}`
    : '';
  console.log(
    `${phase.padEnd(22)} ${samples.length} answers, ${kept} with the other agencies' data; ` +
      `${percentiles(samples.map((sample) => sample.ms))}${breaker}${recovery}`,
  );
  // With immigration (who owns the person) down there is no person to hang the rest on.
  return !ownsTheRoot && kept < samples.length;
}

runTool(main);
