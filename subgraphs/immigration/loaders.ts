import { DataSource, In, IsNull } from 'typeorm';
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
      (personIds) => db.getRepository(entity).findBy({ personId: In(personIds) } as any),
      (row) => row.personId,
    );

  const personById = oneByKey<string, ForeignNational>(
    (ids) => db.getRepository(ForeignNational).findBy({ id: In(ids) }),
    (person) => person.id,
  );

  /** Passport key ("CHN:E123") to the passport, current or earlier. */
  const passportByKey = oneByKey<string, Passport>(
    (keys) => db.getRepository(Passport).findBy({ number: In(keys.map((key) => passportKey.decode(key).number)) }),
    (passport) => passportKey(passport.country, passport.number),
  );

  /** Identity key to the persons it fits; a match is only trusted when it is unique. */
  const personsByIdentity = manyByKey<string, ForeignNational>(
    (keys) =>
      db.getRepository(ForeignNational).findBy({ nameKey: In(keys.map((key) => identityKey.decode(key).nameKey)) }),
    (person) => identityKey(person.nameKey, person.dateOfBirth, person.nationality),
  );

  const permits = db.getRepository(StayPermit);
  return {
    personById,
    /** Sponsor key (a company NIB, or "name:<person>") to the permits it sponsors. */
    permitsBySponsor: manyByKey<string, StayPermit>(
      async (keys) => {
        const sponsors = keys.map(sponsorKey.decode);
        const nibs = sponsors.map((sponsor) => sponsor.nib).filter((nib) => nib !== null);
        const names = sponsors.map((sponsor) => sponsor.name).filter((name) => name !== null);
        return [
          ...(nibs.length ? await permits.findBy({ sponsorNib: In(nibs) }) : []),
          ...(names.length ? await permits.findBy({ sponsorNib: IsNull(), sponsorName: In(names) }) : []),
        ];
      },
      (permit) => sponsorKey(permit.sponsorNib, permit.sponsorName),
    ),
    permitsByAddress: manyByKey<string, StayPermit>(
      (addresses) => permits.findBy({ domicileAddress: In(addresses) }),
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

export type ImmigrationLoaders = ReturnType<typeof createImmigrationLoaders>;
