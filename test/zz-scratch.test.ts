import { IdentityDecision, IdentityRecord } from '../subgraphs/immigration/entities/identity';
import { ForeignNational } from '../subgraphs/immigration/entities/foreign-national';
import { IdentityModel } from '../subgraphs/immigration/entities/identity';
import { startTestSystem, TestSystem } from './helpers/system';
jest.setTimeout(200000);
let t: TestSystem;
beforeAll(async () => { t = await startTestSystem(); });
afterAll(() => t?.stop());
it('inspects', async () => {
  const db = t.subgraph('immigration').db;
  const id = '0e9275b5-147f-4890-aff7-2a5302a26bd2';
  const person = await db.getRepository(ForeignNational).findOneBy({ id });
  console.log(person);
  const truth = t.manifest.identityTruth.filter((x) => x.personId === id);
  console.log(truth);
  for (const tr of truth) {
    console.log(await db.getRepository(IdentityRecord).findOneBy({ recordId: tr.recordId }));
    console.log(await db.getRepository(IdentityDecision).findBy({ recordId: tr.recordId }));
    const r = await t.query(`query($r: IdentityInput!) { identityCandidates(record: $r) { probability decision foreignNational { id fullName dateOfBirth nationality } evidence { field level weight recordValue personValue } } }`, { r: { fullName: tr.writtenName, dateOfBirth: tr.writtenDateOfBirth, nationality: tr.writtenNationality } });
    console.log(JSON.stringify(r, null, 1).slice(0, 6000));
  }
  const model = await db.getRepository(IdentityModel).find();
  console.log(model[0]?.parameters);
});
