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
import {
  immigrationEvents,
  oversightEvents,
  policeEvents,
  PoliceRecords,
  TimelineEventKind,
  workEvents,
  WorkRecord,
} from '../timeline';

type Context = SubgraphContext<OversightLoaders>;

@ObjectType({ description: 'One dated event in a person’s life as the agencies recorded it.' })
export class TimelineEvent {
  @Field(() => DateTimeISOResolver)
  at: string;

  @Field(() => SourceAgency, { nullable: true, description: 'Null for TIMPORA’s own findings and cases.' })
  agency: SourceAgency | null;

  @Field(() => TimelineEventKind)
  kind: TimelineEventKind;

  @Field({ description: 'The record: permit, passport, RPTKA, report or registration number, checkpoint, case id.' })
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
  'passports { number country issuedOn expiresOn }',
  'stayPermits { permitNumber kind validFrom validUntil status }',
  'administrativeActions { kind decidedOn reason }',
  'passportKeys identityLinks',
].join(' ');

const MANPOWER: Peer = { name: 'manpower', label: 'Manpower (Kemnaker)' };
const POLICE: Peer = { name: 'police', label: 'Police (Polri)' };

/** The gateway waits up to 10 minutes for oversight (refreshFindings): a peer that hangs costs its events only. */
const PEER_TIMEOUT_MS = 4000;

export const WORK_EVENTS = 'workPermits { rptkaNumber validFrom validUntil employer { name } }';
export const POLICE_EVENTS =
  'policeReports { role report { reportNumber occurredAt category } } ' +
  'registrations { registrationNumber reportedBy regency checkIn checkOut }';

interface EventSources {
  work: DataLoader<ForeignNational, WorkRecord[], string>;
  police: DataLoader<ForeignNational, PoliceRecords, string>;
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
      police: new DataLoader(async (persons) => {
        const found = await askPeerEntities<Partial<PoliceRecords> | null>(
          context,
          POLICE,
          'ForeignNational',
          persons.map(({ id, passportKeys, identityLinks }) => ({ id, passportKeys, identityLinks })),
          POLICE_EVENTS,
          { missing: 'police reports and registrations in the timeline', timeoutMs: PEER_TIMEOUT_MS },
        );
        return found.map((entity) => ({
          policeReports: entity?.policeReports ?? [],
          registrations: entity?.registrations ?? [],
        }));
      }, byId),
    };
    perRequest.set(context, sources);
  }
  return sources;
}

@Authorized(READERS.oversight)
@Resolver(() => ForeignNational)
export class TimelineResolver {
  @FieldResolver(() => [TimelineEvent], {
    nullable: true,
    description:
      'Events from every agency and TIMPORA’s findings and cases, oldest first (TimelineEventKind lists them). An ' +
      'agency that does not answer costs only its events, with an error naming it.',
  })
  @Directive(`@requires(fields: "${TIMELINE_INPUT}")`)
  async timeline(
    @Root() person: ForeignNational,
    @Ctx() context: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<TimelineEvent[]> {
    const { loaders, clock } = context;
    const sources = eventSources(context);
    const noPoliceRecords: PoliceRecords = { policeReports: [], registrations: [] };
    const [workPermits, police, findings, milestones] = await Promise.all([
      orMissing(context, info, sources.work.load(person), []),
      orMissing(context, info, sources.police.load(person), noPoliceRecords),
      loaders.findingsByPerson.load(person.id),
      loaders.caseMilestonesByPerson.load(person.id),
    ]);
    const events = [
      ...immigrationEvents(person, clock.today()),
      ...workEvents(workPermits),
      ...policeEvents(police),
      ...oversightEvents(findings, milestones),
    ];
    return events.sort((a, b) => a.at.localeCompare(b.at));
  }
}
