import { READERS } from '../../shared/access';
import {
  Authorized,
  Arg,
  Ctx,
  Directive,
  Field,
  FieldResolver,
  InputType,
  Int,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { errors } from '../../../lib/errors';
import { identityKey, passportKey } from '../../shared/match-keys';
import { Connection, keysetPage } from '../../shared/pagination';
import { matchRegency, RegencySource, whereRegency } from '../../shared/geography';
import { SubgraphContext } from '../../shared/subgraph';
import { nameKey } from '../../shared/text';
import { PoliceReport } from '../entities/police-report';
import { PresenceRegistration } from '../entities/presence-registration';
import { ReportParty } from '../entities/report-party';
import { ReportStatus } from '../enums';
import { PoliceLoaders } from '../loaders';

type Context = SubgraphContext<PoliceLoaders>;

@InputType()
export class PoliceReportFilter {
  @Field({
    nullable: true,
    description:
      'Regency of the event; case, accents and extra spaces are ignored. A regency neither in the Kalbar list nor ' +
      'of any report is BAD_USER_INPUT, naming the known ones.',
  })
  regency?: string;

  @Field(() => ReportStatus, { nullable: true })
  status?: ReportStatus;
}

const PoliceReportConnection = Connection(PoliceReport, 'PoliceReport');

/** Where police records regencies, for matching regency arguments: the event's (indexed). */
const REPORT_REGENCIES: RegencySource<PoliceReport> = { entity: PoliceReport, property: 'regency' };

@Authorized(READERS.policeReports)
@Resolver(() => PoliceReport)
export class PoliceReportResolver {
  @Query(() => PoliceReport, { nullable: true })
  policeReport(@Arg('reportNumber') reportNumber: string, @Ctx() { db }: Context) {
    const number = reportNumber.trim();
    if (!number || number.length > 60)
      throw errors.badUserInput('"reportNumber" must be 1 to 60 characters', 'reportNumber');
    return db.getRepository(PoliceReport).findOneBy({ reportNumber: number });
  }

  @Query(() => PoliceReportConnection, {
    nullable: true,
    description: 'Police reports naming foreigners, newest first.',
  })
  async policeReports(
    @Arg('filter', () => PoliceReportFilter, { nullable: true }) filter: PoliceReportFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { db }: Context,
  ) {
    const query = db.getRepository(PoliceReport).createQueryBuilder('report');
    const regency = await matchRegency(db, filter?.regency, REPORT_REGENCIES);
    whereRegency(query, 'report.regency', regency);
    if (filter?.status) query.andWhere('report.status = :status', { status: filter.status });
    return keysetPage(query, { alias: 'report', sortBy: 'occurredAt', descending: true }, first, after);
  }

  @FieldResolver(() => [ReportParty], { description: 'Everyone the report names, with their role.' })
  involvedPeople(@Root() report: PoliceReport, @Ctx() { loaders }: Context) {
    return loaders.partiesByReport.load(report.id);
  }
}

/** How immigration tells who a party is (`ReportParty.foreignNational`, links); see shared/loaders.ts. */
@Resolver(() => ReportParty)
export class ReportPartyKeysResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Match key of the passport on the report, if any.' })
  @Directive('@inaccessible')
  passportKey(@Root() party: ReportParty) {
    return party.passportNumber && party.passportCountry
      ? passportKey(party.passportCountry, party.passportNumber)
      : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "A foreigner named without passport as immigration's entity resolution reads them: name, birth date and nationality (either may be empty).",
  })
  @Directive('@inaccessible')
  identityKey(@Root() party: ReportParty) {
    // Indonesian citizens (no nationality) are nobody immigration could be asked about.
    return !party.passportNumber && party.nationality
      ? identityKey(party.nameKey, party.dateOfBirth ?? '', party.nationality)
      : null;
  }
}

/** How immigration tells who a registration without passport is (`PresenceRegistration.foreignNational`). */
@Resolver(() => PresenceRegistration)
export class PresenceRegistrationKeysResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description: 'A stay registered without passport as entity resolution reads it: name, birth date and nationality.',
  })
  @Directive('@inaccessible')
  identityKey(@Root() registration: PresenceRegistration) {
    return registration.passportNumber
      ? null
      : identityKey(nameKey(registration.fullName), registration.dateOfBirth ?? '', registration.nationality ?? '');
  }
}
