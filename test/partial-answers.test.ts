import { SubgraphName } from '../subgraphs';
import { nameInReport } from './helpers/co-involved';
import { GraphQLResponse, startTestSystem, TestSystem } from './helpers/system';

const LINKS = `query($id: ID!) {
  foreignNational(id: $id) { id links { kind sharedRecord agency person { id } } }
  foreignNationals(first: 100) { nodes { id links { kind sharedRecord agency person { id } } } }
}`;

const TIMELINE = `query($id: ID!) { foreignNational(id: $id) { id timeline { at agency kind record summary } } }`;

/** What each agency contributes: its links (PersonLink.agency) and its timeline events (TimelineEvent.agency). */
const LABELS: Record<string, RegExp> = { manpower: /Manpower/, police: /Police/ };

function onlyError(response: GraphQLResponse, agency: string) {
  expect(response.status).toBe(200);
  expect(response.errors).toHaveLength(1);
  expect(response.errors![0].extensions).toMatchObject({ code: 'AGENCY_UNAVAILABLE', agency });
  return response.errors![0];
}

/**
 * Links and timelines hold several agencies' records: one agency down costs its own entries and
 * one AGENCY_UNAVAILABLE error naming it, never the field.
 */
describe('links and timeline when one agency is down', () => {
  let t: TestSystem;
  let personId: string;
  /** A working suspect: immigration's, manpower's and police's records and a finding of oversight's. */
  let suspectId: string;
  let before: { links: any; timeline: any };

  async function startAndRead() {
    t = await startTestSystem({ persons: 400 });
    await t.query(`mutation { refreshFindings { open } }`);
    const { renewedPassport, cleanPerson, nameOnlyPoliceMatch } = t.manifest.examples;
    personId = renewedPassport.personId;
    suspectId = nameOnlyPoliceMatch.personId;
    await nameInReport(t, renewedPassport.reportNumber, {
      byPassport: cleanPerson.personId,
      byIdentity: nameOnlyPoliceMatch.personId,
    });
    const links = await t.query(LINKS, { id: personId });
    const timeline = await t.query(TIMELINE, { id: suspectId });
    expect(links.errors).toBeUndefined();
    expect(timeline.errors).toBeUndefined();
    before = { links: links.data, timeline: timeline.data };
  }

  afterEach(() => t?.stop());

  it.each(['manpower', 'police'] as const)(
    'with %s down, links and timeline keep every other agency’s entries and carry one error naming it',
    async (agency: SubgraphName) => {
      await startAndRead();
      const linksOf = (data: any) => [
        ...data.foreignNational.links,
        ...data.foreignNationals.nodes.flatMap((node: any) => node.links),
      ];
      // The person has links and events of every agency, so each outage takes something away.
      expect(new Set(linksOf(before.links).map((link: any) => link.agency))).toEqual(
        new Set(['manpower', 'police', 'immigration']),
      );
      const sources = new Set(before.timeline.foreignNational.timeline.map((event: any) => event.agency));
      for (const source of ['IMMIGRATION', 'MANPOWER', 'POLICE', null]) expect(sources.has(source)).toBe(true);

      await t.subgraph(agency).stop();

      const links = await t.query(LINKS, { id: personId });
      const linksError = onlyError(links, agency);
      expect(linksError.message).toMatch(LABELS[agency]);
      expect(linksError.path?.at(-1)).toBe('links');
      const keep = (link: any) => link.agency !== agency;
      expect(links.data.foreignNational).toEqual({
        ...before.links.foreignNational,
        links: before.links.foreignNational.links.filter(keep),
      });
      expect(links.data.foreignNationals.nodes).toEqual(
        before.links.foreignNationals.nodes.map((node: any) => ({ ...node, links: node.links.filter(keep) })),
      );

      const timeline = await t.query(TIMELINE, { id: suspectId });
      const timelineError = onlyError(timeline, agency);
      expect(timelineError.message).toMatch(LABELS[agency]);
      expect(timelineError.path).toEqual(['foreignNational', 'timeline']);
      expect(timeline.data.foreignNational.timeline).toEqual(
        before.timeline.foreignNational.timeline.filter((event: any) => event.agency !== agency.toUpperCase()),
      );
    },
  );

  it('with oversight down, links stand and the timeline is null with one error naming oversight', async () => {
    await startAndRead();
    await t.subgraph('oversight').stop();
    const links = await t.query(LINKS, { id: personId });
    expect(links.errors).toBeUndefined();
    expect(links.data).toEqual(before.links);
    const timeline = await t.query(TIMELINE, { id: suspectId });
    onlyError(timeline, 'oversight');
    expect(timeline.data.foreignNational).toEqual({ id: suspectId, timeline: null });
  });

  it('with immigration down, the person itself is missing, with one error naming immigration', async () => {
    await startAndRead();
    await t.subgraph('immigration').stop();
    for (const query of [LINKS, TIMELINE]) {
      const response = await t.query(query, { id: personId });
      onlyError(response, 'immigration');
      // foreignNationals is non-null, so without immigration the whole links answer is null.
      expect(response.data?.foreignNational ?? null).toBeNull();
    }
  });
});
