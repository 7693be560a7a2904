import { registerEnumType } from 'type-graphql';

// FindingKind is the rules registry's: rules/index.ts.

export enum Severity {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
}

/** OPEN while the rule still holds at the last refresh; CLOSED (never deleted) once it does not. */
export enum FindingStatus {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}

export enum SourceAgency {
  IMMIGRATION = 'IMMIGRATION',
  MANPOWER = 'MANPOWER',
  POLICE = 'POLICE',
}

registerEnumType(Severity, { name: 'Severity' });
registerEnumType(FindingStatus, { name: 'FindingStatus' });
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

registerEnumType(CaseStatus, { name: 'CaseStatus' });
registerEnumType(DecisionKind, { name: 'DecisionKind' });
