import { Employer } from '../../subgraphs/manpower/entities/employer';
import { Sector } from '../../subgraphs/manpower/enums';
import { Regency } from '../../subgraphs/shared/geography';
import { REGENCY_FACTS, regencyLabel } from './places';
import { mix32, Random, scatter, Stream } from './prng';

interface Activity {
  kbliCode: string;
  kbliLabel: string;
  /** Words that make the fictional company name sound like its trade. */
  nameWords: readonly string[];
}

interface SectorFacts {
  /** Share of employers in this sector. */
  share: number;
  /** How many foreign workers a typical employer of this sector takes, relative to others. */
  workforce: number;
  activities: readonly Activity[];
  regencies: Readonly<Partial<Record<Regency, number>>>;
  positions: readonly string[];
}

const CITY_SERVICES: Partial<Record<Regency, number>> = {
  Pontianak: 50,
  Singkawang: 15,
  'Kubu Raya': 15,
  Ketapang: 10,
  Sanggau: 5,
  Sintang: 5,
};

/** Kalbar's foreign workforce sits mostly in alumina refining and bauxite mining, then palm oil. */
export const SECTORS: Readonly<Record<Sector, SectorFacts>> = {
  [Sector.MANUFACTURING]: {
    share: 26,
    workforce: 4,
    activities: [
      {
        kbliCode: '24202',
        kbliLabel: 'Industri Pembuatan Logam Dasar Bukan Besi',
        nameWords: ['Alumina Refinery', 'Smelter Alumina', 'Aluminium Industri', 'Metal Refinery'],
      },
      {
        kbliCode: '10431',
        kbliLabel: 'Industri Minyak Mentah Kelapa Sawit (Crude Palm Oil)',
        nameWords: ['Palm Oil Mill', 'Sawit Industri', 'Agro Industri'],
      },
      {
        kbliCode: '17011',
        kbliLabel: 'Industri Bubur Kertas (Pulp)',
        nameWords: ['Pulp Industri', 'Kertas Nusantara'],
      },
      { kbliCode: '35101', kbliLabel: 'Pembangkitan Tenaga Listrik', nameWords: ['Power Energi', 'Energi Listrik'] },
    ],
    regencies: {
      Ketapang: 42,
      Mempawah: 14,
      Sanggau: 12,
      'Kubu Raya': 10,
      Pontianak: 8,
      Landak: 4,
      Bengkayang: 4,
      Singkawang: 3,
      Sambas: 3,
    },
    positions: [
      'Process Engineer',
      'Furnace Supervisor',
      'Maintenance Engineer',
      'Electrical Engineer',
      'Quality Control Manager',
      'Production Manager',
      'Technical Advisor',
      'Boiler Engineer',
      'Mechanical Engineer',
      'Calcination Supervisor',
      'Digestion Process Specialist',
      'Instrumentation Engineer',
    ],
  },
  [Sector.MINING]: {
    share: 22,
    workforce: 3,
    activities: [
      {
        kbliCode: '07293',
        kbliLabel: 'Pertambangan Bijih Bauksit',
        nameWords: ['Bauksit Mining', 'Mineral Bauksit', 'Tambang Bauksit'],
      },
      { kbliCode: '07301', kbliLabel: 'Pertambangan Emas dan Perak', nameWords: ['Gold Mining', 'Emas Mineral'] },
      {
        kbliCode: '09900',
        kbliLabel: 'Aktivitas Penunjang Pertambangan dan Penggalian Lainnya',
        nameWords: ['Mining Services', 'Jasa Tambang'],
      },
    ],
    regencies: {
      Ketapang: 46,
      Sanggau: 14,
      Landak: 9,
      Sintang: 7,
      'Kayong Utara': 7,
      Melawi: 6,
      'Kapuas Hulu': 5,
      Bengkayang: 6,
    },
    positions: [
      'Mining Engineer',
      'Geologist',
      'Heavy Equipment Supervisor',
      'Drilling Supervisor',
      'Mine Planning Engineer',
      'Surveyor',
      'Washing Plant Supervisor',
      'Mine Safety Advisor',
    ],
  },
  [Sector.AGRICULTURE]: {
    share: 22,
    workforce: 1.2,
    activities: [
      {
        kbliCode: '01262',
        kbliLabel: 'Perkebunan Buah Kelapa Sawit',
        nameWords: ['Agro Lestari', 'Sawit Makmur', 'Plantation', 'Perkebunan Nusantara'],
      },
      { kbliCode: '02119', kbliLabel: 'Pengusahaan Hutan Tanaman Lainnya', nameWords: ['Hutan Lestari', 'Forestindo'] },
    ],
    regencies: {
      Ketapang: 26,
      Sanggau: 15,
      Sintang: 12,
      'Kubu Raya': 9,
      Sekadau: 8,
      Landak: 8,
      'Kapuas Hulu': 7,
      Melawi: 7,
      Sambas: 8,
    },
    positions: [
      'Plantation Manager',
      'Agronomist',
      'Mill Manager',
      'Estate Manager',
      'Research Agronomist',
      'Plant Breeding Specialist',
    ],
  },
  [Sector.CONSTRUCTION]: {
    share: 11,
    workforce: 1,
    activities: [
      {
        kbliCode: '42101',
        kbliLabel: 'Konstruksi Bangunan Sipil Jalan',
        nameWords: ['Konstruksi', 'Karya Konstruksi', 'Engineering'],
      },
      {
        kbliCode: '41019',
        kbliLabel: 'Konstruksi Gedung Lainnya',
        nameWords: ['Bangun Persada', 'Engineering Construction'],
      },
      {
        kbliCode: '42915',
        kbliLabel: 'Konstruksi Bangunan Pelabuhan Bukan Perikanan',
        nameWords: ['Port Construction', 'Marine Engineering'],
      },
    ],
    regencies: { Pontianak: 28, Ketapang: 27, 'Kubu Raya': 15, Mempawah: 10, Singkawang: 10, Sanggau: 10 },
    positions: [
      'Project Manager',
      'Site Engineer',
      'Civil Engineer',
      'Structural Engineer',
      'Construction Manager',
      'Piling Supervisor',
    ],
  },
  [Sector.TRADE]: {
    share: 7,
    workforce: 0.5,
    activities: [
      {
        kbliCode: '46100',
        kbliLabel: 'Perdagangan Besar Atas Dasar Balas Jasa (Fee) atau Kontrak',
        nameWords: ['Trading', 'Niaga', 'Commerce'],
      },
      {
        kbliCode: '46610',
        kbliLabel: 'Perdagangan Besar Bahan Bakar Padat, Cair dan Gas dan Produk YBDI',
        nameWords: ['Energi Niaga', 'Petro Trading'],
      },
    ],
    regencies: CITY_SERVICES,
    positions: ['Sales Manager', 'Director', 'Business Development Manager', 'Procurement Manager'],
  },
  [Sector.HOSPITALITY]: {
    share: 5,
    workforce: 0.4,
    activities: [
      { kbliCode: '55110', kbliLabel: 'Hotel Bintang', nameWords: ['Hotel', 'Hospitality', 'Resort'] },
      { kbliCode: '56101', kbliLabel: 'Restoran', nameWords: ['Kuliner', 'Restoran'] },
    ],
    regencies: CITY_SERVICES,
    positions: ['Executive Chef', 'General Manager', 'Food and Beverage Manager', 'Spa Therapist Trainer'],
  },
  [Sector.EDUCATION]: {
    share: 3,
    workforce: 0.4,
    activities: [
      {
        kbliCode: '85499',
        kbliLabel: 'Pendidikan Lainnya Swasta',
        nameWords: ['Edukasi', 'Language Centre', 'Pendidikan'],
      },
    ],
    regencies: CITY_SERVICES,
    positions: ['English Teacher', 'Mandarin Teacher', 'Lecturer', 'Curriculum Advisor'],
  },
  [Sector.SERVICES]: {
    share: 4,
    workforce: 0.5,
    activities: [
      {
        kbliCode: '70209',
        kbliLabel: 'Aktivitas Konsultasi Manajemen Lainnya',
        nameWords: ['Consulting', 'Konsultan'],
      },
      {
        kbliCode: '71102',
        kbliLabel: 'Aktivitas Keinsinyuran dan Konsultasi Teknis YBDI',
        nameWords: ['Engineering Consultant', 'Teknik Konsultan'],
      },
    ],
    regencies: CITY_SERVICES,
    positions: ['Consultant', 'IT Specialist', 'Technical Consultant', 'Environmental Specialist'],
  },
};

const SECTOR_SHARES = Object.fromEntries(
  Object.entries(SECTORS).map(([sector, facts]) => [sector, facts.share]),
) as Record<Sector, number>;

const NAME_PREFIXES = [
  'Borneo',
  'Kalbar',
  'Kapuas',
  'Khatulistiwa',
  'Ketapang',
  'Sinar',
  'Mega',
  'Cahaya',
  'Bumi',
  'Mitra',
  'Nusantara',
  'Harapan',
  'Prima',
  'Sentosa',
  'Makmur',
  'Abadi',
  'Indo',
  'Sino',
  'Pawan',
  'Equator',
  'Tayan',
  'Sukadana',
  'Mandiri',
  'Global',
  'Asia',
  'Gemilang',
  'Karya',
  'Lestari',
  'Dharma',
  'Bintang',
];
const NAME_SUFFIXES = [
  '',
  '',
  '',
  ' Indonesia',
  ' Nusantara',
  ' Mandiri',
  ' Jaya',
  ' Utama',
  ' Perkasa',
  ' Sejahtera',
  ' Abadi',
];

/** The employers every run has: their number follows the foreign workforce, at least 40. */
export function employerCount(persons: number, defaultPersons: number, defaultEmployers: number): number {
  return Math.max(40, Math.round((defaultEmployers * persons) / defaultPersons));
}

// Large enough to spread NIBs over 8 digits, small enough that value x multiplier stays exact.
const NIB_MULTIPLIER = 7_391_827;

/** 13 digits: a 5-digit issuing prefix and 8 unique digits scattered from the employer's index. */
function nib(rng: Random, index: number, seed: number): string {
  const core = scatter(index, 100_000_000, NIB_MULTIPLIER, mix32(seed) % 100_000_000);
  return `${rng.pick(['81203', '91205', '12204', '02203', '81201'])}${String(core).padStart(8, '0')}`;
}

/** NPWP in the 15-digit dotted layout: 01.234.567.8-901.000 */
function npwp(rng: Random): string {
  const d = rng.digits(12);
  return `${d.slice(0, 2)}.${d.slice(2, 5)}.${d.slice(5, 8)}.${d.slice(8, 9)}-${d.slice(9, 12)}.000`;
}

/**
 * The first employers are the province's anchors (an alumina refinery and a bauxite mine in
 * Ketapang, a refinery in Mempawah, one at Tayan), so even a tiny run has the article's shape.
 */
const ANCHORS: readonly { sector: Sector; regency: Regency; activity: number; size: number }[] = [
  { sector: Sector.MANUFACTURING, regency: 'Ketapang', activity: 0, size: 10 },
  { sector: Sector.MINING, regency: 'Ketapang', activity: 0, size: 7 },
  { sector: Sector.MANUFACTURING, regency: 'Mempawah', activity: 0, size: 6 },
  { sector: Sector.MANUFACTURING, regency: 'Sanggau', activity: 0, size: 4 },
  { sector: Sector.MINING, regency: 'Ketapang', activity: 0, size: 4 },
  { sector: Sector.AGRICULTURE, regency: 'Ketapang', activity: 0, size: 3 },
];

export interface GeneratedEmployer {
  employer: Employer;
  /** Relative number of foreign workers this employer takes. */
  size: number;
  positions: readonly string[];
}

export function generateEmployer(seed: number, index: number): GeneratedEmployer {
  const rng = new Random(seed, Stream.EMPLOYER, index);
  const anchor = ANCHORS[index];
  const sector = anchor?.sector ?? rng.weighted(SECTOR_SHARES);
  const facts = SECTORS[sector];
  const activity = anchor ? facts.activities[anchor.activity] : rng.pick(facts.activities);
  const regency = anchor?.regency ?? rng.weighted(facts.regencies as Record<Regency, number>);
  const name = `PT ${rng.pick(NAME_PREFIXES)} ${rng.pick(activity.nameWords)}${rng.pick(NAME_SUFFIXES)}`;
  const district = rng.pick(REGENCY_FACTS[regency].districts);
  const employer: Employer = {
    nib: nib(rng, index, seed),
    npwp: npwp(rng),
    name,
    kbliCode: activity.kbliCode,
    kbliLabel: activity.kbliLabel,
    sector,
    address: `${rng.chance(0.4) ? `Kawasan Industri ${district}` : `Jl. Raya ${district} Km. ${rng.int(2, 60)}`}, Kec. ${district}, ${regencyLabel(regency)}`,
    regency,
  };
  // Heavy-tailed sizes: a few employers take most workers, as the smelters and mines do.
  const size = anchor ? anchor.size * facts.workforce : facts.workforce * (0.2 + 2.5 * rng.float() ** 3);
  return { employer, size, positions: facts.positions };
}

/** All employers of a run, with a size-weighted picker for assigning workers. */
export class EmployerDirectory {
  readonly all: GeneratedEmployer[];
  private readonly cumulative: number[];

  constructor(seed: number, count: number) {
    this.all = Array.from({ length: count }, (_, index) => generateEmployer(seed, index));
    let total = 0;
    this.cumulative = this.all.map((entry) => (total += entry.size));
  }

  /** An employer, likelier the more foreign workers it takes. */
  pickBySize(rng: Random): GeneratedEmployer {
    const roll = rng.float() * this.cumulative[this.cumulative.length - 1];
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.cumulative[middle] > roll) high = middle;
      else low = middle + 1;
    }
    return this.all[low];
  }

  /** Any employer other than `excluded`: the sponsor that is not the real employer. */
  pickOther(rng: Random, excluded: string): GeneratedEmployer {
    for (;;) {
      const candidate = this.pickBySize(rng);
      if (candidate.employer.nib !== excluded) return candidate;
    }
  }
}
