import DataLoader from 'dataloader';
import { DataSource, In, IsNull } from 'typeorm';
import { findIn, inJsonList } from '../../lib/database';
import { groupBy, manyByKey, oneByKey } from '../shared/loaders';
import { passportKey, sponsorKey } from '../shared/match-keys';
import { AdministrativeAction } from './entities/administrative-action';
import { BorderCrossing } from './entities/border-crossing';
import { ForeignNational } from './entities/foreign-national';
import { IdentityDecision } from './entities/identity';
import { candidatesFor, CandidateRequest, DecidedCandidate } from './matching/candidates';
import { LINKING_DECISIONS } from './matching/decisions';
import { Passport } from './entities/passport';
import { StayPermit } from './entities/stay-permit';

export function createImmigrationLoaders(db: DataSource) {
  const byPerson = <T extends { personId: string }>(entity: new () => T) =>
    manyByKey<string, T>(
      (personIds) => findIn<T>(db, entity, 'personId', personIds),
      (row) => row.personId,
    );

  const personById = oneByKey<string, ForeignNational>(
    (ids) => findIn(db, ForeignNational, 'id', ids),
    (person) => person.id,
  );

  /** Passport key ("CHN:E123") to the passport, current or earlier. */
  const passportByKey = oneByKey<string, Passport>(
    (keys) =>
      findIn(
        db,
        Passport,
        'number',
        keys.map((key) => passportKey.decode(key).number),
      ),
    (passport) => passportKey(passport.country, passport.number),
  );

  /** Decisions that link a record to a person (AUTO_LINKED, CONFIRMED), by person and by record. */
  const linking = (property: 'personId' | 'recordId') =>
    manyByKey<string, IdentityDecision>(
      async (keys) =>
        (await findIn(db, IdentityDecision, property, keys)).filter((row) => LINKING_DECISIONS.includes(row.decision)),
      (row) => row[property],
    );

  /*
   * Links resolve every co-worker, report party and permit holder of a page at once: thousands of
   * keys, each list bound as one JSON parameter, so one statement per list whatever the page size.
   */
  const holderByPassportKey = new DataLoader<string, ForeignNational | null>(async (keys) => {
    const numbers = [...new Set(keys.map((key) => passportKey.decode(key).number))];
    const passports = await db
      .getRepository(Passport)
      .createQueryBuilder('passport')
      .innerJoinAndMapOne('passport.holder', ForeignNational, 'holder', 'holder.id = passport.personId')
      .where(inJsonList(db, 'passport.number', 'numbers'), { numbers: JSON.stringify(numbers) })
      .getMany();
    const holders = new Map(
      (passports as (Passport & { holder: ForeignNational })[]).map((passport) => [
        passportKey(passport.country, passport.number),
        passport.holder,
      ]),
    );
    return keys.map((key) => holders.get(key) ?? null);
  });

  /**
   * By id (`{ id }`), or the person a record without passport is linked to (`{ record }`), both
   * in one statement whatever the mix (links resolve a page's sponsors' holders and report parties).
   */
  const personsNamed = new DataLoader<PersonName, ForeignNational | null, string>(
    async (names) => {
      const ids = names.flatMap((name) => ('id' in name ? [name.id] : []));
      const records = names.flatMap((name) => ('record' in name ? [name.record] : []));
      const linked = `decision.decision IN ('${LINKING_DECISIONS.join("', '")}')`;
      const { raw, entities } = await db
        .getRepository(ForeignNational)
        .createQueryBuilder('person')
        .leftJoin(
          IdentityDecision,
          'decision',
          `decision.personId = person.id AND ${inJsonList(db, 'decision.recordId', 'records')} AND ${linked}`,
        )
        .addSelect('decision.recordId', 'linkedRecord')
        .where(
          `(${inJsonList(db, 'person.id', 'ids')} OR person.id IN (SELECT decision.personId FROM identity_decision decision WHERE ${inJsonList(db, 'decision.recordId', 'records')} AND ${linked}))`,
        )
        .setParameters({ ids: JSON.stringify(ids), records: JSON.stringify(records) })
        .getRawAndEntities();
      const byId = new Map(entities.map((person) => [person.id, person]));
      const byRecord = new Map(
        (raw as { person_id: string; linkedRecord: string | null }[]).flatMap((row) =>
          row.linkedRecord ? [[row.linkedRecord, byId.get(row.person_id)!] as const] : [],
        ),
      );
      return names.map((name) => ('id' in name ? byId.get(name.id) : byRecord.get(name.record)) ?? null);
    },
    { cacheKeyFn: (name) => ('id' in name ? `id:${name.id}` : `record:${name.record}`) },
  );

  const permits = db.getRepository(StayPermit);
  return {
    personsNamed,
    /** Entity resolution's candidates of every record asked in one tick, matched as one batch. */
    identityCandidates: new DataLoader<CandidateRequest, DecidedCandidate[], string>(
      (requests) => candidatesFor(db, requests),
      { cacheKeyFn: (request) => JSON.stringify(request) },
    ),
    personById,
    holderByPassportKey,
    linksByPerson: linking('personId'),
    linksByRecord: linking('recordId'),
    /** Sponsor key (a company NIB, or "name:<person>") to the permits it sponsors (links: who holds them). */
    permitsBySponsor: manyByKey<string, StayPermit>(
      async (keys) => {
        const sponsors = keys.map(sponsorKey.decode);
        const nibs = sponsors.map((sponsor) => sponsor.nib).filter((nib) => nib !== null);
        const names = sponsors.map((sponsor) => sponsor.name).filter((name) => name !== null);
        const select = { id: true, personId: true, sponsorNib: true, sponsorName: true } as const;
        return [
          ...(nibs.length ? await permits.find({ select, where: { sponsorNib: In(nibs) } }) : []),
          ...(names.length
            ? await permits.find({ select, where: { sponsorNib: IsNull(), sponsorName: In(names) } })
            : []),
        ];
      },
      (permit) => sponsorKey(permit.sponsorNib, permit.sponsorName),
    ),
    permitsByAddress: manyByKey<string, StayPermit>(
      (addresses) =>
        permits.find({
          select: { id: true, personId: true, domicileAddress: true },
          where: { domicileAddress: In(addresses) },
        }),
      (permit) => permit.domicileAddress,
    ),
    passportByKey,
    passportsByPerson: byPerson(Passport),
    permitsByPerson: byPerson(StayPermit),
    crossingsByPerson: byPerson(BorderCrossing),
    /** A person's crossings in [since, until): one statement per range asked in the tick. */
    crossingsBetween: new DataLoader<CrossingsBetween, BorderCrossing[], string>(
      async (requests) => {
        const found = new Map<string, BorderCrossing[]>();
        for (const [, asked] of groupBy([...requests], ({ since, until }) => JSON.stringify([since, until]))) {
          const crossings = await crossingsBetweenQuery(
            db,
            asked.map((request) => request.personId),
            asked[0],
          ).getMany();
          for (const [personId, own] of groupBy(crossings, (crossing) => crossing.personId))
            found.set(rangeKey({ ...asked[0], personId }), own);
        }
        return requests.map((request) => found.get(rangeKey(request)) ?? []);
      },
      { cacheKeyFn: rangeKey },
    ),
    actionsByPerson: byPerson(AdministrativeAction),
  };
}

/** ISO-8601 instants, `since` inclusive, `until` exclusive. */
export interface CrossingsBetween {
  since: string;
  until: string;
  personId: string;
}

const rangeKey = ({ since, until, personId }: CrossingsBetween) => JSON.stringify([since, until, personId]);

/**
 * These persons' crossings in [since, until) (ISO-8601 instants, compared as the stored text): on
 * PostgreSQL the range prunes the yearly partitions to the years it spans.
 */
export function crossingsBetweenQuery(
  db: DataSource,
  personIds: string[],
  { since, until }: { since: string; until: string },
) {
  return db
    .getRepository(BorderCrossing)
    .createQueryBuilder('crossing')
    .where(inJsonList(db, 'crossing.personId', 'personIds'), { personIds: JSON.stringify(personIds) })
    .andWhere('crossing.crossedAt >= :since AND crossing.crossedAt < :until', { since, until });
}

/** A person as another record names them: by id, or as the police record (without passport) linked to them. */
export type PersonName = { id: string } | { record: string };

export type ImmigrationLoaders = ReturnType<typeof createImmigrationLoaders>;
