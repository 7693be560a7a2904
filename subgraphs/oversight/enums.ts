import { registerEnumType } from 'type-graphql';

export enum FindingKind {
  OVERSTAY = 'OVERSTAY',
  VISIT_PERMIT_WORKING = 'VISIT_PERMIT_WORKING',
  SPONSOR_NOT_EMPLOYER = 'SPONSOR_NOT_EMPLOYER',
  WORK_OUTSIDE_PERMITTED_REGENCY = 'WORK_OUTSIDE_PERMITTED_REGENCY',
  WORK_WITHOUT_RPTKA = 'WORK_WITHOUT_RPTKA',
  WORK_AFTER_PERMIT_EXPIRED = 'WORK_AFTER_PERMIT_EXPIRED',
  SUSPECT_IN_OPEN_REPORT = 'SUSPECT_IN_OPEN_REPORT',
}

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

registerEnumType(FindingKind, {
  name: 'FindingKind',
  valuesConfig: {
    OVERSTAY: { description: 'In the country after the last stay permit expired (UU 6/2011 art. 78).' },
    VISIT_PERMIT_WORKING: { description: 'An active VISIT permit and an active work authorisation.' },
    SPONSOR_NOT_EMPLOYER: { description: 'The ITAS sponsor is not the employer on the active work authorisation.' },
    WORK_OUTSIDE_PERMITTED_REGENCY: { description: "Employer or domicile outside the RPTKA's work regencies." },
    WORK_WITHOUT_RPTKA: { description: 'A work-purpose ITAS without an active RPTKA.' },
    WORK_AFTER_PERMIT_EXPIRED: { description: 'An active work authorisation while the stay permit has expired.' },
    SUSPECT_IN_OPEN_REPORT: { description: 'Named as suspect in a police report that is not closed.' },
  },
});
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
