/** Each profile's life in day numbers: which permits, trips and administrative actions lead to what the anchor date shows. */
import { AdministrativeActionKind, RecordedPermitStatus, StayPurpose } from '../../subgraphs/immigration/enums';
import { RecordedWorkPermitStatus } from '../../subgraphs/manpower/enums';
import { isExample } from './examples';
import { limitedChain, permanentChain, priorCount, visitChain, withConvertedVisit } from './permit-chains';
import { ActionSpec, Person } from './person-state';
import { REGENCY_FACTS } from './places';
import { DEPARTURES_OF_OTHERS, DEPARTURES_OF_WORKERS, GROUP_VISA, RPTKA_MAX_DAYS } from './population';
import { abroadNow, addResidence, addVisit, earlierVisits } from './presence';
import { Profile } from './profiles';
import { addWorkPermits } from './work';

const RUDENIM = 'Rumah Detensi Imigrasi Pontianak';

export function planTimeline(person: Person): void {
  switch (person.profile) {
    case Profile.VISITOR:
    case Profile.VISITOR_WORKING:
      return visitor(person);
    case Profile.WORKER:
    case Profile.WORKER_SPONSOR_MISMATCH:
    case Profile.WORKER_OUTSIDE_REGENCY:
    case Profile.WORKER_WITHOUT_RPTKA:
    case Profile.WORKER_SUSPECT:
      return worker(person);
    case Profile.INVESTOR:
    case Profile.STUDENT:
    case Profile.FAMILY:
    case Profile.RETIREE:
      return limitedResident(person);
    case Profile.PERMANENT_WORKER:
    case Profile.PERMANENT_FAMILY:
    case Profile.PERMANENT_FAMILY_SUSPECT:
      return permanentResident(person);
    case Profile.OVERSTAYER_SHORT:
    case Profile.OVERSTAYER_LONG:
    case Profile.OVERSTAYER_REFERRED:
      return overstay(person);
    case Profile.WORKER_EXPIRED_IN_COUNTRY:
    case Profile.WORKER_EXPIRED_DEPARTED:
      return workAfterExpiry(person);
    case Profile.DEPARTED:
      return departed(person);
  }
}

function visitor(person: Person): void {
  const today = person.today;
  const chain = visitChain(person, { covering: today });
  earlierVisits(person, chain[0].from);
  addVisit(person, chain, null);
  if (person.profile === Profile.VISITOR_WORKING) {
    // Planted: the employer obtained an RPTKA, the worker came on a visit permit.
    const from = today - person.rng.int(10, 200);
    person.rptkas.push({ from, until: from + 364, status: RecordedWorkPermitStatus.ACTIVE });
  }
}

function worker(person: Person): void {
  const today = person.today;
  // The renewed-passport example needs its RPTKA filed well before the renewal.
  const minOffset = isExample(person, 'renewedPassport') ? 60 : 0;
  const chain = withConvertedVisit(
    person,
    limitedChain(person, 'E23', { covering: today, minOffset }, priorCount(person, 'work')),
  );
  addResidence(person, chain, today, abroadNow(person));
  addWorkPermits(person, chain);
  if (person.profile === Profile.WORKER_WITHOUT_RPTKA) {
    // Planted: the current ITAS has no RPTKA behind it (earlier ones may have had).
    person.rptkas.splice(0, person.rptkas.length, ...person.rptkas.filter((rptka) => rptka.until < today));
  }
}

/** Investors, students, families and retirees on an ITAS in force today. */
function limitedResident(person: Person): void {
  const chain = limitedChain(
    person,
    GROUP_VISA[person.group]!,
    { covering: person.today },
    priorCount(person, person.group),
  );
  addResidence(person, chain, person.today, abroadNow(person));
}

function permanentResident(person: Person): void {
  const chain = permanentChain(person, person.group === 'work' ? StayPurpose.WORK : StayPurpose.FAMILY);
  addResidence(
    person,
    chain,
    person.today,
    person.profile === Profile.PERMANENT_FAMILY_SUSPECT ? null : abroadNow(person),
  );
  addWorkPermits(person, chain);
}

/** Planted: in the country past the last permit; under or over the 60-day charge limit. */
function overstay(person: Person): void {
  const { rng, profile } = person;
  const daysOver =
    profile === Profile.OVERSTAYER_SHORT
      ? rng.int(1, 59)
      : rng.int(61, profile === Profile.OVERSTAYER_LONG ? 400 : 250);
  const lastDay = person.today - daysOver;
  if (person.group === 'visit') {
    const chain = visitChain(person, { endingOn: lastDay });
    addVisit(person, chain, null);
  } else {
    const chain = limitedChain(person, 'E23', { endingOn: lastDay }, rng.int(0, 2));
    addResidence(person, chain, lastDay, null);
    addWorkPermits(person, chain);
  }
  if (profile === Profile.OVERSTAYER_LONG && rng.chance(0.5)) {
    decide(person, {
      kind: AdministrativeActionKind.DETENTION,
      day: person.today - rng.int(1, 20),
      reason: 'Ditempatkan di Rudenim: overstay lebih dari 60 hari, menunggu deportasi',
      legalBasis: 'UU 6/2011 Pasal 83 ayat (1)',
      office: RUDENIM,
    });
  }
}

/** Planted: the ITAS lapsed but the two-year RPTKA still runs. */
function workAfterExpiry(person: Person): void {
  const rng = person.rng;
  const lastDay = person.today - rng.int(5, 120);
  const chain = limitedChain(person, 'E23', { endingOn: lastDay, lastLength: 365 }, rng.int(0, 2));
  const departed = person.profile === Profile.WORKER_EXPIRED_DEPARTED;
  addResidence(person, chain, lastDay, departed ? lastDay - rng.int(0, 5) : null);
  addWorkPermits(person, chain);
  const last = person.rptkas[person.rptkas.length - 1];
  last.until = last.from + RPTKA_MAX_DAYS - 1;
}

/** Left Indonesia with every permit over: clean, whatever happened before. */
function departed(person: Person): void {
  const { rng, group } = person;
  const scenario = rng.weighted(group === 'work' ? DEPARTURES_OF_WORKERS : DEPARTURES_OF_OTHERS);
  if (scenario === 'cancelled') return cancelledAndDeported(person);
  const overstayed = scenario === 'charged' ? rng.int(1, 30) : scenario === 'deported' ? rng.int(61, 300) : 0;
  const lastDay = person.today - rng.int(overstayed + 1, 1500);
  const exit = overstayed > 0 ? lastDay + overstayed : lastDay - rng.int(0, 20);
  if (group === 'visit') {
    const chain = visitChain(person, { endingOn: lastDay });
    earlierVisits(person, chain[0].from);
    addVisit(person, chain, Math.max(exit, chain[0].from + 1));
  } else {
    const chain = limitedChain(person, GROUP_VISA[group]!, { endingOn: lastDay }, priorCount(person, group));
    addResidence(person, chain, Math.min(exit, lastDay), exit);
    if (group === 'work') addWorkPermits(person, chain);
  }
  if (scenario === 'charged') charged(person, exit, overstayed);
  else if (scenario === 'deported') deportedForOverstay(person, exit, overstayed);
}

function charged(person: Person, exit: number, overstayed: number): void {
  decide(person, {
    kind: AdministrativeActionKind.CHARGE,
    day: exit,
    reason: `Overstay ${overstayed} hari, biaya beban dibayar sebelum keberangkatan`,
    legalBasis: 'UU 6/2011 Pasal 78 ayat (1); PP 28/2019',
    amount: overstayed * 1_000_000,
    office: immigrationOffice(person),
  });
}

function deportedForOverstay(person: Person, exit: number, overstayed: number): void {
  decide(person, {
    kind: AdministrativeActionKind.DETENTION,
    day: exit - person.rng.int(7, 40),
    reason: `Overstay ${overstayed} hari, ditempatkan di Rudenim`,
    legalBasis: 'UU 6/2011 Pasal 83 ayat (1)',
    office: RUDENIM,
  });
  decide(person, {
    kind: AdministrativeActionKind.DEPORTATION,
    day: exit,
    reason: `Overstay ${overstayed} hari (lebih dari 60 hari)`,
    legalBasis: 'UU 6/2011 Pasal 75 ayat (2) huruf f; Pasal 78 ayat (3)',
    office: immigrationOffice(person),
  });
  entryBan(person, exit);
}

/** A worker caught in the wrong job: ITAS cancelled, RPTKA revoked, deported, banned. */
function cancelledAndDeported(person: Person): void {
  const rng = person.rng;
  const cancelledOn = person.today - rng.int(30, 1200);
  const chain = limitedChain(person, 'E23', { covering: cancelledOn }, priorCount(person, 'work'));
  const last = chain[chain.length - 1];
  last.status = RecordedPermitStatus.CANCELLED;
  last.endedOn = cancelledOn;
  const exit = cancelledOn + rng.int(5, 25);
  addResidence(person, chain, cancelledOn, exit);
  addWorkPermits(person, chain);
  decide(person, {
    kind: AdministrativeActionKind.PERMIT_CANCELLATION,
    day: cancelledOn,
    reason: 'Penyalahgunaan izin tinggal: bekerja tidak sesuai jabatan dalam RPTKA',
    legalBasis: 'UU 6/2011 Pasal 75 ayat (2) huruf b',
    office: immigrationOffice(person),
  });
  decide(person, {
    kind: AdministrativeActionKind.DEPORTATION,
    day: exit,
    reason: 'Penyalahgunaan izin tinggal',
    legalBasis: 'UU 6/2011 Pasal 75 ayat (2) huruf f',
    office: immigrationOffice(person),
  });
  entryBan(person, exit);
}

function entryBan(person: Person, day: number): void {
  decide(person, {
    kind: AdministrativeActionKind.ENTRY_BAN,
    day,
    reason: 'Penangkalan setelah deportasi',
    legalBasis: 'UU 6/2011 Pasal 75 ayat (2) huruf a',
    office: immigrationOffice(person),
  });
}

/** The office serving the person's domicile, which decides most actions. */
function immigrationOffice(person: Person): string {
  return REGENCY_FACTS[person.domicile].immigrationOffice;
}

/** Records an administrative action for the immigration rows; only a charge carries an amount. */
function decide(person: Person, action: Omit<ActionSpec, 'amount'> & { amount?: number }): void {
  person.actions.push({ amount: null, ...action });
}
