import { registerEnumType } from 'type-graphql';

export enum Sex {
  MALE = 'MALE',
  FEMALE = 'FEMALE',
}

/** Stay permit kinds of UU 6/2011 art. 48. */
export enum StayPermitKind {
  VISIT = 'VISIT',
  LIMITED = 'LIMITED',
  PERMANENT = 'PERMANENT',
  DIPLOMATIC = 'DIPLOMATIC',
  SERVICE = 'SERVICE',
}

export enum StayPurpose {
  TOURISM = 'TOURISM',
  BUSINESS = 'BUSINESS',
  WORK = 'WORK',
  INVESTMENT = 'INVESTMENT',
  STUDY = 'STUDY',
  FAMILY = 'FAMILY',
  RETIREMENT = 'RETIREMENT',
  OFFICIAL = 'OFFICIAL',
}

/** What the immigration office recorded; EXPIRED is never stored, it follows from the date. */
export enum RecordedPermitStatus {
  ACTIVE = 'ACTIVE',
  CANCELLED = 'CANCELLED',
  CONVERTED = 'CONVERTED',
}

export enum PermitStatus {
  ACTIVE = 'ACTIVE',
  NOT_YET_VALID = 'NOT_YET_VALID',
  EXPIRED = 'EXPIRED',
  CANCELLED = 'CANCELLED',
  CONVERTED = 'CONVERTED',
}

export enum SponsorType {
  COMPANY = 'COMPANY',
  PERSON = 'PERSON',
}

export enum CrossingDirection {
  ENTRY = 'ENTRY',
  EXIT = 'EXIT',
}

/** Administrative actions of UU 6/2011 art. 75. */
export enum AdministrativeActionKind {
  DEPORTATION = 'DEPORTATION',
  DETENTION = 'DETENTION',
  ENTRY_BAN = 'ENTRY_BAN',
  EXIT_BAN = 'EXIT_BAN',
  CHARGE = 'CHARGE',
  PERMIT_CANCELLATION = 'PERMIT_CANCELLATION',
}

registerEnumType(Sex, { name: 'Sex' });
registerEnumType(StayPermitKind, {
  name: 'StayPermitKind',
  valuesConfig: {
    VISIT: { description: 'Izin Tinggal Kunjungan (ITK)' },
    LIMITED: { description: 'Izin Tinggal Terbatas (ITAS)' },
    PERMANENT: { description: 'Izin Tinggal Tetap (ITAP)' },
  },
});
registerEnumType(StayPurpose, { name: 'StayPurpose' });
registerEnumType(PermitStatus, { name: 'PermitStatus', description: 'Derived for today from the validity dates.' });
registerEnumType(SponsorType, { name: 'SponsorType' });
registerEnumType(CrossingDirection, { name: 'CrossingDirection' });
registerEnumType(AdministrativeActionKind, { name: 'AdministrativeActionKind' });
