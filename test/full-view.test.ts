import { readExample, startTestSystem, TestSystem } from './helpers/system';

/** One request through the real gateway joins what three agencies know about one person. */
describe('the unified foreign-national view', () => {
  let t: TestSystem;
  beforeAll(async () => {
    t = await startTestSystem();
  });
  afterAll(() => t.stop());

  it('answers the README full-view query for a working ITAS holder with all three agencies', async () => {
    const clean = t.manifest.examples.cleanPerson;
    const person = await t.query(
      `query($id: ID!) { foreignNational(id: $id) { passports { number country current } } }`,
      { id: clean.personId },
    );
    const current = person.data.foreignNational.passports.find((p: any) => p.current);

    const { data, errors } = await t.query(readExample('full-view.graphql'), {
      number: current.number,
      country: current.country,
    });
    expect(errors).toBeUndefined();
    const view = data.foreignNationalByPassport;
    expect(view.id).toBe(clean.personId);
    expect(view.inCountry).toBe(true);
    expect(view.overstayDays).toBe(0);
    expect(view.currentStayPermit).toMatchObject({ kind: 'LIMITED', status: 'ACTIVE' });
    const sponsored = view.stayPermits.find((p: any) => p.permitNumber === view.currentStayPermit.permitNumber);
    expect(sponsored.sponsorType).toBe('COMPANY');
    expect(sponsored.sponsor.name).toBe(view.currentEmployer.name);
    expect(
      view.workPermits.some((w: any) => w.status === 'ACTIVE' && w.employer.nib === view.currentEmployer.nib),
    ).toBe(true);
    expect(view.crossings.length).toBeGreaterThan(0);
    expect(Array.isArray(view.policeReports)).toBe(true);
    expect(Array.isArray(view.registrations)).toBe(true);
  });

  it('finds a person by an earlier passport and joins records filed under it', async () => {
    const renewed = t.manifest.examples.renewedPassport;
    const query = `query($number: String!, $country: String!) {
      foreignNationalByPassport(number: $number, country: $country) {
        id
        passports { number current }
        workPermits { rptkaNumber workerPassportNumber }
        policeReports { matchedBy report { reportNumber } }
        registrations { passportNumber }
      }
    }`;
    const byOld = await t.query(query, { number: renewed.oldPassport.number, country: renewed.oldPassport.country });
    const byCurrent = await t.query(query, {
      number: renewed.currentPassport.number,
      country: renewed.currentPassport.country,
    });
    expect(byOld.errors).toBeUndefined();
    expect(byOld.data).toEqual(byCurrent.data);

    const view = byCurrent.data.foreignNationalByPassport;
    expect(view.id).toBe(renewed.personId);
    expect(view.passports).toEqual(
      expect.arrayContaining([
        { number: renewed.currentPassport.number, current: true },
        { number: renewed.oldPassport.number, current: false },
      ]),
    );
    expect(view.workPermits).toContainEqual({
      rptkaNumber: renewed.rptkaNumber,
      workerPassportNumber: renewed.oldPassport.number,
    });
    expect(view.policeReports).toContainEqual({
      matchedBy: 'PASSPORT',
      report: { reportNumber: renewed.reportNumber },
    });
    expect(view.registrations).toContainEqual({ passportNumber: renewed.oldPassport.number });
  });

  it('attributes a police record without passport by name, birth date and nationality, and says so', async () => {
    const example = t.manifest.examples.nameOnlyPoliceMatch;
    const { data } = await t.query(
      `query($id: ID!) { foreignNational(id: $id) { policeReports { matchedBy party { passportNumber } report { reportNumber } } } }`,
      { id: example.personId },
    );
    expect(data.foreignNational.policeReports).toContainEqual({
      matchedBy: 'PROBABILISTIC',
      party: { passportNumber: null },
      report: { reportNumber: example.reportNumber },
    });
  });

  it('navigates from an employer to its workers in immigration and back to their permits', async () => {
    const clean = t.manifest.examples.cleanPerson;
    const { data: personData } = await t.query(
      `query($id: ID!) { foreignNational(id: $id) { currentEmployer { nib } } }`,
      { id: clean.personId },
    );
    const nib = personData.foreignNational.currentEmployer.nib;
    const { data, errors } = await t.query(
      `query($nib: String!) { employer(nib: $nib) { name workPermits { rptkaNumber worker { id fullName currentStayPermit { sponsor { nib } } } } } }`,
      { nib },
    );
    expect(errors).toBeUndefined();
    const workers = data.employer.workPermits.map((permit: any) => permit.worker).filter(Boolean);
    expect(workers.map((worker: any) => worker.id)).toContain(clean.personId);
    expect(workers.find((worker: any) => worker.id === clean.personId).currentStayPermit.sponsor.nib).toBe(nib);
  });

  it('links police report parties back to the person immigration knows', async () => {
    const renewed = t.manifest.examples.renewedPassport;
    const { data } = await t.query(
      `query($number: String!) { policeReport(reportNumber: $number) { involvedPeople { passportNumber foreignNational { id } } } }`,
      { number: renewed.reportNumber },
    );
    const party = data.policeReport.involvedPeople.find((p: any) => p.passportNumber === renewed.oldPassport.number);
    expect(party.foreignNational).toEqual({ id: renewed.personId });
  });

  it('pages through foreign nationals in a stable name order with a total count', async () => {
    const seen = new Set<string>();
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 100; page += 1) {
      const { data, errors }: any = await t.query(
        `query($after: String) { foreignNationals(first: 200, after: $after, filter: { nationality: "MYS" }) {
          totalCount pageInfo { hasNextPage endCursor } nodes { id nationality } } }`,
        { after },
      );
      expect(errors).toBeUndefined();
      total = data.foreignNationals.totalCount;
      for (const node of data.foreignNationals.nodes) {
        expect(node.nationality).toBe('MYS');
        expect(seen.has(node.id)).toBe(false);
        seen.add(node.id);
      }
      if (!data.foreignNationals.pageInfo.hasNextPage) break;
      after = data.foreignNationals.pageInfo.endCursor;
    }
    expect(seen.size).toBe(total);
    expect(total).toBeGreaterThan(200);
  });

  it('searches names ignoring case and accents', async () => {
    const clean = t.manifest.examples.cleanPerson;
    const { data } = await t.query(`query($id: ID!) { foreignNational(id: $id) { fullName } }`, { id: clean.personId });
    const part = data.foreignNational.fullName.split(' ')[0].toUpperCase();
    const found = await t.query(
      `query($name: String!) { foreignNationals(filter: { name: $name }, first: 500) { nodes { id } } }`,
      { name: part },
    );
    expect(found.data.foreignNationals.nodes.map((n: any) => n.id)).toContain(clean.personId);
  });
});
