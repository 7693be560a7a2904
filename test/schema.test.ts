import { readFileSync } from 'node:fs';
import { buildSchema, GraphQLObjectType, parse, validate } from 'graphql';
import { readExample } from './helpers/system';
import { composeSchemas, schemaFile } from '../tools/compose';
import { SUBGRAPH_NAMES } from '../subgraphs';

describe('checked-in schemas', () => {
  it('match what the code produces (run `npm run compose` after changing a type)', async () => {
    const composed = await composeSchemas();
    for (const name of SUBGRAPH_NAMES) expect(readFileSync(schemaFile(name), 'utf8')).toBe(composed.subgraphs[name]);
    expect(readFileSync(schemaFile('supergraph'), 'utf8')).toBe(composed.supergraph);
  });

  describe('the public API clients rely on', () => {
    const schema = buildSchema(readFileSync(schemaFile('supergraph'), 'utf8'));
    const fieldsOf = (type: string) => (schema.getType(type) as GraphQLObjectType).getFields();
    const signature = (type: string, field: string) => {
      const definition = fieldsOf(type)[field];
      // Argument order carries no meaning in GraphQL (type-graphql prints them reversed): compare sorted.
      const args = definition.args.map((arg) => `${arg.name}: ${arg.type}`).sort();
      return `${field}(${args.join(', ')}): ${definition.type}`;
    };

    it('has the person queries', () => {
      expect(signature('Query', 'foreignNational')).toBe('foreignNational(id: ID!): ForeignNational');
      expect(signature('Query', 'foreignNationalByPassport')).toBe(
        'foreignNationalByPassport(country: String!, number: String!): ForeignNational',
      );
      expect(signature('Query', 'foreignNationals')).toMatch(
        /^foreignNationals\(.*filter: ForeignNationalFilter.*\): ForeignNationalConnection$/,
      );
      expect(signature('Query', 'foreignNationals')).toMatch(/first: Int/);
      expect(signature('Query', 'foreignNationals')).toMatch(/after: String/);
      expect(Object.keys(fieldsOf('ForeignNationalConnection'))).toEqual(
        expect.arrayContaining(['edges', 'nodes', 'pageInfo', 'totalCount']),
      );
    });

    it('joins every agency on ForeignNational, StayPermit, Employer and WorkPermit', () => {
      expect(Object.keys(fieldsOf('ForeignNational'))).toEqual(
        expect.arrayContaining([
          'id',
          'fullName',
          'sex',
          'dateOfBirth',
          'nationality',
          'passports',
          'stayPermits',
          'currentStayPermit',
          'crossings',
          'inCountry',
          'overstayDays',
          'administrativeActions',
          'workPermits',
          'currentEmployer',
          'policeReports',
          'registrations',
        ]),
      );
      expect(String(fieldsOf('StayPermit').sponsor.type)).toBe('Employer');
      expect(String(fieldsOf('Employer').workPermits.type)).toBe('[WorkPermit!]'); // null where the role may not read it
      expect(String(fieldsOf('WorkPermit').worker.type)).toBe('ForeignNational');
      expect(Object.keys(fieldsOf('PoliceInvolvement'))).toEqual(expect.arrayContaining(['role', 'report']));
    });

    it('makes every field another agency supplies nullable, so one agency down nulls only its own fields', () => {
      for (const field of ['workPermits', 'currentEmployer', 'policeReports', 'registrations']) {
        expect(String(fieldsOf('ForeignNational')[field].type)).not.toMatch(/!$/);
      }
      expect(String(fieldsOf('StayPermit').sponsor.type)).not.toMatch(/!$/);
      expect(String(fieldsOf('WorkPermit').worker.type)).not.toMatch(/!$/);
    });
  });

  it.each(['full-view.graphql', 'analyst-tasks.graphql'])('keeps examples/%s valid against the API', (file) => {
    const schema = buildSchema(readFileSync(schemaFile('supergraph'), 'utf8'));
    expect(validate(schema, parse(readExample(file)))).toEqual([]);
  });
});
