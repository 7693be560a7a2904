import { registerEnumType } from 'type-graphql';
import type { Evidence } from '../entities/finding';
import { Severity } from '../enums';
import { overstay } from './overstay';
import { mergeSelections } from './selection';
import { sponsorNotEmployer } from './sponsor-not-employer';
import { suspectInOpenReport } from './suspect-in-open-report';
import { FACTS_READS, factsOf, PersonView } from './view';
import { visitPermitWorking } from './visit-permit-working';
import { workAfterPermitExpired } from './work-after-permit-expired';
import { workOutsidePermittedRegency } from './work-outside-permitted-regency';
import { workWithoutRptka } from './work-without-rptka';

import { hasNewRecord, RecordedEvidence } from './rule';

export type { Rule, RecordedEvidence } from './rule';
export type { PersonView } from './view';

/**
 * Every finding rule, in the order they are evaluated and their kinds are listed in the schema.
 * What each means and how to add one: README.md in this folder.
 */
export const RULES = [
  overstay,
  visitPermitWorking,
  sponsorNotEmployer,
  workOutsidePermittedRegency,
  workWithoutRptka,
  workAfterPermitExpired,
  suspectInOpenReport,
] as const;

export type FindingKind = (typeof RULES)[number]['kind'];
export const FindingKind = Object.fromEntries(RULES.map((rule) => [rule.kind, rule.kind])) as {
  readonly [K in FindingKind]: K;
};

registerEnumType(FindingKind, {
  name: 'FindingKind',
  valuesConfig: Object.fromEntries(RULES.map((rule) => [rule.kind, { description: rule.description }])),
});

/** What the refresh reads of each person: the fields the shared facts and every rule read, merged. */
export const RULES_READ = mergeSelections([FACTS_READS, ...RULES.map((rule) => rule.reads)]);

export interface FindingDraft {
  kind: FindingKind;
  severity: Severity;
  personId: string;
  regency: string;
  nationality: string;
  employerNib: string | null;
  evidence: Evidence[];
  consequence: string;
  daysOver: number | null;
  chargeRupiah: number | null;
}

/** Every rule over one person's joined view, in registry order; at most one finding per rule. */
export function evaluate(person: PersonView): FindingDraft[] {
  const facts = factsOf(person);
  return RULES.flatMap((rule): FindingDraft[] => {
    const hit = rule.evaluate(facts);
    if (!hit) return [];
    const { evidence, ...extra } = hit;
    return [
      {
        kind: rule.kind,
        severity: rule.severity,
        evidence,
        personId: person.id,
        regency: facts.regency,
        nationality: person.nationality,
        employerNib: null,
        consequence: 'Case review (gelar kasus) under UU 6/2011 art. 75',
        daysOver: null,
        chargeRupiah: null,
        ...extra,
      },
    ];
  });
}

const RULE_OF_KIND = new Map<string, (typeof RULES)[number]>(RULES.map((rule) => [rule.kind, rule]));

/** Whether a draft of a settled finding brings evidence the settlement did not see (its rule's `newEvidence`). */
export function hasNewEvidence(settled: RecordedEvidence, draft: FindingDraft): boolean {
  const rule: { newEvidence?: (settled: RecordedEvidence, hit: RecordedEvidence) => boolean } | undefined =
    RULE_OF_KIND.get(draft.kind);
  return (rule?.newEvidence ?? hasNewRecord)(settled, draft);
}
