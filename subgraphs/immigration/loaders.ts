import { DataSource, In, IsNull } from 'typeorm';
import { identityKey, manyByKey, oneByKey, passportKey } from '../shared/loaders';
import { AdministrativeAction } from './entities/administrative-action';
import { BorderCrossing } from './entities/border-crossing';
import { ForeignNational } from './entities/foreign-national';
import { Passport } from './entities/passport';
import { StayPermit } from './entities/stay-permit';

export function createImmigrationLoaders(db: DataSource) {
  const byPerson = <T extends { personId: string }>(entity: new () => T) =>
    manyByKey<string, T>((personIds) => db.getRepository(entity).findBy({ personId: In(personIds) } as any), (row) => row.personId);

  const personById = oneByKey<string, ForeignNational>(
    (ids) => db.getRepository(ForeignNational).findBy({ id: In(ids) }),
    (person) => person.id,
  );

  /** Passport key ("CHN:E123") to the passport, current or earlier. */
  const passportByKey = oneByKey<string, Passport>(
    (keys) => db.getRepository(Passport).findBy({ number: In(keys.map((key) => key.split(':')[1])) }),
    (passport) => passportKey(passport.country, passport.number),
  );

  /** Identity key to the persons it fits; a match is only trusted when it is unique. */
  const personsByIdentity = manyByKey<string, ForeignNational>(
    (keys) => db.getRepository(ForeignNational).findBy({ nameKey: In(keys.map((key) => key.split('|')[0])) }),
    (person) => identityKey(person.nameKey, person.dateOfBirth, person.nationality),
  );

  const permits = db.getRepository(StayPermit);
  return {
    personById,
    /** Sponsor key (a company NIB, or "name:<person>") to the permits it sponsors. */
    permitsBySponsor: manyByKey<string, StayPermit>(
      async (keys) => {
        const nibs = keys.filter((key) => !key.startsWith('name:'));
        const names = keys.filter((key) => key.startsWith('name:')).map((key) => key.slice(5));
        return [
          ...(nibs.length ? await permits.findBy({ sponsorNib: In(nibs) }) : []),
          ...(names.length ? await permits.findBy({ sponsorNib: IsNull(), sponsorName: In(names) }) : []),
        ];
      },
      (permit) => permit.sponsorNib ?? `name:${permit.sponsorName}`,
    ),
    permitsByAddress: manyByKey<string, StayPermit>((addresses) => permits.findBy({ domicileAddress: In(addresses) }), (permit) => permit.domicileAddress),
    passportByKey,
    personsByIdentity,
    passportsByPerson: byPerson(Passport),
    permitsByPerson: byPerson(StayPermit),
    crossingsByPerson: byPerson(BorderCrossing),
    actionsByPerson: byPerson(AdministrativeAction),
  };
}

export type ImmigrationLoaders = ReturnType<typeof createImmigrationLoaders>;
