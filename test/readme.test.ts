import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DirectiveNode, Kind, parse, StringValueNode } from 'graphql';
import { SUBGRAPH_NAMES } from '../subgraphs';
import { CONFIG_VARIABLES } from '../tools/config';

const root = path.join(__dirname, '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

/** Every field a subgraph serves with `@requires`, from the checked-in schemas the gateway composes. */
function requiredFields() {
  const found: { subgraph: string; field: string; requires: string }[] = [];
  for (const subgraph of SUBGRAPH_NAMES) {
    const document = parse(readFileSync(path.join(root, 'schema', `${subgraph}.graphql`), 'utf8'));
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
      for (const field of definition.fields ?? []) {
        const directive = field.directives?.find((candidate: DirectiveNode) => candidate.name.value === 'requires');
        const fields = directive?.arguments?.find((argument) => argument.name.value === 'fields')?.value as
          StringValueNode | undefined;
        if (fields)
          found.push({ subgraph, field: `${definition.name.value}.${field.name.value}`, requires: fields.value });
      }
    }
  }
  return found;
}

/** The top-level fields of a selection such as "workPermits { employer { nib } } policeReports { … }". */
function topLevel(selection: string): string[] {
  const names: string[] = [];
  let depth = 0;
  for (const token of selection.match(/[{}]|[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
    if (token === '{') depth += 1;
    else if (token === '}') depth -= 1;
    else if (depth === 0) names.push(token);
  }
  return names;
}

describe('the README is true to the code', () => {
  const rows = readme.split('\n').filter((line) => line.startsWith('| `'));

  it('lists every @requires join with the subgraph that serves it and the fields it needs', () => {
    const joins = requiredFields();
    expect(joins.length).toBeGreaterThanOrEqual(7);
    for (const join of joins) {
      const row = rows.find((line) => line.split('|')[1].includes(`\`${join.field}\``));
      expect({ field: join.field, row }).toEqual({
        field: join.field,
        row: expect.stringContaining(`| ${join.subgraph} |`),
      });
      for (const name of topLevel(join.requires))
        expect({ field: join.field, row }).toEqual({ field: join.field, row: expect.stringContaining(name) });
    }
  });
});

describe('the README on the demo data', () => {
  const section = readme.slice(
    readme.indexOf('## Demo data'),
    readme.indexOf('\n## ', readme.indexOf('## Demo data') + 1),
  );

  it("ties the article's figures to the anchor date, not to June 2025, and says how to pin it", () => {
    expect(section).toMatch(/75 foreigners[\s\S]*1,131[\s\S]*65/);
    expect(section).toMatch(/anchor date\*\*/);
    expect(section).toMatch(/the day the data was seeded/);
    expect(section).not.toMatch(/reproduces the June 2025 picture/);
    // The pin it names is a setting the system reads, and the seed's own flag.
    expect(section).toContain('TIMPORA_TODAY=2025-06-18 npm start');
    expect(CONFIG_VARIABLES).toContain('TIMPORA_TODAY');
    expect(section).toContain('npm run seed -- --anchor 2025-06-18');
  });
});
