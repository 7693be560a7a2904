import { nameInReport } from './helpers/co-involved';
import { startTestSystem, TestSystem } from './helpers/system';

describe('link analysis', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem({ persons: 400 });
    // Two more persons in the renewed-passport example's report: one by passport, one by identity only.
    const { renewedPassport, cleanPerson, nameOnlyPoliceMatch } = t.manifest.examples;
    await nameInReport(t, renewedPassport.reportNumber, {
      byPassport: cleanPerson.personId,
      byIdentity: nameOnlyPoliceMatch.personId,
    });
  });
  afterAll(() => t.stop());

  const LINKS = `query($id: ID!, $kinds: [LinkKind!]) { foreignNational(id: $id) {
    id currentEmployer { nib } policeReports { report { reportNumber involvedPeople { foreignNational { id } } } }
    links(kinds: $kinds) { kind sharedRecord agency person { id currentEmployer { nib } } } } }`;

  it('links co-workers at the same employer, resolved through immigration from their RPTKA passports', async () => {
    const { data, errors } = await t.query(LINKS, {
      id: t.manifest.examples.cleanPerson.personId,
      kinds: ['SAME_EMPLOYER'],
    });
    expect(errors).toBeUndefined();
    const person = data.foreignNational;
    expect(person.links.length).toBeGreaterThan(0);
    for (const link of person.links) {
      expect(link).toMatchObject({ kind: 'SAME_EMPLOYER', agency: 'manpower' });
      expect(link.person.id).not.toBe(person.id);
    }
    expect(person.links.some((link: any) => link.person.currentEmployer?.nib === person.currentEmployer.nib)).toBe(
      true,
    );
  });

  it('links the other people named in the same police report', async () => {
    const renewed = t.manifest.examples.renewedPassport;
    const { data } = await t.query(LINKS, { id: renewed.personId, kinds: ['SAME_POLICE_REPORT'] });
    const person = data.foreignNational;
    const report = person.policeReports.find((item: any) => item.report.reportNumber === renewed.reportNumber).report;
    const others = report.involvedPeople
      .map((party: any) => party.foreignNational?.id)
      .filter((id: string) => id && id !== person.id);
    const linked = person.links
      .filter((link: any) => link.sharedRecord === renewed.reportNumber)
      .map((link: any) => link.person.id);
    expect(linked.sort()).toEqual([...new Set(others)].sort());
    // By passport and by name, birth date and nationality alone, as ReportParty.foreignNational finds them.
    const { cleanPerson, nameOnlyPoliceMatch } = t.manifest.examples;
    expect(linked.sort()).toEqual([cleanPerson.personId, nameOnlyPoliceMatch.personId].sort());
    expect(person.links.filter((link: any) => link.kind === 'SAME_POLICE_REPORT')).toEqual(
      linked.map(() => expect.objectContaining({ agency: 'police', sharedRecord: renewed.reportNumber })),
    );
  });

  it('links people sharing a sponsor or a domicile address, and never the person itself', async () => {
    const { data } = await t.query(LINKS, {
      id: t.manifest.examples.cleanPerson.personId,
      kinds: ['SAME_SPONSOR', 'SAME_ADDRESS'],
    });
    const links = data.foreignNational.links;
    expect(links.some((link: any) => link.kind === 'SAME_SPONSOR')).toBe(true);
    expect(links.every((link: any) => link.person.id !== data.foreignNational.id)).toBe(true);
  });

  it('masks the shared address without the pii clearance, as the address itself is', async () => {
    const QUERY = `{ foreignNationals(first: 200) { nodes { id stayPermits { domicileAddress } links(kinds: [SAME_ADDRESS]) { sharedRecord person { id } } } } }`;
    const withPii = (await t.query(QUERY)).data.foreignNationals.nodes;
    const linked = withPii.filter((person: any) => person.links.length > 0);
    expect(linked.length).toBeGreaterThan(0);
    for (const person of linked)
      for (const link of person.links)
        expect(person.stayPermits.map((permit: any) => permit.domicileAddress)).toContain(link.sharedRecord);
    const { data, errors } = await t.as({ roles: ['analyst'] })(QUERY);
    expect(errors).toBeUndefined();
    const masked = data.foreignNationals.nodes.filter((person: any) => person.links.length > 0);
    expect(masked.map((person: any) => person.id)).toEqual(linked.map((person: any) => person.id));
    for (const person of masked) {
      expect(person.links.every((link: any) => link.sharedRecord === '•••')).toBe(true);
      expect(person.stayPermits.every((permit: any) => permit.domicileAddress === '•••')).toBe(true);
    }
  });
});
