import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApolloServerPlugin } from '@apollo/server';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { errors } from '../lib/errors';

/**
 * Operations registered ahead of time by frontend applications, from manifests in Apollo's
 * persisted query format (what `@apollo/generate-persisted-query-manifest` writes):
 * `{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ "id", "name", "type", "body" }] }`.
 * A client then sends only `extensions.persistedQuery.sha256Hash`. With `only`, the gateway refuses
 * any other operation (PERSISTED_QUERY_NOT_IN_LIST), so a stolen token cannot run ad-hoc queries.
 */
export interface TrustedDocuments {
  byHash: Map<string, string>;
  only: boolean;
}

export function loadTrustedDocuments(files: string[], only: boolean): TrustedDocuments {
  const byHash = new Map<string, string>();
  for (const file of files) {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
      format?: string;
      operations?: { id: string; body: string }[];
    };
    if (manifest.format !== 'apollo-persisted-query-manifest' || !Array.isArray(manifest.operations)) {
      throw new Error(`${file} is not an apollo-persisted-query-manifest`);
    }
    for (const operation of manifest.operations) {
      if (sha256(operation.body) !== operation.id)
        throw new Error(`${file}: operation ${operation.id} does not hash to its id`);
      byHash.set(operation.id, operation.body);
    }
  }
  return { byHash, only };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Apollo Server's persisted-query cache, answering from the manifests. Registration at run time
 * (automatic persisted queries) is ignored: only the manifests register operations.
 */
export function trustedDocumentCache(documents: TrustedDocuments): KeyValueCache<string> {
  const hashOf = (key: string) => key.slice(key.lastIndexOf(':') + 1);
  return {
    get: async (key) => documents.byHash.get(hashOf(key)),
    set: async () => undefined,
    delete: async () => true,
  };
}

/** With the switch on, an operation whose text is not registered is refused before it runs. */
export function useTrustedDocuments(documents: TrustedDocuments): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ queryHash }) {
          if (!documents.only || documents.byHash.has(queryHash)) return;
          throw errors.persistedQueryNotInList(
            'This gateway runs registered operations only; register this operation with the application’s persisted query manifest',
          );
        },
      };
    },
  };
}
