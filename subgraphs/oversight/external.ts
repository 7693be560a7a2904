import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { LocalDateResolver } from '../shared/scalars';

/**
 * Immigration's types as oversight reads them: only the fields its timeline requires, all
 * @external. The gateway fetches them from immigration and hands them over (@requires); the other
 * agencies' dated records come by peer calls (resolvers/timeline.resolver.ts says why).
 * Oversight imports no other subgraph's code: it declares its own view of the enums these fields
 * use, with the owners' GraphQL names, values and descriptions, so the composed supergraph does not
 * change (test/subgraph-boundaries.test.ts holds each copy to its owner's SDL).
 */

/** Immigration's. */
export enum CrossingDirection {
  ENTRY = 'ENTRY',
  EXIT = 'EXIT',
}

/** Immigration's: the stay permit kinds of UU 6/2011 art. 48. */
export enum StayPermitKind {
  VISIT = 'VISIT',
  LIMITED = 'LIMITED',
  PERMANENT = 'PERMANENT',
  DIPLOMATIC = 'DIPLOMATIC',
  SERVICE = 'SERVICE',
}

/** Immigration's. */
export enum PermitStatus {
  ACTIVE = 'ACTIVE',
  NOT_YET_VALID = 'NOT_YET_VALID',
  EXPIRED = 'EXPIRED',
  CANCELLED = 'CANCELLED',
  CONVERTED = 'CONVERTED',
}

/** Immigration's: the administrative actions of UU 6/2011 art. 75. */
export enum AdministrativeActionKind {
  DEPORTATION = 'DEPORTATION',
  DETENTION = 'DETENTION',
  ENTRY_BAN = 'ENTRY_BAN',
  EXIT_BAN = 'EXIT_BAN',
  CHARGE = 'CHARGE',
  PERMIT_CANCELLATION = 'PERMIT_CANCELLATION',
}

registerEnumType(CrossingDirection, { name: 'CrossingDirection' });
registerEnumType(StayPermitKind, {
  name: 'StayPermitKind',
  valuesConfig: {
    VISIT: { description: 'Izin Tinggal Kunjungan (ITK)' },
    LIMITED: { description: 'Izin Tinggal Terbatas (ITAS)' },
    PERMANENT: { description: 'Izin Tinggal Tetap (ITAP)' },
  },
});
registerEnumType(PermitStatus, { name: 'PermitStatus', description: 'Derived for today from the validity dates.' });
registerEnumType(AdministrativeActionKind, { name: 'AdministrativeActionKind' });

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
export class Passport {
  @Field() @Directive('@external') number: string;
  @Field() @Directive('@external') country: string;
  @Field(() => LocalDateResolver) @Directive('@external') issuedOn: string;
  @Field(() => LocalDateResolver) @Directive('@external') expiresOn: string;
}

/** A foreign national, owned by immigration; oversight adds findings and the cross-agency timeline. */
@ObjectType()
@Directive('@key(fields: "id")')
export class ForeignNational {
  @Field(() => ID)
  id: string;

  @Field(() => [BorderCrossing], { nullable: true }) @Directive('@external') crossings: BorderCrossing[] | null;
  @Field(() => [Passport]) @Directive('@external') passports: Passport[];
  @Field(() => [StayPermit]) @Directive('@external') stayPermits: StayPermit[];
  @Field(() => [AdministrativeAction], { nullable: true }) @Directive('@external') administrativeActions:
    AdministrativeAction[] | null;

  @Field(() => [String], { description: 'Match keys of all passports (immigration, @inaccessible).' })
  @Directive('@external')
  passportKeys: string[];

  @Field(() => [String], { description: 'Police records linked by entity resolution (immigration, @inaccessible).' })
  @Directive('@external')
  identityLinks: string[];
}
