import { registerEnumType } from 'type-graphql';

// FindingKind is the rules registry's: rules/index.ts.

export enum Severity {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
}

/**
 * Where a finding stands. A refresh moves OPEN ⇄ CLOSED as the rule holds or not; closing a case
 * settles its findings as ACTIONED or DISMISSED, which later refreshes keep until new evidence
 * reopens them (refresh.ts). Findings are never deleted.
 */
export enum FindingStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
  ACTIONED = 'ACTIONED',
  DISMISSED = 'DISMISSED',
}

export enum SourceAgency {
  IMMIGRATION = 'IMMIGRATION',
  MANPOWER = 'MANPOWER',
  POLICE = 'POLICE',
}

registerEnumType(Severity, { name: 'Severity' });
registerEnumType(FindingStatus, {
  name: 'FindingStatus',
  valuesConfig: {
    OPEN: {
      description: 'The rule held at the last refresh and no closed case has settled it (a case may be working on it).',
    },
    CLOSED: { description: 'The rule no longer held at a refresh, before any case settled it.' },
    ACTIONED: {
      description:
        'A closed case decided to act on it (deportation, charge, entry ban); kept until new evidence reopens it.',
    },
    DISMISSED: { description: 'A closed case decided no action; kept until new evidence reopens it.' },
  },
});
registerEnumType(SourceAgency, { name: 'SourceAgency' });

/** A case moves OPEN → DECIDED → CLOSED; notes and assignment are allowed until it is closed. */
export enum CaseStatus {
  OPEN = 'OPEN',
  DECIDED = 'DECIDED',
  CLOSED = 'CLOSED',
}

/** Decisions after a case review (gelar kasus), UU 6/2011 art. 75, or dismissal. */
export enum DecisionKind {
  DEPORTATION = 'DEPORTATION',
  CHARGE = 'CHARGE',
  ENTRY_BAN = 'ENTRY_BAN',
  DISMISSED = 'DISMISSED',
}

/** What closing a case decided this way makes of its findings. */
export const SETTLED_AS: Record<DecisionKind, FindingStatus> = {
  [DecisionKind.DEPORTATION]: FindingStatus.ACTIONED,
  [DecisionKind.CHARGE]: FindingStatus.ACTIONED,
  [DecisionKind.ENTRY_BAN]: FindingStatus.ACTIONED,
  [DecisionKind.DISMISSED]: FindingStatus.DISMISSED,
};

/** Settled by a closed case: a refresh keeps these until new evidence appears. */
export const SETTLED_STATUSES = [FindingStatus.ACTIONED, FindingStatus.DISMISSED];

registerEnumType(CaseStatus, { name: 'CaseStatus' });
registerEnumType(DecisionKind, { name: 'DecisionKind' });
