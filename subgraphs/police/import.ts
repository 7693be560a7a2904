import { In } from 'typeorm';
import { columns, ParsedRecord, RecordType, tally, upsertByKey, withoutRejected } from '../shared/import';
import { nameKey } from '../shared/text';
import { PoliceReport } from './entities/police-report';
import { PresenceRegistration } from './entities/presence-registration';
import { ReportParty } from './entities/report-party';
import { PartyRole, ReportModel, ReportStatus } from './enums';

/** Police files: reports, the people each names, and registrations of foreigners' presence. */

/** A passport number is read with its issuing country: one without the other is refused. */
function unpairedPassport(record: ParsedRecord, index: number) {
  return Boolean(record.passport_number) !== Boolean(record.passport_country)
    ? [{ index, column: 'passport_country', reason: 'passport_number and passport_country go together' }]
    : [];
}

export const reports: RecordType = {
  agency: 'police',
  name: 'reports',
  description: 'Police reports naming foreigners, keyed by report_number.',
  columns: [
    columns.text('report_number', 60),
    columns.oneOf('model', ReportModel),
    columns.text('category'),
    columns.instant('occurred_at'),
    columns.text('regency', 40),
    columns.text('precinct'),
    columns.text('summary', 4000),
    columns.oneOf('status', ReportStatus),
  ],
  async write(manager, records) {
    return tally(
      await upsertByKey(
        manager,
        PoliceReport,
        ['reportNumber'],
        records.map((record) => ({
          reportNumber: record.report_number,
          model: record.model,
          category: record.category,
          occurredAt: record.occurred_at,
          regency: record.regency,
          precinct: record.precinct,
          summary: record.summary,
          status: record.status,
        })),
      ),
    );
  },
};

export const parties: RecordType = {
  agency: 'police',
  name: 'parties',
  description:
    'People a report names, keyed by report, name and role; passport, birth date and nationality when the report has them (nationality empty for Indonesian citizens).',
  columns: [
    columns.text('report_number', 60),
    columns.oneOf('role', PartyRole),
    columns.text('full_name'),
    columns.passportNumber('passport_number', false),
    columns.country('passport_country', false),
    columns.date('date_of_birth', false),
    columns.nationality('nationality', false),
  ],
  async write(manager, records) {
    const reportIds = new Map(
      (
        await manager.findBy(PoliceReport, {
          reportNumber: In([...new Set(records.map((record) => record.report_number))]),
        })
      ).map((report) => [report.reportNumber, report.id]),
    );
    const rejected = records.flatMap((record, index) => [
      ...(reportIds.has(record.report_number)
        ? []
        : [{ index, column: 'report_number', reason: `no report ${record.report_number} (import reports first)` }]),
      ...unpairedPassport(record, index),
    ]);
    const valid = withoutRejected(records, rejected);
    const outcomes = await upsertByKey(
      manager,
      ReportParty,
      ['reportId', 'nameKey', 'role'],
      valid.map((record) => ({
        reportId: reportIds.get(record.report_number),
        role: record.role,
        fullName: record.full_name,
        nameKey: nameKey(record.full_name),
        passportNumber: record.passport_number,
        passportCountry: record.passport_country,
        dateOfBirth: record.date_of_birth,
        nationality: record.nationality,
      })),
    );
    return tally(outcomes, rejected);
  },
};

export const registrations: RecordType = {
  agency: 'police',
  name: 'registrations',
  description: "Registrations of foreigners' presence (lapor diri), keyed by registration_number.",
  columns: [
    columns.text('registration_number', 40),
    columns.passportNumber('passport_number', false),
    columns.country('passport_country', false),
    columns.text('full_name'),
    columns.birthDate('date_of_birth'),
    columns.nationality('nationality', false),
    columns.text('reported_by'),
    columns.text('address'),
    columns.text('regency', 40),
    columns.text('precinct'),
    columns.instant('check_in'),
    { ...columns.instant('check_out'), required: false },
  ],
  async write(manager, records) {
    const rejected = records.flatMap(unpairedPassport);
    return tally(
      await upsertByKey(
        manager,
        PresenceRegistration,
        ['registrationNumber'],
        withoutRejected(records, rejected).map((record) => ({
          registrationNumber: record.registration_number,
          passportNumber: record.passport_number,
          passportCountry: record.passport_country,
          fullName: record.full_name,
          dateOfBirth: record.date_of_birth,
          nationality: record.nationality,
          reportedBy: record.reported_by,
          address: record.address,
          regency: record.regency,
          precinct: record.precinct,
          checkIn: record.check_in,
          checkOut: record.check_out,
        })),
      ),
      rejected,
    );
  },
};

export const policeImports = [reports, parties, registrations];
