import { AuditEntry } from '../../lib/audit/chain';

/** One answer as the gateway records it in the read audit: an analyst's full view naming these persons. */
export const auditEntry = (subject: string, personIds: string[] = []): AuditEntry => ({
  at: new Date().toISOString(),
  subject,
  roles: ['analyst'],
  delegated: false,
  actor: null,
  operationName: 'FullViewByPassport',
  documentHash: null,
  variables: '{}',
  outcome: 'OK',
  errorCodes: [],
  personIds,
  requestId: `request-${subject}`,
});
