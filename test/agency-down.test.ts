import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, isNonNullType, Kind, OperationDefinitionNode, parse, print } from 'graphql';
import { readExample, startTestSystem, TestSystem } from './helpers/system';

/** Every ready-made operation of examples/, by name. */
const OPERATIONS = Object.fromEntries(
  ['full-view.graphql', 'analyst-tasks.graphql'].flatMap((file) =>
    parse(readExample(file))
      .definitions.filter(
        (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
      )
      .map((operation) => [operation.name!.value, print(operation)]),
  ),
);

const AGENCIES = ['immigration', 'manpower', 'police', 'oversight'] as const;
type Agency = (typeof AGENCIES)[number];

/** Which agency owns each operation's root field: with it down there is nothing to answer from. */
const ROOT_OWNER: Record<string, Agency> = {
  FullViewByPassport: 'immigration',
  PermitFigures: 'immigration',
  OverstaysInKetapang: 'oversight',
  PermitMisuse: 'oversight',
  RefreshFindings: 'oversight',
  OpenCase: 'oversight',
  DecideCase: 'oversight',
  CloseCase: 'oversight',
  LinksAndTimeline: 'immigration',
  WhoCouldThisBe: 'immigration',
  IdentityReviewQueue: 'immigration',
};

/**
 * The day an agency is down is the day analysts need the system most: every example operation
 * still returns what the other agencies hold, and the errors name the missing agency.
 */
describe.each(AGENCIES)('with %s down', (down) => {
  let t: TestSystem;
  const variables: Record<string, Record<string, unknown>> = {};

  beforeAll(async () => {
    t = await startTestSystem({ persons: 300 });
    const example = t.manifest.examples.renewedPassport;
    await t.query('mutation { refreshFindings { open } }');
    const { data } = await t.query('{ findings(first: 2) { nodes { id } } }');
    const opened = await t.query(OPERATIONS.OpenCase, { findingIds: [data.findings.nodes[0].id] });
    variables.FullViewByPassport = { ...example.currentPassport };
    variables.LinksAndTimeline = { id: example.personId };
    const { fullName, nationality } = t.manifest.examples.nameOnlyPoliceMatch;
    variables.WhoCouldThisBe = { fullName, nationality };
    variables.OpenCase = { findingIds: [data.findings.nodes[1].id] };
    variables.DecideCase = {
      caseId: opened.data.openCase.id,
      amountRupiah: 12_000_000,
      reason: 'Reduced at the case review: part of the stay was covered by an extension filed on time',
    };
    variables.CloseCase = { caseId: opened.data.openCase.id };
    await t.subgraph(down).stop();
  });
  afterAll(() => t.stop());

  it.each(Object.keys(ROOT_OWNER))('%s returns what the others hold and names %s', async (name) => {
    const { status, data, errors } = await t.query(OPERATIONS[name], variables[name] ?? {});
    expect(status).toBe(200);
    const codes = (errors ?? []).map((error) => error.extensions?.code);
    if (name === 'RefreshFindings' && down !== 'oversight') {
      // A refresh that cannot read every agency closes nothing: it says so and changes nothing.
      expect(codes).toEqual(['REFRESH_INCOMPLETE']);
      expect(errors![0].message).toMatch(/unavailable/);
      return;
    }
    for (const error of errors ?? [])
      expect(error.extensions).toMatchObject({ code: 'AGENCY_UNAVAILABLE', agency: down });
    const root = data && Object.values(data)[0];
    if (ROOT_OWNER[name] === down) {
      expect(root ?? null).toBeNull();
      expect(errors?.length).toBeGreaterThan(0);
    } else expect(root).not.toBeNull();
  });
});

describe('the schema keeps partial answers possible', () => {
  it('makes every root query field nullable, so one agency down never nulls another’s part of an answer', () => {
    const supergraph = readFileSync(path.join(__dirname, '..', 'schema', 'supergraph.graphql'), 'utf8');
    const query = buildSchema(supergraph, { assumeValidSDL: true }).getQueryType()!;
    const clientFields = Object.values(query.getFields()).filter(
      (field) => !field.astNode?.directives?.some((directive) => directive.name.value === 'inaccessible'),
    );
    const nonNull = clientFields.filter((field) => isNonNullType(field.type));
    expect(nonNull.map((field) => field.name)).toEqual([]);
  });
});
