/** Who the person is and where they live: group, nationality, name and birth, then employer, sponsor and domicile. */
import { Sex, SponsorType } from '../../subgraphs/immigration/enums';
import { Employer } from '../../subgraphs/manpower/entities/employer';
import { Regency } from '../../subgraphs/shared/geography';
import { nameKey } from '../../subgraphs/shared/text';
import { fromDay } from './dates';
import { hotelAddress, hotelName } from './lodging';
import { indonesianName, NATIONALITIES } from './names';
import { Person, PersonContext, Sponsor } from './person-state';
import { NEIGHBOURS, streetAddress } from './places';
import { AGE_RANGE, DEPARTED_GROUPS, DOMICILE_WEIGHTS, Group, MALE_SHARE, NATIONALITY_WEIGHTS } from './population';
import { Random, Stream } from './prng';
import { Assignment, Profile } from './profiles';

/** The person with their identity drawn (and their foreign_national row), nothing planned yet. */
export function createPerson(index: number, assignment: Assignment, context: PersonContext): Person {
  const rng = new Random(context.seed, Stream.PERSON, index);
  const profile = assignment.profile;
  const today = context.today;
  const group = chooseGroup(rng, profile);
  const nationality = NATIONALITIES[rng.weighted(NATIONALITY_WEIGHTS[group])];
  const sex = rng.chance(MALE_SHARE[group]) ? Sex.MALE : Sex.FEMALE;
  const [minAge, maxAge] = AGE_RANGE[group];
  const dateOfBirth = today - rng.int(minAge * 365, maxAge * 365 + 364);
  const fullName = nationality.name(rng, sex);
  const placeOfBirth = rng.pick(nationality.placesOfBirth);
  const personId = rng.uuid();
  return {
    index,
    assignment,
    profile,
    context,
    rng,
    today,
    group,
    nationality,
    sex,
    dateOfBirth,
    fullName,
    personId,
    employer: null,
    sponsor: { type: SponsorType.PERSON, nib: null, name: fullName },
    domicile: 'Pontianak',
    address: '',
    workRegencies: [],
    position: '',
    stays: [],
    intervals: [],
    rptkas: [],
    actions: [],
    passports: [],
    renewalDay: null,
    records: {
      person: {
        id: personId,
        fullName,
        nameKey: nameKey(fullName),
        sex,
        dateOfBirth: fromDay(dateOfBirth),
        placeOfBirth,
        nationality: nationality.code,
      },
      passports: [],
      stayPermits: [],
      crossings: [],
      actions: [],
      workPermits: [],
      reports: [],
      parties: [],
      registrations: [],
    },
    examples: {},
  };
}

function chooseGroup(rng: Random, profile: Profile): Group {
  switch (profile) {
    case Profile.VISITOR:
    case Profile.VISITOR_WORKING:
      return 'visit';
    case Profile.INVESTOR:
      return 'invest';
    case Profile.STUDENT:
      return 'study';
    case Profile.RETIREE:
      return 'retire';
    case Profile.FAMILY:
    case Profile.PERMANENT_FAMILY:
    case Profile.PERMANENT_FAMILY_SUSPECT:
      return 'family';
    case Profile.OVERSTAYER_SHORT:
    case Profile.OVERSTAYER_LONG:
    case Profile.OVERSTAYER_REFERRED:
      return rng.chance(0.5) ? 'visit' : 'work';
    case Profile.DEPARTED:
      return rng.weighted(DEPARTED_GROUPS);
    default:
      return 'work';
  }
}

/** Employer, sponsor, domicile and the regencies the RPTKA allows. */
export function settle(person: Person): void {
  const { rng, group, profile } = person;
  if (group === 'work' || group === 'invest' || profile === Profile.VISITOR_WORKING) settleWithEmployer(person);
  else {
    person.domicile = rng.weighted(DOMICILE_WEIGHTS[group] as Record<Regency, number>);
    person.address =
      group === 'visit'
        ? `${hotelName(rng, person.domicile)}, ${hotelAddress(rng, person.domicile)}`
        : streetAddress(rng, person.domicile);
    person.sponsor = personalSponsor(person);
  }
  if (group === 'visit') person.sponsor = { type: SponsorType.PERSON, nib: null, name: indonesianName(rng) };
}

/** A worker or investor follows the employer: its regency, or the next one, and often its staff housing. */
function settleWithEmployer(person: Person): void {
  const { rng, group, profile } = person;
  const employers = person.context.employers;
  const employer = employers.pickBySize(rng);
  person.employer = employer;
  person.position = rng.pick(employer.positions);
  const home = employer.employer.regency as Regency;
  // Planted: the ITAS names another company as sponsor than the RPTKA's employer.
  const sponsorCompany =
    profile === Profile.WORKER_SPONSOR_MISMATCH ? employers.pickOther(rng, employer.employer.nib) : employer;
  person.sponsor = companySponsor(sponsorCompany.employer);
  if (profile === Profile.WORKER_OUTSIDE_REGENCY) person.domicile = rng.pick(NEIGHBOURS[home]);
  else if (group === 'invest') person.domicile = rng.chance(0.6) ? home : 'Pontianak';
  else person.domicile = profile !== Profile.VISITOR_WORKING && rng.chance(0.12) ? rng.pick(NEIGHBOURS[home]) : home;
  // Planted: the RPTKA names only the employer's regency although the worker lives and works next door.
  person.workRegencies =
    profile === Profile.WORKER_OUTSIDE_REGENCY ? [home] : [...new Set<string>([home, person.domicile])];
  const { name, address } = employer.employer;
  const inStaffHousing = person.domicile === home && rng.chance(0.5);
  person.address = inStaffHousing ? `Mess Karyawan ${name}, ${address}` : streetAddress(rng, person.domicile);
}

function personalSponsor(person: Person): Sponsor {
  const rng = person.rng;
  switch (person.group) {
    case 'family': {
      // The spouse: an Indonesian citizen, or a compatriot working here.
      const spouseSex = person.sex === Sex.MALE ? Sex.FEMALE : Sex.MALE;
      const name = rng.chance(0.6) ? indonesianName(rng, spouseSex) : person.nationality.name(rng, spouseSex);
      return { type: SponsorType.PERSON, nib: null, name };
    }
    case 'study':
      return { type: SponsorType.PERSON, nib: null, name: `Dr. ${indonesianName(rng)}` };
    default:
      return { type: SponsorType.PERSON, nib: null, name: indonesianName(rng) };
  }
}

function companySponsor(employer: Employer): Sponsor {
  return { type: SponsorType.COMPANY, nib: employer.nib, name: employer.name };
}
