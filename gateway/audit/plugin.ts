import { ApolloServerPlugin } from '@apollo/server';
import { GatewayContext } from '../auth';
import { AuditLog } from './log';
import { errors, formatted, httpStatus } from '../../lib/errors';

/** Variable names whose values identify a person: recorded as "[redacted]", at any depth. */
const PERSONAL = /passport|number|name|birth|nik|address|personId|^id$/i;

export function redact(value: unknown, key = ''): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, key));
  if (typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, redact(inner, name)]));
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
}

export function useReadAudit({ log, now = () => new Date() }: ReadAuditOptions): ApolloServerPlugin<GatewayContext> {
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
            const reason = (error as Error).message;
            const refusal = errors.auditUnavailable(
              `The read audit cannot be written (${reason}); no data is served without it`,
            );
            response.http.status = httpStatus(refusal);
            response.body.singleResult = { errors: [formatted(refusal)] };
          }
        },
      };
    },
  };
}
