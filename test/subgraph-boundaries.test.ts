import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, GraphQLEnumType, GraphQLSchema } from 'graphql';
import { schemaFile } from '../tools/compose';
import { SUBGRAPH_NAMES } from '../subgraphs';

const subgraphs = path.join(__dirname, '..', 'subgraphs');
const agencies = readdirSync(subgraphs, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'shared')
  .map((entry) => entry.name);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('subgraph boundaries', () => {
  it.each(agencies)('%s imports only its own code and subgraphs/shared, never another subgraph', (name) => {
    const own = path.join(subgraphs, name);
    const crossings: string[] = [];
    for (const file of sources(own)) {
      for (const [, target] of readFileSync(file, 'utf8').matchAll(/(?:from|import|require\()\s*['"](\.[^'"]*)['"]/g)) {
        const resolved = path.resolve(path.dirname(file), target);
        const inside = [own, path.join(subgraphs, 'shared')].some(
          (dir) => resolved === dir || resolved.startsWith(dir + path.sep),
        );
        if (resolved.startsWith(subgraphs + path.sep) && !inside)
          crossings.push(`${path.relative(subgraphs, file)} imports ${target}`);
      }
    }
    expect(crossings).toEqual([]);
  });

  it("declares other agencies' enums exactly as their owners do, so the supergraph does not change", () => {
    const schemas = Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [
        name,
        buildSchema(readFileSync(schemaFile(name), 'utf8'), { assumeValidSDL: true }),
      ]),
    );
    const enumsOf = (schema: GraphQLSchema) =>
      Object.values(schema.getTypeMap()).filter(
        (type): type is GraphQLEnumType => type instanceof GraphQLEnumType && !type.name.startsWith('__'),
      );
    const shape = (type: GraphQLEnumType) => ({
      description: type.description,
      values: type.getValues().map((value) => [value.name, value.description]),
    });
    let compared = 0;
    for (const [name, schema] of Object.entries(schemas)) {
      for (const type of enumsOf(schema)) {
        for (const [other, otherSchema] of Object.entries(schemas)) {
          const same = other !== name && otherSchema.getType(type.name);
          if (!(same instanceof GraphQLEnumType)) continue;
          const where = { enum: type.name, in: [name, other].sort() };
          expect({ ...where, ...shape(type) }).toEqual({ ...where, ...shape(same) });
          compared += 1;
        }
      }
    }
    // Oversight's copies of immigration's four enums, compared both ways (police's and manpower's
    // records reach its timeline by peer calls, so it declares none of theirs).
    expect(compared).toBeGreaterThanOrEqual(4 * 2);
  });
});
