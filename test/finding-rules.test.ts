import { readFileSync } from 'node:fs';
import {
  buildSchema,
  FieldNode,
  GraphQLEnumType,
  OperationDefinitionNode,
  parse,
  SelectionSetNode,
  validate,
} from 'graphql';
import { FINDINGS_INPUT } from '../subgraphs/oversight/refresh';
import { evaluate, FindingDraft, PersonView, RULES, RULES_READ } from '../subgraphs/oversight/rules';
import { mergeSelections } from '../subgraphs/oversight/rules/selection';
import { FACTS_READS, factsOf, StayPermitView, WorkPermitView } from '../subgraphs/oversight/rules/view';
import { schemaFile } from '../tools/compose';

const itas = (extra: Partial<StayPermitView> = {}): StayPermitView => ({
  permitNumber: 'ITAS-1',
  kind: 'LIMITED',
  purpose: 'WORK',
  validUntil: '2026-03-31',
  status: 'ACTIVE',
  sponsorType: 'COMPANY',
  sponsorNib: '9120000000001',
  sponsorName: 'PT Smelter Ketapang',
  domicileRegency: 'Ketapang',
  ...extra,
});
const rptka = (extra: Partial<WorkPermitView> = {}): WorkPermitView => ({
  rptkaNumber: 'RPTKA-1',
  status: 'ACTIVE',
  validUntil: '2026-06-30',
  workRegencies: ['Ketapang'],
  employer: { nib: '9120000000001', name: 'PT Smelter Ketapang', regency: 'Ketapang' },
  ...extra,
});
/** Someone no rule finds: a worker on an ITAS sponsored by the company that employs them, where the RPTKA allows. */
const person = (extra: Partial<PersonView> = {}): PersonView => ({
  id: 'p-1',
  nationality: 'CHN',
  inCountry: true,
  overstayDays: 0,
  stayPermits: [itas()],
  crossings: [{ direction: 'ENTRY', crossedAt: '2025-01-10T02:00:00.000Z', checkpoint: 'Supadio' }],
  workPermits: [rptka()],
  policeReports: [],
  ...extra,
});
const expired = itas({ status: 'EXPIRED', validUntil: '2025-06-08' });
const suspect = (status: string) => ({
  role: 'SUSPECT',
  matchedBy: 'PROBABILISTIC',
  matchProbability: 0.9987,
  report: { reportNumber: `LP/B/1/${status}`, status, category: 'Fraud' },
});
const visit = (extra: Partial<StayPermitView>) =>
  itas({ kind: 'VISIT', purpose: 'TOURISM', sponsorType: 'PERSON', sponsorNib: null, ...extra });

/** One person per rule at least; together they make every rule hold and every rule not hold. */
const PEOPLE: Record<string, PersonView> = {
  clean: person(),
  overstayCharged: person({ overstayDays: 10, stayPermits: [expired], workPermits: [] }),
  overstayDeported: person({ overstayDays: 61, stayPermits: [expired], workPermits: null }),
  visitWorking: person({ stayPermits: [visit({ permitNumber: 'ITK-1' })] }),
  sponsorElsewhere: person({
    workPermits: [rptka({ employer: { nib: '9120000000002', name: 'PT Sawit', regency: 'Ketapang' } })],
  }),
  outsideRegency: person({ workPermits: [rptka({ workRegencies: ['Sanggau'] })] }),
  withoutRptka: person({ workPermits: [rptka({ status: 'EXPIRED' })] }),
  workAfterExpiry: person({
    inCountry: false,
    stayPermits: [expired, visit({ permitNumber: 'ITK-0', status: 'EXPIRED', validUntil: '2024-01-01' })],
  }),
  suspect: person({
    policeReports: [suspect('INQUIRY'), suspect('CLOSED'), { ...suspect('INQUIRY'), role: 'WITNESS' }],
  }),
};

const caseReview = 'Case review (gelar kasus) under UU 6/2011 art. 75';
const permitFact = (record: string, what: string) => ({
  agency: 'IMMIGRATION',
  record,
  shows: `${what}, domicile Ketapang`,
});
const itasFact = permitFact('ITAS-1', 'LIMITED stay permit, active, valid until 2026-03-31');
const expiredFact = permitFact('ITAS-1', 'LIMITED stay permit, expired, valid until 2025-06-08');
const workFact = (regencies = 'Ketapang', employer = 'PT Smelter Ketapang (NIB 9120000000001, Ketapang)') => ({
  agency: 'MANPOWER',
  record: 'RPTKA-1',
  shows: `Active RPTKA at ${employer} until 2026-06-30; work regencies ${regencies}`,
});
const draft = (kind: string, severity: string, evidence: object[], extra: Partial<FindingDraft> = {}) => ({
  kind,
  severity,
  evidence,
  personId: 'p-1',
  regency: 'Ketapang',
  nationality: 'CHN',
  employerNib: null,
  consequence: caseReview,
  daysOver: null,
  chargeRupiah: null,
  ...extra,
});
const entry = {
  agency: 'IMMIGRATION',
  record: 'Supadio 2025-01-10T02:00:00.000Z',
  shows: 'Last crossing is an entry: still in the country',
};

describe('the finding rules', () => {
  it('find nothing on a clean person and exactly the expected findings on the others', () => {
    expect(evaluate(PEOPLE.clean)).toEqual([]);
    expect(evaluate(PEOPLE.overstayCharged)).toEqual([
      draft('OVERSTAY', 'MEDIUM', [expiredFact, entry], {
        daysOver: 10,
        chargeRupiah: 10_000_000,
        consequence: 'Overstay charge Rp10.000.000 (10 days × Rp1.000.000, UU 6/2011 art. 78(2))',
      }),
    ]);
    expect(evaluate(PEOPLE.overstayDeported)).toEqual([
      draft('OVERSTAY', 'HIGH', [expiredFact, entry], {
        daysOver: 61,
        consequence: 'Over 60 days: deportation and entry ban (UU 6/2011 art. 78(3))',
      }),
    ]);
    expect(evaluate(PEOPLE.visitWorking)).toEqual([
      draft(
        'VISIT_PERMIT_WORKING',
        'HIGH',
        [permitFact('ITK-1', 'VISIT stay permit, active, valid until 2026-03-31'), workFact()],
        { employerNib: '9120000000001' },
      ),
    ]);
    expect(evaluate(PEOPLE.sponsorElsewhere)).toEqual([
      draft(
        'SPONSOR_NOT_EMPLOYER',
        'MEDIUM',
        [
          {
            agency: 'IMMIGRATION',
            record: 'ITAS-1',
            shows: 'ITAS sponsored by PT Smelter Ketapang (NIB 9120000000001)',
          },
          workFact('Ketapang', 'PT Sawit (NIB 9120000000002, Ketapang)'),
        ],
        { employerNib: '9120000000002' },
      ),
    ]);
    expect(evaluate(PEOPLE.outsideRegency)).toEqual([
      draft('WORK_OUTSIDE_PERMITTED_REGENCY', 'MEDIUM', [itasFact, workFact('Sanggau')], {
        employerNib: '9120000000001',
      }),
    ]);
    expect(evaluate(PEOPLE.withoutRptka)).toEqual([
      draft('WORK_WITHOUT_RPTKA', 'HIGH', [itasFact], { employerNib: '9120000000001' }),
    ]);
    expect(evaluate(PEOPLE.workAfterExpiry)).toEqual([
      draft('WORK_AFTER_PERMIT_EXPIRED', 'HIGH', [expiredFact, workFact()], { employerNib: '9120000000001' }),
    ]);
    expect(evaluate(PEOPLE.suspect)).toEqual([
      draft('SUSPECT_IN_OPEN_REPORT', 'HIGH', [
        {
          agency: 'POLICE',
          record: 'LP/B/1/INQUIRY',
          shows:
            'Suspect (Fraud), report inquiry; matched without passport by entity resolution, auto-linked (probability 0.9987)',
        },
      ]),
    ]);
  });

  it('give their findings in registry order, several for one person', () => {
    const overstayingWorker = person({
      overstayDays: 5,
      stayPermits: [expired],
      policeReports: [suspect('INVESTIGATION')],
    });
    const kinds = evaluate(overstayingWorker).map((found) => found.kind);
    expect(kinds).toEqual(['OVERSTAY', 'WORK_AFTER_PERMIT_EXPIRED', 'SUSPECT_IN_OPEN_REPORT']);
  });

  it('each hold for at least one of the test persons (a new rule needs its person here)', () => {
    const found = new Set(Object.values(PEOPLE).flatMap((one) => evaluate(one).map((finding) => finding.kind)));
    expect([...found].sort()).toEqual(RULES.map((rule) => rule.kind).sort());
  });

  it('each read only the fields they declare', () => {
    for (const rule of RULES) {
      const declared = selectionSet(mergeSelections([FACTS_READS, rule.reads]));
      for (const [name, one] of Object.entries(PEOPLE)) {
        const seen = project(one, declared) as PersonView;
        const where = { rule: rule.kind, person: name };
        expect({ ...where, hit: rule.evaluate(factsOf(seen)) }).toEqual({ ...where, hit: rule.evaluate(factsOf(one)) });
      }
    }
  });

  it('each give only the severities they declare', () => {
    for (const rule of RULES) {
      const declared = [rule.severity, ...(rule.escalation ? [rule.escalation.severity] : [])];
      const given = Object.values(PEOPLE)
        .flatMap((one) => evaluate(one))
        .filter((found) => found.kind === rule.kind);
      const undeclared = given.map((found) => found.severity).filter((severity) => !declared.includes(severity));
      expect({ kind: rule.kind, undeclared }).toEqual({ kind: rule.kind, undeclared: [] });
    }
  });

  it('read valid selections on ForeignNational, and the refresh reads them all in one valid, merged query', () => {
    const schema = buildSchema(readFileSync(schemaFile('supergraph'), 'utf8'));
    for (const rule of RULES) {
      const errors = validate(schema, parse(`{ foreignNationals { nodes { ${rule.reads} } } }`)).map(String);
      expect({ kind: rule.kind, errors }).toEqual({ kind: rule.kind, errors: [] });
    }
    expect(validate(schema, parse(FINDINGS_INPUT)).map(String)).toEqual([]);
    expect(FINDINGS_INPUT).toContain(`nodes { ${RULES_READ} }`);
    const read = paths(selectionSet(RULES_READ));
    expect(new Set(read).size).toBe(read.length);
    for (const rule of RULES) expect(read).toEqual(expect.arrayContaining(paths(selectionSet(rule.reads))));
  });

  it('are the FindingKind enum of the schema, with their descriptions, in registry order', () => {
    const kinds = buildSchema(readFileSync(schemaFile('supergraph'), 'utf8')).getType('FindingKind') as GraphQLEnumType;
    const values = kinds.getValues().map((value) => [value.name, value.description]);
    expect(values).toEqual(RULES.map((rule) => [rule.kind, rule.description]));
  });
});

describe('mergeSelections', () => {
  it('merges repeated fields in first-seen order', () => {
    expect(mergeSelections(['a { b }', 'c a { d { e } b }', 'a { d { f } }'])).toBe('a { b d { e f } } c');
  });

  it('refuses what it cannot merge safely', () => {
    expect(() => mergeSelections(['first: stayPermits { kind }'])).toThrow(/plain fields/);
    expect(() => mergeSelections(['foreignNationals(first: 1) { id }'])).toThrow(/plain fields/);
  });
});

function selectionSet(selection: string): SelectionSetNode {
  return (parse(`{ ${selection} }`).definitions[0] as OperationDefinitionNode).selectionSet;
}

/** The value cut down to the selected fields, as the gateway would answer that selection. */
function project(value: unknown, set: SelectionSetNode): unknown {
  if (value == null) return value;
  if (Array.isArray(value)) return value.map((item) => project(item, set));
  return Object.fromEntries(
    (set.selections as FieldNode[]).map((field) => {
      const inner = (value as Record<string, unknown>)[field.name.value];
      return [field.name.value, field.selectionSet ? project(inner, field.selectionSet) : inner];
    }),
  );
}

/** Every leaf of a selection, as "stayPermits.kind". */
function paths(set: SelectionSetNode, prefix = ''): string[] {
  return (set.selections as FieldNode[]).flatMap((field) =>
    field.selectionSet ? paths(field.selectionSet, `${prefix}${field.name.value}.`) : [`${prefix}${field.name.value}`],
  );
}
