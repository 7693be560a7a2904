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
  /** Immigration's entity resolution scored the record above the auto-link threshold. */
  PROBABILISTIC = 'PROBABILISTIC',
  /** An analyst confirmed immigration's candidate. */
  CONFIRMED = 'CONFIRMED',
  NAME_BIRTH_DATE_NATIONALITY = 'NAME_BIRTH_DATE_NATIONALITY',
}

registerEnumType(ReportModel, { name: 'ReportModel' });
registerEnumType(ReportStatus, { name: 'ReportStatus' });
registerEnumType(PartyRole, { name: 'PartyRole' });
registerEnumType(MatchBasis, {
  name: 'MatchBasis',
  valuesConfig: {
    NAME_BIRTH_DATE_NATIONALITY: {
      deprecationReason: 'No longer given: records without passport are linked by PROBABILISTIC or CONFIRMED.',
    },
  },
});
