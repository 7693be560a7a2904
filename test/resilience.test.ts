import { startSystem } from '../tools/system';
import { fixedClock } from '../subgraphs/shared/clock';
import { ANALYST, createTestAuth, inMemory, postGraphQL, startTestSystem, TODAY } from './helpers/system';

const VIEW = `query($id: ID!) {
  foreignNational(id: $id) {
    fullName
    currentStayPermit { permitNumber sponsor { name } }
    workPermits { rptkaNumber }
    policeReports { role }
  }
}`;

describe('when an agency is down', () => {
  it('still answers with the other agencies’ data and an error naming the missing agency', async () => {
    const t = await startTestSystem({ persons: 200 });
    try {
      const personId = t.manifest.examples.cleanPerson.personId;
      const before = await t.query(VIEW, { id: personId });
      expect(before.errors).toBeUndefined();

      await t.subgraph('police').stop();
      const after = await t.query(VIEW, { id: personId });
      expect(after.status).toBe(200);
      expect(after.data.foreignNational).toEqual({ ...before.data.foreignNational, policeReports: null });
      expect(after.errors).toHaveLength(1);
      expect(after.errors![0].extensions).toMatchObject({ code: 'AGENCY_UNAVAILABLE', agency: 'police' });
      expect(after.errors![0].message).toMatch(/Police/);
    } finally {
      await t.stop();
    }
  });

  it('starts the gateway even though an agency has never been up', async () => {
    const { auth, token } = await createTestAuth();
    const analyst = await token(ANALYST);
    const system = await startSystem({
      auth,
      databaseUrls: inMemory,
      only: ['immigration', 'gateway'],
      // Nothing listens on port 9 of the loopback: manpower and police are down.
      subgraphUrls: { manpower: 'http://127.0.0.1:9/graphql', police: 'http://127.0.0.1:9/graphql' },
      clock: fixedClock(TODAY),
    });
    try {
      const response = await postGraphQL(
        system.gateway!.url,
        `{ foreignNationals(first: 1) { totalCount nodes { workPermits { rptkaNumber } } } }`,
        {},
        analyst,
      );
      expect(response.data.foreignNationals.totalCount).toBe(0);
      const alone = await postGraphQL(system.gateway!.url, `{ employer(nib: "1234567890123") { name } }`, {}, analyst);
      expect(alone.data).toEqual({ employer: null });
      expect(alone.errors![0].extensions).toMatchObject({ code: 'AGENCY_UNAVAILABLE', agency: 'manpower' });
    } finally {
      await system.stop();
    }
  });
});
