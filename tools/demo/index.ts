/**
 * Deterministic demo data for the three agencies, reproducing the Kalbar TIMPORA article of
 * 18 June 2025 (75 VISIT, 1,131 ITAS, 65 ITAP holders; Ketapang; China, Malaysia, India) with
 * planted findings, and scaling to millions of persons in constant memory.
 */
export { DEFAULT_PERSONS, DEFAULT_SEED, MIN_PERSONS, Profile, PLANTED } from './profiles';
export { DEFAULT_BATCH_SIZE, DEFAULT_EMPLOYERS, generateDemoData, resolveOptions } from './generate';
export type { DemoSettings } from './generate';
export { buildManifest, ManifestBuilder, TABLES, LARGE_RUN_PERSONS } from './manifest';
export { seedDatabases } from './seed';
export type { SeedTimings } from './seed';
export type { DemoDatabases, SeedOptions } from './seed';
export { checkDataset, checkPerson, countByKind, violationKeys } from './check';
export type { DemoTables, PersonEvidence, MatchedParty } from './check';
export { MAX_PERSONS } from './passports';
export { FINDING_KINDS } from './types';
export type {
  DemoBatch,
  DemoExamples,
  DemoManifest,
  DemoOptions,
  FindingKind,
  PlantedViolation,
  PassportRef,
} from './types';
