import { HeaderMap } from '@apollo/server';
import { GraphQLError, GraphQLFormattedError } from 'graphql';

/** A setting is missing or malformed: the message names the variable and what it must be. */
export class ConfigError extends Error {}

interface CodeEntry {
  /** The HTTP status when the code refuses the whole request: nothing else is answered. */
  status?: number;
  /** The code appears in an answer that otherwise stands (HTTP 200), on the path of the fields it leaves null. */
  onField?: boolean;
  /** What it tells a client. */
  meaning: string;
}

/**
 * Every `extensions.code` a client of TIMPORA can meet, each once: ours, and Apollo Server's own
 * that clients see. README.md's "Errors clients can rely on" is this list (test/errors.test.ts
 * holds the two together); a new code is added here, with a constructor below, and to that table.
 */
export const ERROR_CODES = {
  BAD_USER_INPUT: {
    status: 400,
    onField: true,
    meaning:
      'a malformed id, passport number, country code, NIB, date, page size (1–500) or cursor; an unknown regency (the message ' +
      'names the known ones); a case change with missing or wrong ' +
      'fields; a record to identify with no letter in its name, an impossible birth date or a nationality that names no country; ' +
      'an identity decision without a reason; `field` names the argument. HTTP 400 when the gateway or Apollo Server refuses it before anything is fetched ' +
      '(a page over 500, a variable of the wrong type), else on the field that took the argument',
  },
  AGENCY_UNAVAILABLE: {
    onField: true,
    meaning:
      "an agency's service did not answer (`agency` names it); its fields are null, the rest of the answer stands",
  },
  INVALID_TRANSITION: {
    onField: true,
    meaning: 'a case change its status (`status`) does not allow, e.g. deciding a closed case',
  },
  CONFLICT: {
    onField: true,
    meaning:
      'the change collides with one already made, e.g. a case opened on a finding that another case, not yet closed, ' +
      'holds (`caseId` names that case, `findingId` the finding); nothing was written',
  },
  NOT_CONFIGURED: {
    onField: true,
    meaning:
      'a service does not know the URL of the gateway or of another agency (GATEWAY_URL, <AGENCY>_URL): for the operators',
  },
  REFRESH_INCOMPLETE: {
    onField: true,
    meaning: 'a findings refresh got an incomplete answer from an agency; nothing was closed',
  },
  QUERY_TOO_DEEP: { status: 400, meaning: 'the operation nests deeper than MAX_QUERY_DEPTH; nothing was fetched' },
  TOO_MANY_ALIASES: { status: 400, meaning: 'the operation uses more aliases than MAX_ALIASES; nothing was fetched' },
  QUERY_TOO_COSTLY: {
    status: 400,
    meaning: 'the operation could resolve more fields than MAX_QUERY_COST; nothing was fetched',
  },
  UNAUTHENTICATED: {
    status: 401,
    meaning:
      'no token, or one that is expired, not yet valid, for another audience or issuer, badly signed, malformed or ' +
      'living longer than AUTH_MAX_TOKEN_LIFETIME; the message says which',
  },
  FORBIDDEN: {
    status: 403,
    onField: true,
    meaning:
      "a token without a TIMPORA role, or the IDE's schema document for a role that may not have it (HTTP 403); " +
      'data the role may not read, or a filter on a value masked without the pii clearance (on its field)',
  },
  RATE_LIMITED: { status: 429, meaning: 'over the per-user rate limit; `Retry-After` says when to come back' },
  PERSISTED_QUERY_NOT_IN_LIST: {
    status: 400,
    meaning: 'with TRUSTED_DOCUMENTS_ONLY, an operation no manifest registers',
  },
  AUDIT_UNAVAILABLE: { status: 503, meaning: 'the read audit could not be written, so no data was served' },
  NOT_READY: { status: 503, meaning: 'the IDE asked for the schema before the gateway had loaded it' },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'a request body over 1 MB' },
  BAD_REQUEST: {
    status: 400,
    meaning: 'malformed JSON; (Apollo Server) no query, or a cross-site "simple" request (CSRF prevention)',
  },
  INTERNAL_SERVER_ERROR: {
    status: 500,
    onField: true,
    meaning:
      "a failure of ours: of the whole request (HTTP 500), or of a field (Apollo Server's code for it), whose value is null",
  },
  // Apollo Server's own.
  GRAPHQL_PARSE_FAILED: { status: 400, meaning: 'the operation is not GraphQL' },
  GRAPHQL_VALIDATION_FAILED: {
    status: 400,
    meaning: 'unknown fields or arguments, arguments of a wrong type; introspection in production',
  },
  OPERATION_RESOLUTION_FAILURE: {
    status: 400,
    meaning: '`operationName` names no operation of the document, or is missing for several',
  },
  PERSISTED_QUERY_NOT_FOUND: {
    status: 200,
    meaning:
      'a hash the gateway does not know: with manifests, no manifest registers it; without, send the text along once',
  },
} as const satisfies Record<string, CodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes as constants, for code that reads or compares another component's code. */
export const CODE = Object.fromEntries(Object.keys(ERROR_CODES).map((code) => [code, code])) as {
  readonly [K in ErrorCode]: K;
};

type RequestCode = { [K in ErrorCode]: (typeof ERROR_CODES)[K] extends { status: number } ? K : never }[ErrorCode];
type FieldCode = { [K in ErrorCode]: (typeof ERROR_CODES)[K] extends { onField: true } ? K : never }[ErrorCode];

/** An error in an answer that otherwise stands. */
function onField(code: FieldCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** A refusal of the whole request with the code's HTTP status (Apollo Server honours extensions.http). */
function refusal(code: RequestCode, message: string, headers: Record<string, string> = {}): GraphQLError {
  const http = { status: ERROR_CODES[code].status, headers: new HeaderMap(Object.entries(headers)) };
  return new GraphQLError(message, { extensions: { code, http } });
}

/** One constructor per code we raise ourselves (Apollo Server raises its own). */
export const errors = {
  /** On the field that took the argument; `field` names it. */
  badUserInput: (message: string, field?: string) => onField('BAD_USER_INPUT', message, field ? { field } : {}),
  /** HTTP 400, before anything is fetched. */
  badUserInputRequest: (message: string) => refusal('BAD_USER_INPUT', message),
  agencyUnavailable: (message: string, agency?: string) =>
    onField('AGENCY_UNAVAILABLE', message, agency ? { agency } : {}),
  invalidTransition: (message: string, status: string) => onField('INVALID_TRANSITION', message, { status }),
  /** `details` names what it collides with, e.g. `{ caseId, findingId }`. */
  conflict: (message: string, details: Record<string, string>) => onField('CONFLICT', message, details),
  notConfigured: (message: string) => onField('NOT_CONFIGURED', message),
  refreshIncomplete: (message: string) => onField('REFRESH_INCOMPLETE', message),
  queryTooDeep: (message: string) => refusal('QUERY_TOO_DEEP', message),
  tooManyAliases: (message: string) => refusal('TOO_MANY_ALIASES', message),
  queryTooCostly: (message: string) => refusal('QUERY_TOO_COSTLY', message),
  unauthenticated: (reason: string) => refusal('UNAUTHENTICATED', reason, { 'www-authenticate': 'Bearer' }),
  /** On the field the role may not read. */
  forbidden: (reason: string) => onField('FORBIDDEN', reason),
  /** HTTP 403: the whole request. */
  forbiddenRequest: (reason: string) => refusal('FORBIDDEN', reason),
  rateLimited: (reason: string, retryAfterSeconds: number) =>
    refusal('RATE_LIMITED', reason, { 'retry-after': String(retryAfterSeconds) }),
  persistedQueryNotInList: (message: string) => refusal('PERSISTED_QUERY_NOT_IN_LIST', message),
  auditUnavailable: (message: string) => refusal('AUDIT_UNAVAILABLE', message),
  notReady: (message: string) => refusal('NOT_READY', message),
  payloadTooLarge: (message: string) => refusal('PAYLOAD_TOO_LARGE', message),
  badRequest: (message: string) => refusal('BAD_REQUEST', message),
  internalServerError: (message: string) => refusal('INTERNAL_SERVER_ERROR', message),
  /** Another service's error handed on to our client, its extensions (code included: one of the list above) as they came. */
  passedOn: (message: string, extensions: { code: unknown } & Record<string, unknown>) =>
    new GraphQLError(message, { extensions }),
};

/** The HTTP status a refusal carries (500 for an error that carries none). */
export function httpStatus(error: GraphQLError): number {
  return (error.extensions.http as { status?: number } | undefined)?.status ?? 500;
}

/** What a client receives for an error: its message and extensions, less the HTTP instructions (as Apollo Server sends it). */
export function formatted(error: GraphQLError): GraphQLFormattedError {
  const { http: _http, ...extensions } = error.extensions;
  return { message: error.message, extensions };
}
