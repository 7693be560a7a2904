import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Rule, RULES } from '../subgraphs/oversight/rules';
import { FINDING_KINDS } from '../tools/demo/types';

const root = path.join(__dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
/** "HIGH", or "MEDIUM, HIGH over 60 days" for a rule with an escalation. */
const severityOf = ({ severity, escalation }: Rule) =>
  escalation ? `${severity}, ${escalation.severity} ${escalation.when}` : severity;

/** The rows of the first table under `heading`, as arrays of cells. */
function tableUnder(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(`\n${heading}\n`);
  expect(start).toBeGreaterThan(-1);
  const lines = markdown.slice(start + heading.length + 2).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, index) => index > first && !line.startsWith('|'));
  return lines.slice(first + 2, end).map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );
}

describe('the finding rules as documented', () => {
  it('README: the "Finding rules" table has every rule with its kind, severity and law, in registry order, and no other kind', () => {
    const rows = tableUnder(read('README.md'), '#### Finding rules');
    const expected = RULES.map((rule) => [`\`${rule.kind}\``, severityOf(rule), rule.law]);
    expect(rows.map(([kind, severity, , law]) => [kind, severity, law])).toEqual(expected);
    for (const [, , meaning] of rows) expect(meaning.length).toBeGreaterThan(0);
  });

  it('subgraphs/oversight/rules/README.md: a section per rule giving its severity and law, and no other rule', () => {
    const guide = read('subgraphs/oversight/rules/README.md');
    const sections = guide
      .split('\n### ')
      .slice(1)
      .map((section) => section.split('\n'));
    const rules = sections.filter(([title]) => /^[A-Z_]+$/.test(title));
    expect(rules.map(([title]) => title)).toEqual(RULES.map((rule) => rule.kind));
    for (const [kind, , summary] of rules) {
      const rule = RULES.find((candidate) => candidate.kind === kind)!;
      expect(summary).toBe(`Severity ${severityOf(rule)}. Law: ${rule.law}.`);
    }
  });

  it('the demo data knows the same kinds as the registry (its checker is an independent oracle of the same rules)', () => {
    expect([...FINDING_KINDS].sort()).toEqual(RULES.map((rule) => rule.kind).sort());
  });
});
