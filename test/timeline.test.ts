import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, GraphQLEnumType } from 'graphql';
import { schemaFile } from '../tools/compose';
import { TIMELINE_EVENT_KINDS } from '../subgraphs/oversight/timeline';
import { startTestSystem, TestSystem } from './helpers/system';

const TIMELINE = `query($id: ID!) { foreignNational(id: $id) { timeline { at agency kind record summary } } }`;

/** The kinds README.md's "Timeline event kinds" table lists, in its order. */
function documentedKinds(): string[] {
  const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const section = readme.split(/^#### Timeline event kinds$/m)[1]?.split(/^#/m)[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1].matchAll(/`([A-Z_]+)`/g)].map((match) => match[1]));
}

describe('a person’s timeline across agencies', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ persons: 400 });
    await t.query(`mutation { refreshFindings { open } }`);
  });
  afterAll(() => t.stop());

  it('merges crossings, permits, work authorisations, police reports and findings in time order, each with its source', async () => {
    const renewed = t.manifest.examples.renewedPassport;
    const { data, errors } = await t.query(
      `query($id: ID!) { foreignNational(id: $id) { timeline { at agency kind record summary } } }`,
      { id: renewed.personId },
    );
    expect(errors).toBeUndefined();
    const timeline = data.foreignNational.timeline;
    const ats = timeline.map((event: any) => event.at);
    expect(ats).toEqual([...ats].sort());
    const agencies = new Set(timeline.map((event: any) => event.agency));
    for (const agency of ['IMMIGRATION', 'MANPOWER', 'POLICE']) expect(agencies.has(agency)).toBe(true);
    expect(timeline).toContainEqual(expect.objectContaining({ agency: 'MANPOWER', record: renewed.rptkaNumber }));
    expect(timeline).toContainEqual(expect.objectContaining({ agency: 'POLICE', record: renewed.reportNumber }));
  });

  it('includes the person’s findings', async () => {
    const violation = t.manifest.violations[0];
    const { data } = await t.query(`query($id: ID!) { foreignNational(id: $id) { timeline { agency kind record } } }`, {
      id: violation.personId,
    });
    expect(data.foreignNational.timeline).toContainEqual({ agency: null, kind: 'FINDING', record: violation.kind });
  });

  it('shows passport renewals and presence registrations, passport numbers masked without the pii clearance', async () => {
    const renewed = t.manifest.examples.renewedPassport;
    const { data, errors } = await t.query(TIMELINE, { id: renewed.personId });
    expect(errors).toBeUndefined();
    const timeline = data.foreignNational.timeline;
    expect(timeline).toContainEqual(
      expect.objectContaining({ agency: 'IMMIGRATION', kind: 'PASSPORT_ISSUED', record: renewed.oldPassport.number }),
    );
    const renewal = timeline.find((event: any) => event.kind === 'PASSPORT_RENEWED');
    expect(renewal).toMatchObject({ agency: 'IMMIGRATION', record: renewed.currentPassport.number });
    expect(renewal.summary).toContain(renewed.oldPassport.number);
    expect(timeline).toContainEqual(
      expect.objectContaining({ agency: 'POLICE', kind: 'PRESENCE_REGISTERED', record: renewed.registrationNumber }),
    );

    const masked = (await t.as({ roles: ['analyst'], pii: false })(TIMELINE, { id: renewed.personId })).data;
    const maskedRenewal = masked.foreignNational.timeline.find((event: any) => event.kind === 'PASSPORT_RENEWED');
    expect(maskedRenewal.record).not.toBe(renewed.currentPassport.number);
    expect(maskedRenewal.record.endsWith(renewed.currentPassport.number.slice(-2))).toBe(true);
    expect(maskedRenewal.summary).not.toContain(renewed.oldPassport.number);
  });

  it('shows the cases of the person’s findings: opened, decided and closed', async () => {
    const { data } = await t.query(`{ findings(first: 1) { nodes { id subject { id } } } }`);
    const [finding] = data.findings.nodes;
    const opened = await t.query(
      `mutation($ids: [ID!]!) { openCase(input: { title: "Timeline review", findingIds: $ids }) { id } }`,
      {
        ids: [finding.id],
      },
    );
    const caseId = opened.data.openCase.id;
    await t.query(`mutation($id: ID!) { addCaseNote(caseId: $id, text: "internal note") { id } }`, { id: caseId });
    await t.query(
      `mutation($id: ID!) { decideCase(caseId: $id, decision: { kind: DISMISSED, legalBasis: "Not proven" }) { id } }`,
      {
        id: caseId,
      },
    );
    await t.query(`mutation($id: ID!) { closeCase(caseId: $id) { id } }`, { id: caseId });

    const timeline = (await t.query(TIMELINE, { id: finding.subject.id })).data.foreignNational.timeline;
    const caseEvents = timeline.filter((event: any) => event.record === caseId);
    expect(caseEvents.map((event: any) => [event.agency, event.kind])).toEqual([
      [null, 'CASE_OPENED'],
      [null, 'CASE_DECIDED'],
      [null, 'CASE_CLOSED'],
    ]);
    expect(caseEvents[1].summary).toMatch(/Timeline review: DISMISSED/);
    expect(caseEvents[2].summary).toMatch(/DISMISSED/);
  });

  it('names its event kinds once: the schema’s TimelineEventKind is the list, and README.md lists exactly it', () => {
    const supergraph = buildSchema(readFileSync(schemaFile('supergraph'), 'utf8'), { assumeValidSDL: true });
    const kinds = (supergraph.getType('TimelineEventKind') as GraphQLEnumType).getValues().map((value) => value.name);
    expect(kinds).toEqual(Object.keys(TIMELINE_EVENT_KINDS));
    expect(documentedKinds()).toEqual(kinds);
    for (const kind of ['PERMIT_STARTED', 'PERMIT_ENDED', 'PASSPORT_RENEWED', 'PRESENCE_REGISTERED', 'CASE_DECIDED'])
      expect(kinds).toContain(kind);
    expect(kinds).not.toContain('PERMIT_ISSUED');
  });

  it('reads a page of timelines with a bounded number of statements per subgraph', async () => {
    const count = async (first: number) => {
      t.subgraph('oversight').statements.reset();
      const { errors } = await t.query(
        `query($first: Int!) { foreignNationals(first: $first) { nodes { timeline { kind } } } }`,
        { first },
      );
      expect(errors).toBeUndefined();
      return t.subgraph('oversight').statements.count;
    };
    expect(await count(100)).toBe(await count(10));
  });
});
