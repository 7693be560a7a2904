import { ApolloServerPlugin } from '@apollo/server';
import { GatewayContext } from '../auth';
import { AuditLog } from './log';
import { errors, formatted, httpStatus } from '../../lib/errors';

/** Variable names whose values identify a person: recorded as "[redacted]", at any depth. */
const PERSONAL = /passport|number|name|birth|nik|address|personId|^id$/i;

/** Deeper than this, a value is recorded as "[too deep]" (the gateway refuses deeper variables anyway). */
const MAX_RECORDED_DEPTH = 64;

export function redact(value: unknown, key = '', depth = 0): unknown {
  if (value === null || value === undefined) return value;
  if (depth > MAX_RECORDED_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => redact(item, key, depth + 1));
  if (typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, redact(inner, name, depth + 1)]));
  return PERSONAL.test(key) ? '[redacted]' : value;
}

/**
 * Records every operation the gateway answers, after it ran and before the answer leaves: if the
 * record cannot be written, the answer is replaced by AUDIT_UNAVAILABLE (HTTP 503), so nothing is
 * ever read without a trace (fail closed).
 */
export interface ReadAuditOptions {
  /** The chain every answered operation is appended to. */
  log: AuditLog;
  /**
   * The clock of the records.
   * @default () => new Date()
   */
  now?: () => Date;
  /** Where the reason an append failed goes: the operator's log, never the client. */
  onFailure?: (error: Error) => void;
}

export function useReadAudit({
  log,
  now = () => new Date(),
  onFailure = () => undefined,
}: ReadAuditOptions): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response, contextValue, operationName, queryHash }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const errorCodes = [
            ...new Set((result.errors ?? []).map((error) => String(error.extensions?.code ?? 'UNKNOWN'))),
          ];
          try {
            await log.append({
              at: now().toISOString(),
              subject: contextValue.identity.subject,
              roles: contextValue.identity.roles,
              delegated: contextValue.delegated,
              actor: contextValue.actor ?? null,
              operationName: operationName ?? request.operationName ?? null,
              documentHash: queryHash ?? null,
              variables: JSON.stringify(redact(request.variables ?? {})),
              outcome: result.errors?.length ? (result.data ? 'PARTIAL' : 'ERROR') : 'OK',
              errorCodes,
              personIds: [...contextValue.personIds].sort(),
              requestId: contextValue.requestId,
            });
          } catch (error) {
            onFailure(error as Error);
            const refusal = errors.auditUnavailable('The read audit cannot be written; no data is served without it');
            response.http.status = httpStatus(refusal);
            response.body.singleResult = { errors: [formatted(refusal)] };
          }
        },
      };
    },
  };
}
