import { registerEnumType } from 'type-graphql';

/** Model A: found by an officer; model B: a complaint from the public. */
export enum ReportModel {
  A = 'A',
  B = 'B',
}

export enum ReportStatus {
  REPORTED = 'REPORTED',
  INQUIRY = 'INQUIRY',
  INVESTIGATION = 'INVESTIGATION',
  CLOSED = 'CLOSED',
  REFERRED_TO_IMMIGRATION = 'REFERRED_TO_IMMIGRATION',
}

export enum PartyRole {
  SUSPECT = 'SUSPECT',
  VICTIM = 'VICTIM',
  WITNESS = 'WITNESS',
  REPORTER = 'REPORTER',
}

/** Why a police record was attributed to a person: the explanation analysts ask for. */
export enum MatchBasis {
  PASSPORT = 'PASSPORT',
  NAME_BIRTH_DATE_NATIONALITY = 'NAME_BIRTH_DATE_NATIONALITY',
}

registerEnumType(ReportModel, { name: 'ReportModel' });
registerEnumType(ReportStatus, { name: 'ReportStatus' });
registerEnumType(PartyRole, { name: 'PartyRole' });
registerEnumType(MatchBasis, { name: 'MatchBasis' });
