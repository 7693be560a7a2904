import http from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse, validate } from 'graphql';
import { EMPLOYERS_OF_WORKERS, MANPOWER, POLICE, REPORT_PARTIES } from '../subgraphs/immigration/link-sources';
import { POLICE_EVENTS, WORK_EVENTS } from '../subgraphs/oversight/resolvers/timeline.resolver';
import { askPeer, entitiesQuery } from '../subgraphs/shared/gateway-client';
import { schemaFile } from '../tools/compose';
import { SubgraphName } from '../subgraphs';

/** A peer's schema as it serves it: the checked-in SDL with the federation fields (`_entities`). */
const served = (name: SubgraphName) => buildSubgraphSchema(parse(readFileSync(schemaFile(name), 'utf8')));

/**
 * Peer calls are documents one subgraph sends another; composition does not check them as it
 * checks @requires, so this does, against the checked-in schemas.
 */
describe('peer calls', () => {
  it.each([
    ['links: employers of workers', 'manpower', EMPLOYERS_OF_WORKERS],
    ['links: police reports with their parties', 'police', entitiesQuery('ForeignNational', REPORT_PARTIES)],
    ['timeline: work authorisations', 'manpower', entitiesQuery('ForeignNational', WORK_EVENTS)],
    ['timeline: police reports', 'police', entitiesQuery('ForeignNational', POLICE_EVENTS)],
  ] as const)('%s is valid against %s', (_what, peer, document) => {
    expect(validate(served(peer), parse(document))).toEqual([]);
  });

  describe('a peer that does not answer costs one error naming it', () => {
    const context = (url: string) => ({ peerUrl: () => url, delegate: async () => 'assertion' });
    const ask = (url: string, timeoutMs = 5000) =>
      askPeer(context(url), POLICE, '{ __typename }', {}, { missing: 'links through police reports', timeoutMs }).then(
        () => {
          throw new Error('answered');
        },
        (error: GraphQLError) => error,
      );

    it('when it is down', async () => {
      // Nothing listens on port 9 of the loopback.
      const error = await ask('http://127.0.0.1:9/graphql');
      expect(error.extensions).toMatchObject({ code: 'AGENCY_UNAVAILABLE', agency: 'police' });
      expect(error.message).toMatch(/^Police \(Polri\) is unavailable; links through police reports are missing/);
    });

    it('when it hangs, after the timeout', async () => {
      const sockets = new Set<Socket>();
      const hung = http.createServer(() => undefined);
      hung.on('connection', (socket) => sockets.add(socket));
      await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
      try {
        const started = Date.now();
        const error = await ask(`http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql`, 300);
        expect(Date.now() - started).toBeLessThan(3000);
        expect(error.extensions).toMatchObject({ code: 'AGENCY_UNAVAILABLE', agency: 'police' });
        expect(error.message).toMatch(/no answer within 300 ms/);
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => hung.close(resolve));
      }
    });

    it('when it refuses the role, as FORBIDDEN', async () => {
      const refusing = http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ data: null, errors: [{ message: 'not for your role', extensions: { code: 'FORBIDDEN' } }] }),
        );
      });
      await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
      try {
        const error = await askPeer(
          context(`http://127.0.0.1:${(refusing.address() as AddressInfo).port}/graphql`),
          MANPOWER,
          '{ __typename }',
          {},
          { missing: 'links through shared employers', timeoutMs: 5000 },
        ).catch((caught: GraphQLError) => caught);
        expect((error as GraphQLError).extensions).toMatchObject({ code: 'FORBIDDEN', agency: 'manpower' });
        expect((error as GraphQLError).message).toMatch(
          /^Manpower \(Kemnaker\) refused: links through shared employers/,
        );
      } finally {
        await new Promise((resolve) => refusing.close(resolve));
      }
    });
  });
});
