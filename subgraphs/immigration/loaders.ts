import DataLoader from 'dataloader';
import { DataSource, In, IsNull } from 'typeorm';
import { findIn, inJsonList } from '../../lib/database';
import { manyByKey, oneByKey } from '../shared/loaders';
import { identityKey, passportKey, sponsorKey } from '../shared/match-keys';
import { AdministrativeAction } from './entities/administrative-action';
import { BorderCrossing } from './entities/border-crossing';
import { ForeignNational } from './entities/foreign-national';
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

  /** Identity key to the persons it fits; a match is only trusted when it is unique. */
  const personsByIdentity = manyByKey<string, ForeignNational>(
    (keys) =>
      findIn(
        db,
        ForeignNational,
        'nameKey',
        keys.map((key) => identityKey.decode(key).nameKey),
      ),
    (person) => identityKey(person.nameKey, person.dateOfBirth, person.nationality),
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
  /** By id (`{ id }`) or by identity key (`{ identity }`, every person it fits), both in one statement. */
  const personsNamed = new DataLoader<PersonName, ForeignNational[], string>(
    async (names) => {
      const ids = names.flatMap((name) => ('id' in name ? [name.id] : []));
      const nameKeys = names.flatMap((name) => ('identity' in name ? [identityKey.decode(name.identity).nameKey] : []));
      const persons = await db
        .getRepository(ForeignNational)
        .createQueryBuilder('person')
        .where(`(${inJsonList(db, 'person.id', 'ids')} OR ${inJsonList(db, 'person.nameKey', 'nameKeys')})`, {
          ids: JSON.stringify(ids),
          nameKeys: JSON.stringify([...new Set(nameKeys)]),
        })
        .getMany();
      const byId = new Map(persons.map((person) => [person.id, person]));
      return names.map((name) =>
        'id' in name
          ? [byId.get(name.id)].filter((person) => person !== undefined)
          : persons.filter(
              (person) => identityKey(person.nameKey, person.dateOfBirth, person.nationality) === name.identity,
            ),
      );
    },
    { cacheKeyFn: (name) => ('id' in name ? `id:${name.id}` : `identity:${name.identity}`) },
  );

  const permits = db.getRepository(StayPermit);
  return {
    personById,
    holderByPassportKey,
    personsNamed,
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
    personsByIdentity,
    passportsByPerson: byPerson(Passport),
    permitsByPerson: byPerson(StayPermit),
    crossingsByPerson: byPerson(BorderCrossing),
    actionsByPerson: byPerson(AdministrativeAction),
  };
}

/** A person as another record names them: by id, or by identity key (name key, birth date, nationality). */
export type PersonName = { id: string } | { identity: string };

export type ImmigrationLoaders = ReturnType<typeof createImmigrationLoaders>;
