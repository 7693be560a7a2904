import { READERS } from '../../shared/access';
import DataLoader from 'dataloader';
import { GraphQLResolveInfo } from 'graphql';
import { Authorized, Ctx, Directive, Field, FieldResolver, Info, ObjectType, Resolver, Root } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { askPeerEntities, Peer } from '../../shared/gateway-client';
import { orMissing, SubgraphContext } from '../../shared/subgraph';
import { SourceAgency } from '../enums';
import { ForeignNational } from '../external';
import { OversightLoaders } from '../loaders';

type Context = SubgraphContext<OversightLoaders>;

@ObjectType({ description: 'One dated event in a person’s life as the agencies recorded it.' })
export class TimelineEvent {
  @Field(() => DateTimeISOResolver)
  at: string;

  @Field(() => SourceAgency, { nullable: true, description: 'Null for TIMPORA’s own findings.' })
  agency: SourceAgency | null;

  @Field({ description: 'e.g. ENTRY, PERMIT_ISSUED, PERMIT_EXPIRED, RPTKA_STARTED, POLICE_REPORT, FINDING.' })
  kind: string;

  @Field({ description: 'The record: permit, RPTKA or report number, checkpoint.' })
  record: string;

  @Field()
  summary: string;
}

/*
 * Why immigration's records come by @requires and the others' by peer calls: @apollo/gateway builds
 * an entity's representation only when every @required field is there (executeSelectionSet in
 * executeQueryPlan.js returns null as soon as one is missing, and such an entity is not sent), and
 * when an owner's fetch fails its fields are missing. A @requires on manpower's or police's fields
 * would null the whole timeline whenever either is down. Immigration owns the person (its outage
 * takes the person itself away), so its fields, with the match keys, stay @required; oversight asks
 * manpower and police itself, one call each per request batch (the same `_entities` resolution the
 * gateway would use, so their own matching and READERS answer for the user), and an agency that
 * does not answer costs only its events, with one error naming it.
 */
const TIMELINE_INPUT = [
  'crossings { direction crossedAt checkpoint }',
  'stayPermits { permitNumber kind validFrom validUntil status }',
  'administrativeActions { kind decidedOn reason }',
  'passportKeys identityKey',
].join(' ');

const MANPOWER: Peer = { name: 'manpower', label: 'Manpower (Kemnaker)' };
const POLICE: Peer = { name: 'police', label: 'Police (Polri)' };

/** The gateway waits up to 10 minutes for oversight (refreshFindings): a peer that hangs costs its events only. */
const PEER_TIMEOUT_MS = 4000;

export const WORK_EVENTS = 'workPermits { rptkaNumber validFrom validUntil employer { name } }';
export const POLICE_EVENTS = 'policeReports { role report { reportNumber occurredAt category } }';

interface WorkRecord {
  rptkaNumber: string;
  validFrom: string;
  validUntil: string;
  employer: { name: string };
}

interface PoliceRecord {
  role: string;
  report: { reportNumber: string; occurredAt: string; category: string };
}

interface EventSources {
  work: DataLoader<ForeignNational, WorkRecord[], string>;
  reports: DataLoader<ForeignNational, PoliceRecord[], string>;
}

const perRequest = new WeakMap<Context, EventSources>();

/** This request's loaders: one peer call per agency for all the timelines of a batch. */
function eventSources(context: Context): EventSources {
  let sources = perRequest.get(context);
  if (!sources) {
    const byId = { cacheKeyFn: (person: ForeignNational) => person.id };
    sources = {
      work: new DataLoader(async (persons) => {
        const found = await askPeerEntities<{ workPermits: WorkRecord[] | null }>(
          context,
          MANPOWER,
          'ForeignNational',
          persons.map(({ id, passportKeys }) => ({ id, passportKeys })),
          WORK_EVENTS,
          { missing: 'work authorisations (RPTKA) in the timeline', timeoutMs: PEER_TIMEOUT_MS },
        );
        return found.map((entity) => entity?.workPermits ?? []);
      }, byId),
      reports: new DataLoader(async (persons) => {
        const found = await askPeerEntities<{ policeReports: PoliceRecord[] | null }>(
          context,
          POLICE,
          'ForeignNational',
          persons.map(({ id, passportKeys, identityKey }) => ({ id, passportKeys, identityKey })),
          POLICE_EVENTS,
          { missing: 'police reports in the timeline', timeoutMs: PEER_TIMEOUT_MS },
        );
        return found.map((entity) => entity?.policeReports ?? []);
      }, byId),
    };
    perRequest.set(context, sources);
  }
  return sources;
}

const day = (date: string) => `${date}T00:00:00.000Z`;

@Authorized(READERS.oversight)
@Resolver(() => ForeignNational)
export class TimelineResolver {
  @FieldResolver(() => [TimelineEvent], {
    nullable: true,
    description:
      'Events from every agency and TIMPORA’s findings, oldest first. An agency that does not answer costs only ' +
      'its events, with an error naming it.',
  })
  @Directive(`@requires(fields: "${TIMELINE_INPUT}")`)
  async timeline(
    @Root() person: ForeignNational,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<TimelineEvent[]> {
    const { loaders, clock } = context;
    const today = clock.today();
    const sources = eventSources(context);
    const [workPermits, policeReports, findings] = await Promise.all([
      orMissing(context, info, sources.work.load(person), []),
      orMissing(context, info, sources.reports.load(person), []),
      loaders.findingsByPerson.load(person.id),
    ]);
    const events: TimelineEvent[] = [
      ...(person.crossings ?? []).map((c) => ({
        at: c.crossedAt,
        agency: SourceAgency.IMMIGRATION,
        kind: c.direction,
        record: c.checkpoint,
        summary: `${c.direction === 'ENTRY' ? 'Entered' : 'Left'} at ${c.checkpoint}`,
      })),
      ...(person.stayPermits ?? []).flatMap((p) => [
        {
          at: day(p.validFrom),
          agency: SourceAgency.IMMIGRATION,
          kind: 'PERMIT_STARTED',
          record: p.permitNumber,
          summary: `${p.kind} stay permit valid until ${p.validUntil}`,
        },
        ...(p.validUntil < today
          ? [
              {
                at: day(p.validUntil),
                agency: SourceAgency.IMMIGRATION,
                kind: 'PERMIT_ENDED',
                record: p.permitNumber,
                summary: `${p.kind} stay permit ended (${p.status.toLowerCase()})`,
              },
            ]
          : []),
      ]),
      ...(person.administrativeActions ?? []).map((a) => ({
        at: day(a.decidedOn),
        agency: SourceAgency.IMMIGRATION,
        kind: a.kind,
        record: a.kind,
        summary: a.reason,
      })),
      ...workPermits.map((w) => ({
        at: day(w.validFrom),
        agency: SourceAgency.MANPOWER,
        kind: 'RPTKA_STARTED',
        record: w.rptkaNumber,
        summary: `Work at ${w.employer.name} until ${w.validUntil}`,
      })),
      ...policeReports.map((r) => ({
        at: r.report.occurredAt,
        agency: SourceAgency.POLICE,
        kind: 'POLICE_REPORT',
        record: r.report.reportNumber,
        summary: `${r.role.toLowerCase()} — ${r.report.category}`,
      })),
      ...findings.map((f) => ({
        at: f.detectedAt,
        agency: null,
        kind: 'FINDING',
        record: f.kind,
        summary: `${f.kind} (${f.status.toLowerCase()})`,
      })),
    ];
    return events.sort((a, b) => a.at.localeCompare(b.at));
  }
}
