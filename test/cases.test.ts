import { startTestSystem, TestSystem } from './helpers/system';

const CASE = `id title status assignee openedBy decision decisionAmountRupiah decisionLegalBasis
  findings { id kind subject { id } } notes { actor details } history { at actor action details }`;

describe('cases', () => {
  let t: TestSystem;
  let findingIds: string[];

  beforeAll(async () => {
    t = await startTestSystem({ persons: 400 });
    await t.query(`mutation { refreshFindings { open } }`);
    const { data } = await t.query(`{ findings(first: 10, filter: { kinds: [OVERSTAY] }) { nodes { id } } }`);
    findingIds = data.findings.nodes.map((node: any) => node.id);
    expect(findingIds.length).toBeGreaterThan(0);
  });
  afterAll(() => t.stop());

  const caseCount = async () => (await t.query(`{ cases { totalCount } }`)).data.cases.totalCount;

  it('opens a case from findings, assigns it, takes notes, records a decision and closes it, keeping every change', async () => {
    const opened = await t.query(`mutation($input: OpenCaseInput!) { openCase(input: $input) { ${CASE} } }`, {
      input: { title: 'Overstay, PT Example smelter', findingIds: findingIds.slice(0, 1) },
    });
    expect(opened.errors).toBeUndefined();
    const id = opened.data.openCase.id;
    expect(opened.data.openCase).toMatchObject({ status: 'OPEN', findings: [{ id: findingIds[0], kind: 'OVERSTAY' }] });

    await t.query(`mutation { assignCase(caseId: "${id}", assignee: "analyst.ketapang") { id } }`);
    await t.query(`mutation { addCaseNote(caseId: "${id}", text: "Gelar kasus set for Monday") { id } }`);
    const decided = await t.query(
      `mutation($id: ID!) { decideCase(caseId: $id, decision: { kind: CHARGE, amountRupiah: 12000000, legalBasis: "UU 6/2011 art. 78(2)" }) { ${CASE} } }`,
      { id },
    );
    expect(decided.errors).toBeUndefined();
    expect(decided.data.decideCase).toMatchObject({
      status: 'DECIDED',
      assignee: 'analyst.ketapang',
      decision: 'CHARGE',
      decisionAmountRupiah: 12000000,
      notes: [{ details: 'Gelar kasus set for Monday' }],
    });
    const closed = await t.query(`mutation { closeCase(caseId: "${id}") { ${CASE} } }`);
    const history = closed.data.closeCase.history;
    expect(history.map((event: any) => event.action)).toEqual([
      'OPENED',
      'ASSIGNED',
      'NOTE_ADDED',
      'DECIDED',
      'CLOSED',
    ]);
    for (const event of history) {
      expect(event.actor).toBeTruthy();
      expect(Date.parse(event.at)).not.toBeNaN();
    }
  });

  it('refuses an invalid transition with a clear error and changes nothing', async () => {
    const { data } = await t.query(`mutation($input: OpenCaseInput!) { openCase(input: $input) { id } }`, {
      input: { title: 'Second look', findingIds },
    });
    const id = data.openCase.id;
    await t.query(
      `mutation { decideCase(caseId: "${id}", decision: { kind: DISMISSED, legalBasis: "Not proven" }) { id } }`,
    );
    const before = await t.query(`{ case(id: "${id}") { ${CASE} } }`);

    const again = await t.query(
      `mutation { decideCase(caseId: "${id}", decision: { kind: DEPORTATION, legalBasis: "art. 75" }) { id } }`,
    );
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_TRANSITION' });
    await t.query(`mutation { closeCase(caseId: "${id}") { id } }`);
    const note = await t.query(`mutation { addCaseNote(caseId: "${id}", text: "late note") { id } }`);
    expect(note.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');

    const after = await t.query(`{ case(id: "${id}") { ${CASE} } }`);
    expect(after.data.case.decision).toBe(before.data.case.decision);
    expect(after.data.case.notes).toEqual([]);
  });

  it('refuses an unknown finding or a malformed decision without writing anything', async () => {
    const count = await caseCount();
    const unknown = await t.query(`mutation($input: OpenCaseInput!) { openCase(input: $input) { id } }`, {
      input: { title: 'Ghost', findingIds: [findingIds[0], '00000000-0000-4000-8000-000000000000'] },
    });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await caseCount()).toBe(count);

    const { data } = await t.query(`mutation($input: OpenCaseInput!) { openCase(input: $input) { id } }`, {
      input: { title: 'Charge', findingIds },
    });
    const noAmount = await t.query(
      `mutation { decideCase(caseId: "${data.openCase.id}", decision: { kind: CHARGE, legalBasis: "art. 78" }) { id } }`,
    );
    expect(noAmount.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const still = await t.query(`{ case(id: "${data.openCase.id}") { status history { action } } }`);
    expect(still.data.case).toEqual({ status: 'OPEN', history: [{ action: 'OPENED' }] });
  });
});
