/**
 * Entity resolution's tables, kept by immigration (the identity authority): the blocking index
 * over persons, name token frequencies, the model's parameters, the records scored, and the
 * decisions about them with their history. Police keeps its records; these name them by id.
 */
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CodeColumn, InstantColumn, TextColumn } from '../../shared/columns';

/** One blocking key of a person (names' phonetic keys in pairs, with a birth year, with an initial). */
@Entity('identity_block_key')
export class IdentityBlockKey {
  @PrimaryColumn('varchar', { length: 80 })
  key: string;

  /** No index of its own: a person's keys are deleted by the primary key (blocking.ts, indexPersons). */
  @PrimaryColumn('varchar', { length: 36 })
  personId: string;
}

/**
 * How many persons carry a canonical name token (the term frequencies), or a blocking key (how
 * broad it is, "pp:…" and the like), or "*": every person indexed.
 */
@Entity('identity_count')
export class IdentityCount {
  @PrimaryColumn('varchar', { length: 80 })
  key: string;

  @Column('integer')
  persons: number;
}

/** The name and birth date a person was indexed with, so that re-indexing removes exactly what was added. */
@Entity('identity_indexed_person')
export class IdentityIndexedPerson {
  @PrimaryColumn('varchar', { length: 36 })
  personId: string;

  @TextColumn()
  nameKey: string;

  @CodeColumn(10)
  dateOfBirth: string;
}

/** The model's parameters (m, u, match rate) as last estimated; none stored means the defaults. */
@Entity('identity_model')
export class IdentityModel {
  @PrimaryColumn('varchar', { length: 20 })
  id: string;

  @Column('text')
  parameters: string;

  @InstantColumn()
  estimatedAt: string;
}

/** A record without passport as it was last scored: what the review queue shows and re-scores. */
@Entity('identity_record')
@Index('identity_record_queue', ['status', 'recordId'])
export class IdentityRecord {
  @PrimaryColumn('varchar', { length: 36 })
  recordId: string;

  @CodeColumn(24)
  recordKind: string;

  @TextColumn()
  fullName: string;

  /** "YYYY-MM-DD", "YYYY", or null. */
  @CodeColumn(10, { nullable: true })
  dateOfBirth: string | null;

  @CodeColumn(3, { nullable: true })
  nationality: string | null;

  /** AUTO_LINKED, REVIEW, NO_MATCH or CONFIRMED: where the record stands as a whole. */
  @CodeColumn(16)
  status: string;

  @Column('float', { nullable: true })
  bestProbability: number | null;

  @InstantColumn()
  scoredAt: string;
}

/** What is decided about one record and one person: AUTO_LINKED, REVIEW, CONFIRMED or REJECTED. */
@Entity('identity_decision')
export class IdentityDecision {
  @PrimaryColumn('varchar', { length: 36 })
  recordId: string;

  @Index()
  @PrimaryColumn('varchar', { length: 36 })
  personId: string;

  @CodeColumn(16)
  decision: string;

  @Column('float')
  probability: number;

  /** The analyst, or "identity-linker" for automatic decisions. */
  @TextColumn({ length: 120 })
  decidedBy: string;

  @InstantColumn()
  decidedAt: string;

  @TextColumn({ length: 1000, nullable: true })
  reason: string | null;
}

/** Every change of a decision, append-only: who, when, why, from what to what. */
@Entity('identity_decision_event')
@Index('identity_decision_event_record', ['recordId', 'decidedAt'])
export class IdentityDecisionEvent {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @CodeColumn(36)
  recordId: string;

  @CodeColumn(36)
  personId: string;

  @CodeColumn(16, { nullable: true })
  previous: string | null;

  @CodeColumn(16)
  decision: string;

  @Column('float')
  probability: number;

  @TextColumn({ length: 120 })
  decidedBy: string;

  @InstantColumn()
  decidedAt: string;

  @TextColumn({ length: 1000, nullable: true })
  reason: string | null;
}

export const identityEntities = [
  IdentityBlockKey,
  IdentityCount,
  IdentityIndexedPerson,
  IdentityModel,
  IdentityRecord,
  IdentityDecision,
  IdentityDecisionEvent,
];
