import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import { CODE, ERROR_CODES, ErrorCode, errors, formatted, httpStatus } from '../lib/errors';
import { projectRoot } from '../lib/paths';

/** The rows of README.md's "Errors clients can rely on": the codes of each row and what its answer column says. */
function readmeTable(): { codes: string[]; answer: string }[] {
  const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
  const section = readme.split(/^## Errors clients can rely on$/m)[1]?.split(/^## /m)[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2) // the header and its rule
    .map((line) => {
      const [codes, answer] = line
        .split('|')
        .slice(1)
        .map((cell) => cell.trim());
      return { codes: [...codes.matchAll(/`([A-Z][A-Z_]+)`/g)].map((match) => match[1]), answer };
    });
}

const headerMap = (error: GraphQLError) =>
  Object.fromEntries((error.extensions.http as { headers: Map<string, string> }).headers);

describe('the error vocabulary', () => {
  const rows = readmeTable();
  const documented = rows.flatMap((row) => row.codes);

  it('is what the README table lists, each code once', () => {
    expect(rows.length).toBeGreaterThan(5);
    expect([...documented].sort()).toEqual(Object.keys(ERROR_CODES).sort());
    expect(new Set(documented).size).toBe(documented.length);
  });

  it.each(Object.entries(ERROR_CODES))(
    'gives %s the HTTP status and the field path the table gives it',
    (code, entry) => {
      const answer = rows.find((row) => row.codes.includes(code))!.answer;
      const statuses = [...answer.matchAll(/HTTP (\d{3})/g)].map((match) => Number(match[1]));
      expect(statuses).toEqual('status' in entry ? [entry.status] : []);
      expect(/field path/.test(answer)).toBe('onField' in entry && entry.onField);
    },
  );

  it('has constants that are the codes', () => {
    for (const code of Object.keys(ERROR_CODES)) expect(CODE[code as ErrorCode]).toBe(code);
  });

  it('raises each code as before: refusals with their status and headers, field errors with their extensions', () => {
    const extensions = (error: GraphQLError) => formatted(error).extensions;
    expect(extensions(errors.badUserInput('m', 'first'))).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(extensions(errors.badUserInput('m'))).toEqual({ code: 'BAD_USER_INPUT' });
    expect(errors.badUserInput('m').extensions.http).toBeUndefined();
    expect(extensions(errors.agencyUnavailable('m', 'police'))).toEqual({
      code: 'AGENCY_UNAVAILABLE',
      agency: 'police',
    });
    expect(extensions(errors.agencyUnavailable('m'))).toEqual({ code: 'AGENCY_UNAVAILABLE' });
    expect(extensions(errors.invalidTransition('m', 'CLOSED'))).toEqual({
      code: 'INVALID_TRANSITION',
      status: 'CLOSED',
    });
    expect(extensions(errors.forbidden('m'))).toEqual({ code: 'FORBIDDEN' });
    expect(errors.forbidden('m').extensions.http).toBeUndefined();
    expect(extensions(errors.notConfigured('m'))).toEqual({ code: 'NOT_CONFIGURED' });
    expect(extensions(errors.refreshIncomplete('m'))).toEqual({ code: 'REFRESH_INCOMPLETE' });

    const unauthenticated = errors.unauthenticated('no token');
    expect([unauthenticated.message, httpStatus(unauthenticated)]).toEqual(['no token', 401]);
    expect(headerMap(unauthenticated)).toEqual({ 'www-authenticate': 'Bearer' });
    const limited = errors.rateLimited('slow down', 7);
    expect([httpStatus(limited), headerMap(limited)]).toEqual([429, { 'retry-after': '7' }]);
    expect(httpStatus(errors.forbiddenRequest('m'))).toBe(403);
    expect(httpStatus(errors.badUserInputRequest('m'))).toBe(400);
    expect(formatted(errors.auditUnavailable('m'))).toEqual({
      message: 'm',
      extensions: { code: 'AUDIT_UNAVAILABLE' },
    });

    const passed = errors.passedOn('m', { code: 'SOMETHING_ELSE', agency: 'manpower', field: 'x' });
    expect(passed.extensions).toEqual({ code: 'SOMETHING_ELSE', agency: 'manpower', field: 'x' });
  });

  it('has a constructor for every code but those only Apollo Server raises, each with the status of its code', () => {
    const raised = new Set<string>();
    for (const [name, construct] of Object.entries(errors)) {
      if (name === 'passedOn') continue;
      const error = (construct as (message: string, extra?: never) => GraphQLError)('m');
      const code = error.extensions.code as ErrorCode;
      const entry: { status?: number; onField?: boolean } = ERROR_CODES[code];
      expect(entry).toBeDefined();
      raised.add(code);
      if (error.extensions.http) expect(httpStatus(error)).toBe(entry.status);
      else expect(entry.onField).toBe(true);
    }
    const apollos = Object.values(ApolloServerErrorCode) as string[];
    for (const code of Object.keys(ERROR_CODES).filter((candidate) => !raised.has(candidate)))
      expect(apollos).toContain(code);
  });

  it('is the only place that spells a code', () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const file = path.join(dir, name);
        return statSync(file).isDirectory() ? sources(file) : name.endsWith('.ts') ? [file] : [];
      });
    const literal = new RegExp(`['"\`](${Object.keys(ERROR_CODES).join('|')})['"\`]`);
    const spelled = ['gateway', 'lib', 'subgraphs', 'tools']
      .flatMap((dir) => sources(path.join(projectRoot, dir)))
      .filter((file) => file !== path.join(projectRoot, 'lib', 'errors.ts'))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, index) => ({ file, line: index + 1, text: line })),
      )
      .filter(({ text }) => literal.test(text))
      .map(({ file, line }) => `${path.relative(projectRoot, file)}:${line}`);
    expect(spelled).toEqual([]);
  });
});
