import { In } from 'typeorm';
import { PoliceReport } from '../subgraphs/police/entities/police-report';
import { ReportStatus } from '../subgraphs/police/enums';
import { startTestSystem, TestSystem } from './helpers/system';

const OPEN_FINDINGS = `query($filter: FindingFilter, $after: String) {
  findings(filter: $filter, first: 500, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id kind severity status detectedAt regency nationality employerNib consequence daysOver chargeRupiah
            evidence { agency record shows } subject { id nationality } }
  }
}`;

/** Findings computed through the gateway must be exactly the violations the demo data planted. */
describe('findings', () => {
  let t: TestSystem;
  let refresh: any;

  beforeAll(async () => {
    t = await startTestSystem();
    const response = await t.query(`mutation { refreshFindings { personsChecked open opened closed } }`);
    expect(response.errors).toBeUndefined();
    refresh = response.data.refreshFindings;
  });
  afterAll(() => t.stop());

  async function allFindings(filter: Record<string, unknown> = {}): Promise<any[]> {
    const nodes: any[] = [];
    let after: string | null = null;
    do {
      const { data, errors }: any = await t.query(OPEN_FINDINGS, { filter, after });
      expect(errors).toBeUndefined();
      nodes.push(...data.findings.nodes);
      after = data.findings.pageInfo.hasNextPage ? data.findings.pageInfo.endCursor : null;
    } while (after);
    return nodes;
  }
  const keys = (items: { kind: string; personId?: string; subject?: { id: string } }[]) =>
    items.map((item) => `${item.kind}:${item.personId ?? item.subject!.id}`).sort();

  it('finds exactly the planted violations: none missed, nothing on a clean person', async () => {
    const found = await allFindings();
    const planted = t.manifest.violations;
    expect(keys(found)).toEqual(keys(planted));
    expect(refresh).toMatchObject({
      personsChecked: t.manifest.persons,
      open: planted.length,
      opened: planted.length,
      closed: 0,
    });
    const byKind = Object.fromEntries(
      Object.keys(t.manifest.violationsByKind).map((kind) => [kind, found.filter((f) => f.kind === kind).length]),
    );
    console.log(
      `Findings per kind on the demo data: ${JSON.stringify(byKind)}; manifest: ${JSON.stringify(t.manifest.violationsByKind)}`,
    );
    expect(found.some((finding) => finding.subject.id === t.manifest.examples.cleanPerson.personId)).toBe(false);
  });

  it('gives every finding its evidence with source agency and record number, and the overstay consequence', async () => {
    const found = await allFindings();
    for (const finding of found) {
      expect(finding.evidence.length).toBeGreaterThan(0);
      for (const fact of finding.evidence) expect(fact.record).toBeTruthy();
      expect(finding.subject.nationality).toBe(finding.nationality);
    }
    const overstays = found.filter((finding) => finding.kind === 'OVERSTAY');
    for (const finding of overstays) {
      if (finding.daysOver <= 60) {
        expect(finding.chargeRupiah).toBe(finding.daysOver * 1_000_000);
        expect(finding.consequence).toMatch(/charge/i);
      } else {
        expect(finding.chargeRupiah).toBeNull();
        expect(finding.consequence).toMatch(/deportation/i);
      }
    }
    expect(overstays.some((f) => f.daysOver > 60) && overstays.some((f) => f.daysOver <= 60)).toBe(true);
    const suspect = found.find((finding) => finding.kind === 'SUSPECT_IN_OPEN_REPORT');
    expect(suspect.evidence[0].agency).toBe('POLICE');
    const misuse = found.find((finding) => finding.kind === 'VISIT_PERMIT_WORKING');
    expect(misuse.evidence.map((fact: any) => fact.agency).sort()).toEqual(['IMMIGRATION', 'MANPOWER']);
  });

  it('filters on the server by kind, regency, nationality and employer', async () => {
    const planted = t.manifest.violations;
    const ketapangOverstays = await allFindings({ kinds: ['OVERSTAY'], regency: 'Ketapang' });
    expect(keys(ketapangOverstays)).toEqual(
      keys(planted.filter((v: any) => v.kind === 'OVERSTAY' && v.regency === 'Ketapang')),
    );
    const chinese = await allFindings({ nationality: 'CHN' });
    expect(keys(chinese)).toEqual(keys(planted.filter((v: any) => v.nationality === 'CHN')));
    const withEmployer = planted.find((v: any) => v.employerNib)!;
    const atEmployer = await allFindings({ employerNib: withEmployer.employerNib });
    expect(atEmployer.every((finding) => finding.employerNib === withEmployer.employerNib)).toBe(true);
    expect(atEmployer.length).toBeGreaterThan(0);
  });

  it('filters by detection date', async () => {
    const found = await allFindings();
    const day = found[0].detectedAt.slice(0, 10);
    const dayBefore = new Date(Date.parse(day) - 86_400_000).toISOString().slice(0, 10);
    expect(found.every((finding) => finding.detectedAt.startsWith(day))).toBe(true);
    expect((await allFindings({ detectedFrom: day, detectedTo: day })).length).toBe(found.length);
    expect(await allFindings({ detectedTo: dayBefore })).toEqual([]);
  });

  it('keeps findings stable on a second refresh and closes, without deleting, one that no longer holds', async () => {
    const again = await t.query(`mutation { refreshFindings { open opened closed } }`);
    expect(again.data.refreshFindings).toEqual({ open: refresh.open, opened: 0, closed: 0 });

    const suspect = (await allFindings({ kinds: ['SUSPECT_IN_OPEN_REPORT'] }))[0];
    const reportNumbers = suspect.evidence.map((fact: any) => fact.record);
    await t
      .subgraph('police')
      .db.getRepository(PoliceReport)
      .update({ reportNumber: In(reportNumbers) }, { status: ReportStatus.CLOSED });
    const after = await t.query(`mutation { refreshFindings { open opened closed } }`);
    expect(after.data.refreshFindings).toMatchObject({ closed: 1, opened: 0, open: refresh.open - 1 });
    const closed = await allFindings({ status: 'CLOSED' });
    expect(closed.map((finding) => finding.id)).toContain(suspect.id);
  });

  it('shows a person’s open findings on the person', async () => {
    const violation = t.manifest.violations[0];
    const { data } = await t.query(`query($id: ID!) { foreignNational(id: $id) { findings { kind } } }`, {
      id: violation.personId,
    });
    expect(data.foreignNational.findings.map((finding: any) => finding.kind)).toContain(violation.kind);
  });

  it('refuses malformed filters with BAD_USER_INPUT', async () => {
    for (const filter of [{ nationality: 'Chinese' }, { employerNib: '12' }, { regency: '' }]) {
      const response = await t.query(OPEN_FINDINGS, { filter });
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
