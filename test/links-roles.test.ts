import { nameInReport } from './helpers/co-involved';
import { startTestSystem, TestSystem } from './helpers/system';

/*
 * Every role that reads links (READERS.oversight) also reads employment and police reports, so to
 * see one agency refuse, this file lets two officers read links too: each agency's own READERS
 * still decide on its records, for the identity the peer call carries.
 */
jest.mock('../subgraphs/shared/access', () => {
  const actual = jest.requireActual('../subgraphs/shared/access');
  return {
    ...actual,
    READERS: { ...actual.READERS, oversight: [...actual.READERS.oversight, 'manpower_officer', 'police_officer'] },
  };
});

const LINKS = `query($id: ID!) { foreignNational(id: $id) { links { kind sharedRecord agency person { id } } } }`;
const TIMELINE = `query($id: ID!) { foreignNational(id: $id) { timeline { agency kind record } } }`;

describe('links and timeline for a role one agency refuses', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ persons: 400 });
    const { renewedPassport, cleanPerson, nameOnlyPoliceMatch } = t.manifest.examples;
    await nameInReport(t, renewedPassport.reportNumber, {
      byPassport: cleanPerson.personId,
      byIdentity: nameOnlyPoliceMatch.personId,
    });
  });
  afterAll(() => t.stop());

  it.each([
    { role: 'manpower_officer', refusing: 'police', kept: 'manpower' },
    { role: 'police_officer', refusing: 'manpower', kept: 'police' },
  ] as const)('gives a $role the other links, with one FORBIDDEN error naming $refusing', async (roles) => {
    const id = t.manifest.examples.renewedPassport.personId;
    const all = (await t.query(LINKS, { id })).data.foreignNational.links;
    const { data, errors } = await t.as({ roles: [roles.role], pii: true })(LINKS, { id });
    expect(errors).toHaveLength(1);
    expect(errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', agency: roles.refusing });
    expect(errors![0].path).toEqual(['foreignNational', 'links']);
    expect(data.foreignNational.links).toEqual(all.filter((link: any) => link.agency !== roles.refusing));
    expect(data.foreignNational.links.some((link: any) => link.agency === roles.kept)).toBe(true);
  });

  it('gives a police officer the timeline without the RPTKAs, with one FORBIDDEN error naming manpower', async () => {
    const id = t.manifest.examples.nameOnlyPoliceMatch.personId;
    const all = (await t.query(TIMELINE, { id })).data.foreignNational.timeline;
    expect(all.some((event: any) => event.agency === 'MANPOWER')).toBe(true);
    // With the pii clearance, as the analyst above: the timeline's passport numbers are masked without it.
    const { data, errors } = await t.as({ roles: ['police_officer'], pii: true })(TIMELINE, { id });
    expect(errors).toHaveLength(1);
    expect(errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', agency: 'manpower' });
    expect(data.foreignNational.timeline).toEqual(all.filter((event: any) => event.agency !== 'MANPOWER'));
  });
});
