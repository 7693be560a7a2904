import { READERS } from '../../shared/access';
import { Authorized, Ctx, Directive, Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { SubgraphContext } from '../../shared/subgraph';
import { SourceAgency } from '../enums';
import { ForeignNational } from '../external';
import { OversightLoaders } from '../loaders';

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

const TIMELINE_INPUT = [
  'crossings { direction crossedAt checkpoint }',
  'stayPermits { permitNumber kind validFrom validUntil status }',
  'administrativeActions { kind decidedOn reason }',
  'workPermits { rptkaNumber validFrom validUntil employer { name } }',
  'policeReports { role report { reportNumber occurredAt category } }',
].join(' ');

const day = (date: string) => `${date}T00:00:00.000Z`;

@Authorized(READERS.oversight)
@Resolver(() => ForeignNational)
export class TimelineResolver {
  @FieldResolver(() => [TimelineEvent], {
    nullable: true,
    description: 'Events from every agency and TIMPORA’s findings, oldest first.',
  })
  @Directive(`@requires(fields: "${TIMELINE_INPUT}")`)
  async timeline(
    @Root() person: ForeignNational,
    @Ctx() { loaders, clock }: SubgraphContext<OversightLoaders>,
  ): Promise<TimelineEvent[]> {
    const today = clock.today();
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
      ...(person.workPermits ?? []).map((w) => ({
        at: day(w.validFrom),
        agency: SourceAgency.MANPOWER,
        kind: 'RPTKA_STARTED',
        record: w.rptkaNumber,
        summary: `Work at ${w.employer.name} until ${w.validUntil}`,
      })),
      ...(person.policeReports ?? []).map((r) => ({
        at: r.report.occurredAt,
        agency: SourceAgency.POLICE,
        kind: 'POLICE_REPORT',
        record: r.report.reportNumber,
        summary: `${r.role.toLowerCase()} — ${r.report.category}`,
      })),
      ...(await loaders.findingsByPerson.load(person.id)).map((f) => ({
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
