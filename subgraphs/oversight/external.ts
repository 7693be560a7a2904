import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';
import { AdministrativeActionKind, CrossingDirection, PermitStatus, StayPermitKind } from '../immigration/enums';
import { PartyRole } from '../police/enums';

/**
 * Other agencies' types as oversight reads them: only the fields its timeline requires, all
 * @external. The gateway fetches them from their owners and hands them over (@requires).
 */

@ObjectType()
export class BorderCrossing {
  @Field(() => CrossingDirection) @Directive('@external') direction: CrossingDirection;
  @Field(() => DateTimeISOResolver) @Directive('@external') crossedAt: string;
  @Field() @Directive('@external') checkpoint: string;
}

@ObjectType()
export class StayPermit {
  @Field() @Directive('@external') permitNumber: string;
  @Field(() => StayPermitKind) @Directive('@external') kind: StayPermitKind;
  @Field(() => LocalDateResolver) @Directive('@external') validFrom: string;
  @Field(() => LocalDateResolver) @Directive('@external') validUntil: string;
  @Field(() => PermitStatus) @Directive('@external') status: PermitStatus;
}

@ObjectType()
export class AdministrativeAction {
  @Field(() => AdministrativeActionKind) @Directive('@external') kind: AdministrativeActionKind;
  @Field(() => LocalDateResolver) @Directive('@external') decidedOn: string;
  @Field() @Directive('@external') reason: string;
}

@ObjectType()
@Directive('@key(fields: "nib")')
export class Employer {
  @Field() nib: string;
  @Field() @Directive('@external') name: string;
}

@ObjectType()
@Directive('@key(fields: "id")')
export class WorkPermit {
  @Field(() => ID) id: string;
  @Field() @Directive('@external') rptkaNumber: string;
  @Field(() => LocalDateResolver) @Directive('@external') validFrom: string;
  @Field(() => LocalDateResolver) @Directive('@external') validUntil: string;
  @Field(() => Employer) @Directive('@external') employer: Employer;
}

@ObjectType()
@Directive('@key(fields: "id")')
export class PoliceReport {
  @Field(() => ID) id: string;
  @Field() @Directive('@external') reportNumber: string;
  @Field(() => DateTimeISOResolver) @Directive('@external') occurredAt: string;
  @Field() @Directive('@external') category: string;
}

@ObjectType()
export class PoliceInvolvement {
  @Field(() => PartyRole) @Directive('@external') role: PartyRole;
  @Field(() => PoliceReport) @Directive('@external') report: PoliceReport;
}

/** A foreign national, owned by immigration; oversight adds findings and the cross-agency timeline. */
@ObjectType()
@Directive('@key(fields: "id")')
export class ForeignNational {
  @Field(() => ID)
  id: string;

  @Field(() => [BorderCrossing], { nullable: true }) @Directive('@external') crossings: BorderCrossing[] | null;
  @Field(() => [StayPermit]) @Directive('@external') stayPermits: StayPermit[];
  @Field(() => [AdministrativeAction], { nullable: true }) @Directive('@external') administrativeActions: AdministrativeAction[] | null;
  @Field(() => [WorkPermit], { nullable: true }) @Directive('@external') workPermits: WorkPermit[] | null;
  @Field(() => [PoliceInvolvement], { nullable: true }) @Directive('@external') policeReports: PoliceInvolvement[] | null;
}
