import { randomUUID } from 'node:crypto';
import { ForeignNational } from '../../subgraphs/immigration/entities/foreign-national';
import { Passport } from '../../subgraphs/immigration/entities/passport';
import { PartyRole } from '../../subgraphs/police/enums';
import { PoliceReport } from '../../subgraphs/police/entities/police-report';
import { ReportParty } from '../../subgraphs/police/entities/report-party';
import { TestSystem } from './system';
import { thresholdsFromEnv } from '../../subgraphs/immigration/matching/decisions';
import { linkPoliceRecords } from '../../tools/identity-resolution';

/**
 * The demo's police reports name one foreigner each, so no two persons share one. This names two
 * more in a report, as witnesses: `byPassport` with their current passport, `byIdentity` by name,
 * birth date and nationality only (as reports without a passport do, linked by entity resolution),
 * for links to find.
 */
export async function nameInReport(
  t: TestSystem,
  reportNumber: string,
  persons: { byPassport: string; byIdentity: string },
): Promise<void> {
  const immigration = t.subgraph('immigration').db;
  const police = t.subgraph('police').db;
  const report = await police.getRepository(PoliceReport).findOneByOrFail({ reportNumber });
  const party = async (personId: string, withPassport: boolean): Promise<ReportParty> => {
    const person = await immigration.getRepository(ForeignNational).findOneByOrFail({ id: personId });
    const passport = await immigration.getRepository(Passport).findOneByOrFail({ personId, current: true });
    return police.getRepository(ReportParty).create({
      id: randomUUID(),
      reportId: report.id,
      role: PartyRole.WITNESS,
      fullName: person.fullName,
      nameKey: person.nameKey,
      passportNumber: withPassport ? passport.number : null,
      passportCountry: withPassport ? passport.country : null,
      dateOfBirth: person.dateOfBirth,
      nationality: person.nationality,
    });
  };
  const parties = [await party(persons.byPassport, true), await party(persons.byIdentity, false)];
  await police.getRepository(ReportParty).save(parties);
  // As an import does: the record without passport is scored and decided (tools/identity-resolution.ts).
  await linkPoliceRecords({ immigration, police }, { thresholds: thresholdsFromEnv(), ids: [parties[1].id] });
}
