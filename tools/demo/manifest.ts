import { StayPermit } from '../../subgraphs/immigration/entities/stay-permit';
import { currentPermit } from '../../subgraphs/immigration/rules';
import { WorkPermitStatus } from '../../subgraphs/manpower/enums';
import { workPermitStatus } from '../../subgraphs/manpower/rules';
import { groupBy } from '../../subgraphs/shared/loaders';
import { countByKind } from './check';
import { DemoSettings, generateDemoData, resolveOptions } from './generate';
import {
  DemoBatch,
  DemoExamples,
  DemoManifest,
  DemoOptions,
  FINDING_KINDS,
  FindingKind,
  IdentityTruth,
  PlantedViolation,
} from './types';

/** Table name of each batch field: the manifest counts rows the way the databases will. */
export const TABLES = {
  foreign_national: (batch: DemoBatch) => batch.immigration.foreignNationals,
  passport: (batch: DemoBatch) => batch.immigration.passports,
  stay_permit: (batch: DemoBatch) => batch.immigration.stayPermits,
  border_crossing: (batch: DemoBatch) => batch.immigration.borderCrossings,
  administrative_action: (batch: DemoBatch) => batch.immigration.administrativeActions,
  employer: (batch: DemoBatch) => batch.manpower.employers,
  work_permit: (batch: DemoBatch) => batch.manpower.workPermits,
  police_report: (batch: DemoBatch) => batch.police.policeReports,
  report_party: (batch: DemoBatch) => batch.police.reportParties,
  presence_registration: (batch: DemoBatch) => batch.police.presenceRegistrations,
} as const;

/** Above this many persons the manifest lists only the first violations; the rest go to a file. */
export const LARGE_RUN_PERSONS = 100_000;
export const LISTED_VIOLATIONS_OF_LARGE_RUN = 1000;

/** Folds batches into the manifest as they stream past, keeping only counters (and, for small runs, the violations). */
export class ManifestBuilder {
  private readonly counts: Record<string, number> = Object.fromEntries(Object.keys(TABLES).map((table) => [table, 0]));
  private readonly activePermitHolders = { VISIT: 0, LIMITED: 0, PERMANENT: 0 };
  private readonly personsByRegency: Record<string, number> = {};
  private readonly personsByNationality: Record<string, number> = {};
  private readonly activeWorkPermitsBySector: Record<string, number> = {};
  private readonly violationsByKind = Object.fromEntries(FINDING_KINDS.map((kind) => [kind, 0])) as Record<
    FindingKind,
    number
  >;
  private readonly violations: PlantedViolation[] = [];
  private readonly identityTruth: IdentityTruth[] = [];
  private identityTruthTotal = 0;
  private readonly examples: Partial<DemoExamples> = {};
  private readonly sectorByNib = new Map<string, string>();
  private readonly violationLimit: number;

  constructor(private readonly settings: DemoSettings) {
    this.violationLimit = settings.persons >= LARGE_RUN_PERSONS ? LISTED_VIOLATIONS_OF_LARGE_RUN : Infinity;
  }

  add(batch: DemoBatch): void {
    for (const [table, rows] of Object.entries(TABLES)) this.counts[table] += rows(batch).length;
    for (const employer of batch.manpower.employers) this.sectorByNib.set(employer.nib, employer.sector);
    for (const person of batch.immigration.foreignNationals) increment(this.personsByNationality, person.nationality);
    this.countPermits(batch.immigration.stayPermits);
    for (const permit of batch.manpower.workPermits) {
      if (workPermitStatus(permit, this.settings.anchor) === WorkPermitStatus.ACTIVE) {
        increment(this.activeWorkPermitsBySector, this.sectorByNib.get(permit.employerNib) ?? 'UNKNOWN');
      }
    }
    const counted = countByKind(batch.violations);
    for (const kind of FINDING_KINDS) this.violationsByKind[kind] += counted[kind];
    this.identityTruthTotal += batch.identityTruth.length;
    const truthRoom = this.violationLimit - this.identityTruth.length;
    if (truthRoom > 0) this.identityTruth.push(...batch.identityTruth.slice(0, truthRoom));
    const room = this.violationLimit - this.violations.length;
    if (room > 0) this.violations.push(...batch.violations.slice(0, room));
    for (const [name, example] of Object.entries(batch.examples)) {
      if (!(name in this.examples)) Object.assign(this.examples, { [name]: example });
    }
  }

  /** Counts with the project's own rules: a person counts under the kind of the current permit. */
  private countPermits(stayPermits: StayPermit[]): void {
    for (const permits of groupBy(stayPermits, (permit) => permit.personId).values()) {
      const current = currentPermit(permits, this.settings.anchor);
      if (current && current.kind in this.activePermitHolders)
        this.activePermitHolders[current.kind as keyof typeof this.activePermitHolders] += 1;
      const latest = current ?? permits.reduce((a, b) => (b.validUntil > a.validUntil ? b : a));
      increment(this.personsByRegency, latest.domicileRegency);
    }
  }

  finish(violationsFile?: string): DemoManifest {
    const { renewedPassport, nameOnlyPoliceMatch, cleanPerson } = this.examples;
    if (!renewedPassport || !nameOnlyPoliceMatch || !cleanPerson)
      throw new Error('Demo data: an example of the manifest was not generated');
    const total = Object.values(this.violationsByKind).reduce((sum, count) => sum + count, 0);
    return {
      seed: this.settings.seed,
      persons: this.settings.persons,
      anchor: this.settings.anchor,
      batchSize: this.settings.batchSize,
      counts: { ...this.counts },
      activePermitHolders: { ...this.activePermitHolders },
      personsByRegency: sortedByCount(this.personsByRegency),
      personsByNationality: sortedByCount(this.personsByNationality),
      activeWorkPermitsBySector: sortedByCount(this.activeWorkPermitsBySector),
      violationsByKind: { ...this.violationsByKind },
      violations: this.violations,
      violationsComplete: this.violations.length === total,
      ...(violationsFile ? { violationsFile } : {}),
      examples: { renewedPassport, nameOnlyPoliceMatch, cleanPerson },
      identityTruth: this.identityTruth,
      identityTruthComplete: this.identityTruth.length === this.identityTruthTotal,
    };
  }
}

function increment(counter: Record<string, number>, key: string): void {
  counter[key] = (counter[key] ?? 0) + 1;
}

function sortedByCount(counter: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counter).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
}

/** The manifest of a run without writing any database (tests, dry runs). */
export function buildManifest(options: DemoOptions): DemoManifest {
  const builder = new ManifestBuilder(resolveOptions(options));
  for (const batch of generateDemoData(options)) builder.add(batch);
  return builder.finish();
}
