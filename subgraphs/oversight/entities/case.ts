import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeISOResolver } from 'graphql-scalars';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CodeColumn, InstantColumn, TextColumn } from '../../shared/columns';
import { CaseStatus, DecisionKind } from '../enums';

@ObjectType({ description: 'A case opened from findings, reviewed and decided by TIMPORA.' })
@Entity('oversight_case')
export class Case {
  @Field(() => ID)
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Field()
  @TextColumn()
  title: string;

  @Field(() => CaseStatus)
  @Index()
  @CodeColumn(8)
  status: CaseStatus;

  @Field(() => String, { nullable: true })
  @Index()
  @TextColumn({ nullable: true })
  assignee: string | null;

  @Field()
  @TextColumn()
  openedBy: string;

  @Field(() => DateTimeISOResolver)
  @InstantColumn()
  openedAt: string;

  @Field(() => DecisionKind, { nullable: true })
  @CodeColumn(12, { nullable: true })
  decision: DecisionKind | null;

  @Field(() => Number, { nullable: true, description: 'Charge in rupiah, for CHARGE decisions.' })
  @Column('bigint', { nullable: true, transformer: { to: (v) => v, from: (v) => (v == null ? null : Number(v)) } })
  decisionAmountRupiah: number | null;

  @Field(() => String, { nullable: true, description: 'Legal basis of the decision, e.g. "UU 6/2011 art. 75(2)".' })
  @TextColumn({ nullable: true })
  decisionLegalBasis: string | null;

  @Field(() => String, { nullable: true })
  @TextColumn({ nullable: true })
  decisionReason: string | null;
}

/** Which findings a case was opened from. */
@Entity('oversight_case_finding')
export class CaseFinding {
  @PrimaryColumn('varchar', { length: 36 })
  caseId: string;

  @PrimaryColumn('varchar', { length: 36 })
  findingId: string;
}

@ObjectType({ description: 'One change to a case: who did what, when. Never edited, never deleted.' })
@Entity('oversight_case_event')
@Index('case_event_order', ['caseId', 'sequence'])
export class CaseEvent {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @CodeColumn(36)
  caseId: string;

  @Column('integer')
  sequence: number;

  @Field(() => DateTimeISOResolver)
  @InstantColumn()
  at: string;

  @Field()
  @TextColumn()
  actor: string;

  @Field({ description: 'OPENED, ASSIGNED, NOTE_ADDED, DECIDED or CLOSED.' })
  @CodeColumn(12)
  action: string;

  @Field({ description: 'What changed: the note, the assignee, the decision.' })
  @TextColumn()
  details: string;
}
