import type { Evidence } from '../entities/finding';
import { Severity } from '../enums';
import { PersonFacts } from './view';

/**
 * One finding rule: what it finds, under which law, which fields of the person it reads, and how it
 * decides. The registry (index.ts) lists every rule; README.md in this folder says how to add one.
 */
export interface Rule<K extends string = string> {
  /** Its FindingKind value. */
  kind: K;
  /** The severity of its findings. */
  severity: Severity;
  /** When the facts raise the severity (an overstay beyond 60 days is HIGH). */
  escalation?: { severity: Severity; when: string };
  /** The description of its FindingKind value in the schema. */
  description: string;
  /** The law it cites (also in the README's table of finding rules). */
  law: string;
  /** What it reads of the joined person, as a selection on ForeignNational; the refresh reads all rules' selections. */
  reads: string;
  /** The finding when the rule holds for the person, else null. */
  evaluate(facts: PersonFacts): RuleHit | null;
  /**
   * Whether a hit brings evidence that the finding, as a closed case settled it, did not have; a
   * refresh then reopens the finding. Default: a record (permit, RPTKA, report, crossing) it did not list.
   */
  newEvidence?(settled: RecordedEvidence, hit: RecordedEvidence): boolean;
}

/** The evidence a finding records, or a hit brings, as a refresh compares them. */
export interface RecordedEvidence {
  evidence: Evidence[];
  daysOver?: number | null;
}

/** The default test for new evidence: a record the settled finding did not list. */
export const hasNewRecord = (settled: RecordedEvidence, hit: RecordedEvidence): boolean =>
  hit.evidence.some((fact) => !settled.evidence.some((known) => known.record === fact.record));

/** What a rule gives when it holds; the registry adds the kind, the person and the defaults (no employer, case review). */
export interface RuleHit {
  evidence: Evidence[];
  severity?: Severity;
  employerNib?: string | null;
  consequence?: string;
  daysOver?: number;
  chargeRupiah?: number | null;
}

/** Keeps the kind as a literal type, so that FindingKind is exactly the registry's kinds. */
export const defineRule = <K extends string>(rule: Rule<K>): Rule<K> => rule;
