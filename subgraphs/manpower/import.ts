import { In } from 'typeorm';
import { columns, RecordType, tally, upsertByKey, withoutRejected } from '../shared/import';
import { Employer } from './entities/employer';
import { WorkPermit } from './entities/work-permit';
import { RecordedWorkPermitStatus, Sector } from './enums';
import { countedEmployers, countedWorkPermits, recordWorkforceFigures } from './figures';

/** Manpower's files: employers (by NIB) and work authorisations (RPTKA). */

export const employers: RecordType = {
  agency: 'manpower',
  name: 'employers',
  description: 'Employers of foreign workers, keyed by NIB.',
  columns: [
    columns.nib('nib'),
    columns.text('npwp', 20),
    columns.text('name'),
    columns.digits('kbli_code', 5),
    columns.text('kbli_label'),
    columns.oneOf('sector', Sector),
    columns.text('address'),
    columns.text('regency', 40),
  ],
  async write(manager, records) {
    const nibs = records.map((record) => record.nib);
    const employersBefore = await countedEmployers(manager, nibs, 'write');
    const outcomes = await upsertByKey(
      manager,
      Employer,
      ['nib'],
      records.map((record) => ({
        nib: record.nib,
        npwp: record.npwp,
        name: record.name,
        kbliCode: record.kbli_code,
        kbliLabel: record.kbli_label,
        sector: record.sector,
        address: record.address,
        regency: record.regency,
      })),
    );
    // A changed sector or regency moves the counts of every RPTKA of the employer.
    await recordWorkforceFigures(manager, { employersBefore, employersAfter: await countedEmployers(manager, nibs) });
    return tally(outcomes);
  },
};

export const workPermits: RecordType = {
  agency: 'manpower',
  name: 'work-permits',
  description:
    'Work authorisations (RPTKA), keyed by rptka_number; the employer must be imported first. work_regencies: separated by ";".',
  columns: [
    columns.text('rptka_number', 40),
    columns.nib('employer_nib'),
    columns.text('worker_name'),
    columns.passportNumber('worker_passport_number'),
    columns.country('worker_passport_country'),
    columns.country('worker_nationality'),
    columns.text('position'),
    columns.list('work_regencies'),
    columns.date('valid_from'),
    columns.date('valid_until'),
    columns.oneOf('status', RecordedWorkPermitStatus),
    columns.text('counterpart_name'),
    columns.digits('counterpart_nik', 16),
    columns.date('dkptka_paid_until', false),
  ],
  async write(manager, records) {
    const known = new Set(
      (await manager.findBy(Employer, { nib: In([...new Set(records.map((record) => record.employer_nib))]) })).map(
        (employer) => employer.nib,
      ),
    );
    const rejected = records.flatMap((record, index) => [
      ...(known.has(record.employer_nib)
        ? []
        : [
            {
              index,
              column: 'employer_nib',
              reason: `no employer has NIB ${record.employer_nib} (import employers first)`,
            },
          ]),
      ...(record.valid_until < record.valid_from
        ? [{ index, column: 'valid_until', reason: 'is before valid_from' }]
        : []),
    ]);
    const valid = withoutRejected(records, rejected);
    const numbers = valid.map((record) => record.rptka_number);
    const permitsBefore = await countedWorkPermits(manager, numbers, 'write');
    const outcomes = await upsertByKey(
      manager,
      WorkPermit,
      ['rptkaNumber'],
      valid.map((record) => ({
        rptkaNumber: record.rptka_number,
        employerNib: record.employer_nib,
        workerName: record.worker_name,
        workerPassportNumber: record.worker_passport_number,
        workerPassportCountry: record.worker_passport_country,
        workerNationality: record.worker_nationality,
        position: record.position,
        workRegencies: record.work_regencies,
        validFrom: record.valid_from,
        validUntil: record.valid_until,
        recordedStatus: record.status,
        counterpartName: record.counterpart_name,
        counterpartNik: record.counterpart_nik,
        dkptkaPaidUntil: record.dkptka_paid_until,
      })),
    );
    await recordWorkforceFigures(manager, { permitsBefore, permitsAfter: await countedWorkPermits(manager, numbers) });
    return tally(outcomes, rejected);
  },
};

export const manpowerImports = [employers, workPermits];
