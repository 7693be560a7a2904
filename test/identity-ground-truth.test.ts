import { IdentityDecision } from '../subgraphs/immigration/entities/identity';
import { IdentityTruth } from '../tools/demo/types';
import { startTestSystem, TestSystem } from './helpers/system';

/**
 * Entity resolution against the demo data's ground truth (manifest.identityTruth): the
 * automatic decisions the seed made, and `identityCandidates` asked through the gateway with each
 * record as it was written. The figures per kind of noise are printed; README.md reports them.
 */
jest.setTimeout(240_000);

let t: TestSystem;
beforeAll(async () => {
  t = await startTestSystem();
});
afterAll(() => t?.stop());

interface Figures {
  records: number;
  top1: number;
  top5: number;
  autoLinked: number;
  autoLinkedRight: number;
}

const CANDIDATES = `query Candidates($record: IdentityInput!) {
  identityCandidates(record: $record, first: 5) { probability decision foreignNational { id } }
}`;

async function topCandidates(truth: IdentityTruth): Promise<string[]> {
  const record = {
    fullName: truth.writtenName,
    dateOfBirth: truth.writtenDateOfBirth,
    nationality: truth.writtenNationality,
  };
  const response = await t.query(CANDIDATES, { record });
  expect(response.errors).toBeUndefined();
  return response.data.identityCandidates.map(
    (candidate: { foreignNational: { id: string } }) => candidate.foreignNational.id,
  );
}

function kindOf(truth: IdentityTruth): string[] {
  if (truth.decoy) return [`decoy ${truth.decoy}`];
  const kinds = [`name ${truth.nameNoise}`, `birth date ${truth.dateNoise}`];
  if (truth.nationalityMissing) kinds.push('nationality MISSING');
  return kinds;
}

describe('entity resolution against the ground truth', () => {
  it('links noisy records right, ranks the true person first, and links no decoy', async () => {
    const truth = t.manifest.identityTruth;
    expect(t.manifest.identityTruthComplete).toBe(true);
    const decisions = await t.subgraph('immigration').db.getRepository(IdentityDecision).find();
    const autoLinked = new Map(
      decisions.filter((row) => row.decision === 'AUTO_LINKED').map((row) => [row.recordId, row.personId]),
    );
    const figures = new Map<string, Figures>();
    const add = (kind: string, update: (figures: Figures) => void) => {
      const entry = figures.get(kind) ?? { records: 0, top1: 0, top5: 0, autoLinked: 0, autoLinkedRight: 0 };
      update(entry);
      figures.set(kind, entry);
    };
    for (let start = 0; start < truth.length; start += 8) {
      const batch = truth.slice(start, start + 8);
      const tops = await Promise.all(batch.map(topCandidates));
      batch.forEach((record, index) => {
        const linked = autoLinked.get(record.recordId);
        for (const kind of [...kindOf(record), record.decoy ? 'all decoys' : 'all true records'])
          add(kind, (entry) => {
            entry.records++;
            if (record.personId && tops[index][0] === record.personId) entry.top1++;
            if (record.personId && tops[index].includes(record.personId)) entry.top5++;
            if (linked) entry.autoLinked++;
            if (linked && linked === record.personId) entry.autoLinkedRight++;
          });
      });
    }
    const rows = [...figures].sort(([a], [b]) => a.localeCompare(b));
    const ratio = (part: number, whole: number) => (whole ? (part / whole).toFixed(3) : '—');
    console.log(
      [
        '| records | count | top-1 | top-5 | auto-linked | auto-link precision | auto-link recall |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        ...rows.map(
          ([kind, entry]) =>
            `| ${kind} | ${entry.records} | ${ratio(entry.top1, entry.records)} | ${ratio(entry.top5, entry.records)} | ${entry.autoLinked} | ${ratio(entry.autoLinkedRight, entry.autoLinked)} | ${ratio(entry.autoLinkedRight, entry.records)} |`,
        ),
      ].join('\n'),
    );
    const all = figures.get('all true records')!;
    const decoys = figures.get('all decoys')!;
    expect(all.records).toBeGreaterThan(200);
    expect(decoys.records).toBeGreaterThan(30);
    expect(decoys.autoLinked).toBe(0);
    expect(all.autoLinkedRight / (all.autoLinked + decoys.autoLinked)).toBeGreaterThanOrEqual(0.99);
    expect(all.top5 / all.records).toBeGreaterThanOrEqual(0.98);
    expect(all.top1 / all.records).toBeGreaterThanOrEqual(0.95);
  });
});
