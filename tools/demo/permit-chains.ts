/** Chains of stay permits back to back: visit permits with extensions, ITAS renewals, ITAP after ITAS, converted visits. */
import { RecordedPermitStatus, SponsorType, StayPermitKind, StayPurpose } from '../../subgraphs/immigration/enums';
import { indonesianName } from './names';
import { Person, Sponsor, StaySpec } from './person-state';
import {
  Group,
  ITAP_DAYS,
  LIMITED_LENGTHS,
  LIMITED_PURPOSE,
  LimitedVisa,
  PRIOR_PERMITS,
  VISIT_EXTENSIONS,
  VISIT_VISAS,
  VisitVisa,
} from './population';

/** VISIT permits: B1 (visa on arrival, 30 days), C1 and D1 (60 days), with their extensions. */
export function visitChain(
  person: Person,
  anchor: { covering: number } | { endingOn: number },
  visa?: VisitVisa,
): StaySpec[] {
  const rng = person.rng;
  const index = visa ?? rng.weighted(VISIT_VISAS);
  const length = index === 'B1' ? 30 : 60;
  const extensions = Math.min(index === 'C1' ? 2 : 1, Number(rng.weighted(VISIT_EXTENSIONS)));
  const purpose = index === 'D1' || rng.chance(index === 'B1' ? 0.3 : 0.5) ? StayPurpose.BUSINESS : StayPurpose.TOURISM;
  // A visa on arrival has no guarantor: the visitor answers for themself.
  const sponsor: Sponsor =
    index === 'B1' ? { type: SponsorType.PERSON, nib: null, name: person.fullName } : person.sponsor;
  const from = 'covering' in anchor ? anchor.covering - rng.int(0, length - 1) : anchor.endingOn - length + 1;
  const chain: StaySpec[] = [stay(StayPermitKind.VISIT, index, purpose, from, from + length - 1, sponsor)];
  for (let extension = 0; extension < extensions; extension++) {
    const until = chain[0].from - 1;
    chain.unshift(stay(StayPermitKind.VISIT, index, purpose, until - length + 1, until, sponsor));
  }
  return chain;
}

/** ITAS permits back to back, the last one covering (or ending on) the given day. */
export function limitedChain(
  person: Person,
  visa: LimitedVisa,
  anchor: { covering: number; minOffset?: number } | { endingOn: number; lastLength?: number },
  prior: number,
): StaySpec[] {
  const rng = person.rng;
  const length = () => Number(rng.weighted(LIMITED_LENGTHS[visa]));
  const limited = (from: number, until: number) =>
    stay(StayPermitKind.LIMITED, visa, LIMITED_PURPOSE[visa], from, until, person.sponsor);
  let last: StaySpec;
  if ('covering' in anchor) {
    const days = length();
    const from = anchor.covering - rng.int(Math.min(anchor.minOffset ?? 0, days - 1), days - 1);
    last = limited(from, from + days - 1);
  } else {
    const days = anchor.lastLength ?? length();
    last = limited(anchor.endingOn - days + 1, anchor.endingOn);
  }
  const chain = [last];
  for (let k = 0; k < prior; k++) {
    const until = chain[0].from - 1;
    chain.unshift(limited(until - length() + 1, until));
  }
  return chain;
}

/** Some workers came on a business visit first and converted it to an ITAS (alih status). */
export function withConvertedVisit(person: Person, chain: StaySpec[]): StaySpec[] {
  const rng = person.rng;
  if (!rng.chance(0.12)) return chain;
  const from = chain[0].from - rng.int(10, 50);
  const guarantor: Sponsor = { type: SponsorType.PERSON, nib: null, name: indonesianName(rng) };
  const visit = stay(StayPermitKind.VISIT, 'C1', StayPurpose.BUSINESS, from, from + 59, guarantor);
  visit.status = RecordedPermitStatus.CONVERTED;
  visit.endedOn = chain[0].from;
  return [visit, ...chain];
}

/** ITAP (5 years, maybe renewed once) after several ITAS years, the last ITAS converted. */
export function permanentChain(person: Person, purpose: StayPurpose): StaySpec[] {
  const rng = person.rng;
  const visa = purpose === StayPurpose.WORK ? 'ITAP-KRJ' : 'ITAP-KEL';
  const itap = (from: number, until: number) =>
    stay(StayPermitKind.PERMANENT, visa, purpose, from, until, person.sponsor);
  const from = person.today - rng.int(0, ITAP_DAYS - 1);
  const permanent = [itap(from, from + ITAP_DAYS - 1)];
  if (rng.chance(0.25)) permanent.unshift(itap(from - ITAP_DAYS, from - 1));
  const firstPermanent = permanent[0].from;
  const lastLimitedFrom = firstPermanent - rng.int(100, 300);
  const limitedVisa = purpose === StayPurpose.WORK ? 'E23' : 'E31';
  const limited = limitedChain(
    person,
    limitedVisa,
    { endingOn: lastLimitedFrom + 364, lastLength: 365 },
    rng.int(2, 3),
  );
  const converted = limited[limited.length - 1];
  converted.status = RecordedPermitStatus.CONVERTED;
  converted.endedOn = firstPermanent;
  return [...limited, ...permanent];
}

/** How many earlier ITAS permits (renewals) the person holds behind the last one. */
export function priorCount(person: Person, group: Group): number {
  return Number(person.rng.weighted(PRIOR_PERMITS[group]));
}

function stay(
  kind: StayPermitKind,
  visaIndex: string,
  purpose: StayPurpose,
  from: number,
  until: number,
  sponsor: Sponsor,
): StaySpec {
  return { kind, visaIndex, purpose, from, until, status: RecordedPermitStatus.ACTIVE, sponsor };
}
