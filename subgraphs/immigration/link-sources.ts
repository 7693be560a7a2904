import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { askPeer, askPeerEntities, Peer } from '../shared/gateway-client';
import { passportKey, sponsorKey } from '../shared/match-keys';
import { SubgraphContext } from '../shared/subgraph';
import { ForeignNational } from './entities/foreign-national';
import { identityLinkOf } from './identity';
import { StayPermit } from './entities/stay-permit';
import { ReportParty } from './external';
import { LinkKind, PersonLink } from './links';
import { ImmigrationLoaders } from './loaders';

/*
 * Links read the other agencies' records through peer calls, not @requires. The gateway would hand
 * over, for every person of a page, every employer's full worker list and every report's parties
 * (500 persons at one 1,000-worker employer: 500,000 keys in one request), and a @requires whose
 * owner is down leaves the whole field null (@apollo/gateway sends no representation that lacks a
 * required field). Asked directly, once per request batch, manpower names each employer once,
 * each agency's READERS still decide for the user's own identity, and an agency that is down or
 * refuses costs only its kinds of links, with one error naming it.
 *
 * A batch runs in fixed stages, each a fixed number of statements and calls whatever the page size:
 * the persons' passports and permits; then manpower, police and the shared sponsors and addresses
 * at once; then every person those name, one statement per kind of key; then the links, in memory.
 */

export const MANPOWER: Peer = { name: 'manpower', label: 'Manpower (Kemnaker)' };
export const POLICE: Peer = { name: 'police', label: 'Police (Polri)' };

/**
 * Below the gateway's default timeout for its call to immigration (AGENCY_TIMEOUT_MS, 5 s): a peer
 * that hangs costs its links, not the whole answer.
 */
export const PEER_TIMEOUT_MS = 3000;

/** Each employer of the asked workers once, with every RPTKA it filed (its workers' passport keys). */
export const EMPLOYERS_OF_WORKERS = `query EmployersOfWorkers($keys: [String!]!) {
  employersOfWorkers(workerPassportKeys: $keys) { nib name workPermits { workerPassportKey validFrom } }
}`;

/** What police's own matching (ForeignNational.policeReports) finds for a person, with every party's keys. */
export const REPORT_PARTIES = 'policeReports { report { reportNumber involvedPeople { id passportKey } } }';

interface Employer {
  nib: string;
  name: string;
  workPermits: { workerPassportKey: string; validFrom: string }[] | null;
}

type Party = Pick<ReportParty, 'id' | 'passportKey'>;

interface Report {
  reportNumber: string;
  involvedPeople: Party[];
}

/** One `links` field: whose, and which kinds. */
export interface LinkRequest {
  person: ForeignNational;
  kinds: LinkKind[];
}

export interface FoundLinks {
  /** In kind order (employer, police report, sponsor, address), each as the shared records come. */
  links: PersonLink[];
  /** The agencies whose links are missing, as their errors (SubgraphContext.missing). */
  missing: GraphQLError[];
}

type Context = SubgraphContext<ImmigrationLoaders>;

const perRequest = new WeakMap<Context, DataLoader<LinkRequest, FoundLinks, string>>();

/** This request's loader: the links of every `links` field resolved in one tick, in one batch. */
export function linkSources(context: Context): DataLoader<LinkRequest, FoundLinks, string> {
  let loader = perRequest.get(context);
  if (!loader) {
    loader = new DataLoader((requests) => findLinks(context, requests), {
      cacheKeyFn: ({ person, kinds }) => `${person.id}|${[...kinds].sort().join(',')}`,
    });
    perRequest.set(context, loader);
  }
  return loader;
}

async function findLinks(context: Context, requests: readonly LinkRequest[]): Promise<FoundLinks[]> {
  const { loaders } = context;
  const wanting = (kind: LinkKind) => requests.filter((request) => request.kinds.includes(kind));
  const persons = requests.map((request) => request.person);
  const ids = persons.map((person) => person.id);
  const permitsWanted = wanting(LinkKind.SAME_SPONSOR).length + wanting(LinkKind.SAME_ADDRESS).length > 0;

  // 1. The persons' own passports and permits.
  const [passports, permits] = await Promise.all([
    loaders.passportsByPerson.loadMany(ids).then((rows) => rows.map(rowsOrThrow)),
    permitsWanted ? loaders.permitsByPerson.loadMany(ids).then((rows) => rows.map(rowsOrThrow)) : ids.map(() => []),
  ]);
  const keysOf = new Map(
    persons.map((person, index) => [
      person.id,
      passports[index].map((passport) => passportKey(passport.country, passport.number)),
    ]),
  );
  const sponsorsOf = permits.map((rows) => unique(rows.map((row) => sponsorKey(row.sponsorNib, row.sponsorName))));
  const addressesOf = permits.map((rows) => unique(rows.map((row) => row.domicileAddress)));

  // 2. What manpower and police know about them, and who shares their sponsors and addresses.
  const employing = wanting(LinkKind.SAME_EMPLOYER).map(({ person }) => person);
  const reporting = wanting(LinkKind.SAME_POLICE_REPORT).map(({ person }) => person);
  const [employers, reports, bySponsor, byAddress] = await Promise.all([
    agencyPart(employersOf(context, unique(employing.flatMap((person) => keysOf.get(person.id)!)))),
    agencyPart(reportsOf(context, reporting, keysOf)),
    groups(loaders.permitsBySponsor, wanting(LinkKind.SAME_SPONSOR).length ? unique(sponsorsOf.flat()) : []),
    groups(loaders.permitsByAddress, wanting(LinkKind.SAME_ADDRESS).length ? unique(addressesOf.flat()) : []),
  ]);

  // 3. Who those records name: one statement per kind of key.
  const parties = reports instanceof GraphQLError ? [] : [...reports.values()].flat().flatMap((r) => r.involvedPeople);
  const holderIds = unique([...bySponsor.values(), ...byAddress.values()].flat().map((permit) => permit.personId));
  const withoutPassport = unique(parties.flatMap((party) => (party.passportKey ? [] : [party.id])));
  const [byPassport, named] = await Promise.all([
    lookUp(loaders.holderByPassportKey, [
      ...(employers instanceof GraphQLError ? [] : employers).flatMap((employer) =>
        (employer.workPermits ?? []).map((permit) => permit.workerPassportKey),
      ),
      ...parties.flatMap((party) => (party.passportKey ? [party.passportKey] : [])),
    ]),
    // Records without passport are whoever entity resolution linked them to (identity.ts).
    loaders.personsNamed
      .loadMany([...holderIds.map((id) => ({ id })), ...withoutPassport.map((record) => ({ record }))])
      .then((rows) => rows.map(rowsOrThrow)),
  ]);
  const byId = new Map(holderIds.map((id, index) => [id, named[index]]));
  const byRecord = new Map(withoutPassport.map((id, index) => [id, named[holderIds.length + index]]));
  const identify = (party: Party) => (party.passportKey ? byPassport.get(party.passportKey) : byRecord.get(party.id));

  // 4. Each person's links, in memory.
  return requests.map(({ person, kinds }, index) => {
    const links: PersonLink[] = [];
    const missing: GraphQLError[] = [];
    if (kinds.includes(LinkKind.SAME_EMPLOYER)) {
      if (employers instanceof GraphQLError) missing.push(employers);
      else
        for (const employer of employersOfPerson(employers, keysOf.get(person.id)!)) {
          const record = `${employer.name} (NIB ${employer.nib})`;
          const workers = known((employer.workPermits ?? []).map((permit) => byPassport.get(permit.workerPassportKey)));
          for (const other of workers) links.push(link(LinkKind.SAME_EMPLOYER, record, 'manpower', other));
        }
    }
    if (kinds.includes(LinkKind.SAME_POLICE_REPORT)) {
      if (reports instanceof GraphQLError) missing.push(reports);
      else
        for (const report of reports.get(person.id) ?? [])
          for (const other of known(report.involvedPeople.map(identify)))
            links.push(link(LinkKind.SAME_POLICE_REPORT, report.reportNumber, 'police', other));
    }
    if (kinds.includes(LinkKind.SAME_SPONSOR))
      for (const sponsor of sponsorsOf[index]) {
        const decoded = sponsorKey.decode(sponsor);
        const holders = known((bySponsor.get(sponsor) ?? []).map((permit) => byId.get(permit.personId)));
        for (const other of holders)
          links.push(link(LinkKind.SAME_SPONSOR, decoded.nib ?? decoded.name, 'immigration', other));
      }
    if (kinds.includes(LinkKind.SAME_ADDRESS))
      for (const address of addressesOf[index]) {
        const holders = known((byAddress.get(address) ?? []).map((permit) => byId.get(permit.personId)));
        for (const other of holders) links.push(link(LinkKind.SAME_ADDRESS, address, 'immigration', other));
      }
    return { links, missing };
  });
}

/** One call to manpower for every worker key of the batch. */
async function employersOf(context: Context, keys: string[]): Promise<Employer[]> {
  if (keys.length === 0) return [];
  const { employersOfWorkers } = await askPeer<{ employersOfWorkers: Employer[] }>(
    context,
    MANPOWER,
    EMPLOYERS_OF_WORKERS,
    { keys },
    { missing: 'links through shared employers', timeoutMs: PEER_TIMEOUT_MS },
  );
  return employersOfWorkers;
}

/** A person's employers, the one of their newest RPTKA first (as their workPermits are ordered). */
function employersOfPerson(employers: Employer[], keys: string[]): Employer[] {
  const own = new Set(keys);
  return employers
    .flatMap((employer) => {
      const dates = (employer.workPermits ?? [])
        .filter((permit) => own.has(permit.workerPassportKey))
        .map((permit) => permit.validFrom);
      return dates.length ? [{ employer, newest: dates.reduce((a, b) => (b > a ? b : a)) }] : [];
    })
    .sort((a, b) => b.newest.localeCompare(a.newest))
    .map(({ employer }) => employer);
}

/** One call to police for the batch: its own matching of each person, by passports and identity. */
async function reportsOf(
  context: Context,
  persons: ForeignNational[],
  keysOf: Map<string, string[]>,
): Promise<Map<string, Report[]>> {
  const links = (await context.loaders.linksByPerson.loadMany(persons.map((person) => person.id))).map(rowsOrThrow);
  const found = await askPeerEntities<{ policeReports: { report: Report }[] | null }>(
    context,
    POLICE,
    'ForeignNational',
    persons.map((person, index) => ({
      id: person.id,
      passportKeys: keysOf.get(person.id),
      identityLinks: links[index].map(identityLinkOf),
    })),
    REPORT_PARTIES,
    { missing: 'links through police reports', timeoutMs: PEER_TIMEOUT_MS },
  );
  return new Map(
    persons.map((person, index) => [person.id, (found[index]?.policeReports ?? []).map(({ report }) => report)]),
  );
}

/** Another agency's part, or its error (one naming the agency) to note; any other error fails the batch. */
async function agencyPart<T>(part: Promise<T>): Promise<T | GraphQLError> {
  try {
    return await part;
  } catch (error) {
    if (error instanceof GraphQLError && typeof error.extensions.agency === 'string') return error;
    throw error;
  }
}

async function groups<K>(loader: DataLoader<K, StayPermit[]>, keys: K[]): Promise<Map<K, StayPermit[]>> {
  const rows = await loader.loadMany(keys);
  return new Map(keys.map((key, index) => [key, rowsOrThrow(rows[index])]));
}

async function lookUp<K, V>(loader: DataLoader<K, V>, keys: K[]): Promise<Map<K, V>> {
  const distinct = unique(keys);
  const rows = await loader.loadMany(distinct);
  return new Map(distinct.map((key, index) => [key, rowsOrThrow(rows[index])]));
}

function rowsOrThrow<T>(rows: T | Error): T {
  if (rows instanceof Error) throw rows;
  return rows;
}

function known<T>(values: (T | null | undefined)[]): T[] {
  return values.filter((value): value is T => !!value);
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function link(kind: LinkKind, sharedRecord: string, agency: string, person: ForeignNational): PersonLink {
  return { kind, sharedRecord, agency, person };
}
