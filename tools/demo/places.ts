import { Regency } from '../../subgraphs/shared/geography';
import { Random } from './prng';

/** What the demo needs to know about each Kalbar regency: codes, districts and the offices serving it. */
interface RegencyFacts {
  /** Kemendagri code, the 3rd-4th digits of a NIK (61 is the province). */
  code: string;
  city: boolean;
  districts: readonly string[];
  immigrationOffice: string;
  /** The Polres (or Polresta) that holds reports and registrations. */
  precinct: string;
}

export const IMMIGRATION_OFFICES = {
  PONTIANAK: 'Kantor Imigrasi Kelas I TPI Pontianak',
  SINGKAWANG: 'Kantor Imigrasi Kelas II TPI Singkawang',
  KETAPANG: 'Kantor Imigrasi Kelas II Non TPI Ketapang',
  SANGGAU: 'Kantor Imigrasi Kelas II Non TPI Sanggau',
  ENTIKONG: 'Kantor Imigrasi Kelas II TPI Entikong',
  PUTUSSIBAU: 'Kantor Imigrasi Kelas II Non TPI Putussibau',
} as const;

export const REGENCY_FACTS: Readonly<Record<Regency, RegencyFacts>> = {
  Sambas: {
    code: '01',
    city: false,
    districts: ['Sambas', 'Pemangkat', 'Tebas', 'Jawai', 'Sajingan Besar'],
    immigrationOffice: IMMIGRATION_OFFICES.SINGKAWANG,
    precinct: 'Polres Sambas',
  },
  Bengkayang: {
    code: '02',
    city: false,
    districts: ['Bengkayang', 'Jagoi Babang', 'Sungai Raya Kepulauan', 'Seluas'],
    immigrationOffice: IMMIGRATION_OFFICES.SINGKAWANG,
    precinct: 'Polres Bengkayang',
  },
  Landak: {
    code: '03',
    city: false,
    districts: ['Ngabang', 'Mandor', 'Menjalin', 'Air Besar'],
    immigrationOffice: IMMIGRATION_OFFICES.PONTIANAK,
    precinct: 'Polres Landak',
  },
  Mempawah: {
    code: '04',
    city: false,
    districts: ['Mempawah Hilir', 'Sungai Pinyuh', 'Sungai Kunyit', 'Siantan'],
    immigrationOffice: IMMIGRATION_OFFICES.PONTIANAK,
    precinct: 'Polres Mempawah',
  },
  Sanggau: {
    code: '05',
    city: false,
    districts: ['Kapuas', 'Entikong', 'Tayan Hilir', 'Meliau', 'Parindu', 'Bonti'],
    immigrationOffice: IMMIGRATION_OFFICES.SANGGAU,
    precinct: 'Polres Sanggau',
  },
  Ketapang: {
    code: '06',
    city: false,
    districts: [
      'Delta Pawan',
      'Kendawangan',
      'Matan Hilir Selatan',
      'Benua Kayong',
      'Sandai',
      'Marau',
      'Air Upas',
      'Manis Mata',
      'Muara Pawan',
      'Tumbang Titi',
    ],
    immigrationOffice: IMMIGRATION_OFFICES.KETAPANG,
    precinct: 'Polres Ketapang',
  },
  Sintang: {
    code: '07',
    city: false,
    districts: ['Sintang', 'Kelam Permai', 'Sepauk', 'Tempunak'],
    immigrationOffice: IMMIGRATION_OFFICES.PUTUSSIBAU,
    precinct: 'Polres Sintang',
  },
  'Kapuas Hulu': {
    code: '08',
    city: false,
    districts: ['Putussibau Utara', 'Putussibau Selatan', 'Badau', 'Embaloh Hilir'],
    immigrationOffice: IMMIGRATION_OFFICES.PUTUSSIBAU,
    precinct: 'Polres Kapuas Hulu',
  },
  Sekadau: {
    code: '09',
    city: false,
    districts: ['Sekadau Hilir', 'Nanga Taman', 'Belitang'],
    immigrationOffice: IMMIGRATION_OFFICES.SANGGAU,
    precinct: 'Polres Sekadau',
  },
  Melawi: {
    code: '10',
    city: false,
    districts: ['Nanga Pinoh', 'Ella Hilir', 'Sokan'],
    immigrationOffice: IMMIGRATION_OFFICES.PUTUSSIBAU,
    precinct: 'Polres Melawi',
  },
  'Kayong Utara': {
    code: '11',
    city: false,
    districts: ['Sukadana', 'Simpang Hilir', 'Teluk Batang'],
    immigrationOffice: IMMIGRATION_OFFICES.KETAPANG,
    precinct: 'Polres Kayong Utara',
  },
  'Kubu Raya': {
    code: '12',
    city: false,
    districts: ['Sungai Raya', 'Sungai Ambawang', 'Rasau Jaya', 'Kubu'],
    immigrationOffice: IMMIGRATION_OFFICES.PONTIANAK,
    precinct: 'Polres Kubu Raya',
  },
  Pontianak: {
    code: '71',
    city: true,
    districts: [
      'Pontianak Kota',
      'Pontianak Selatan',
      'Pontianak Barat',
      'Pontianak Timur',
      'Pontianak Utara',
      'Pontianak Tenggara',
    ],
    immigrationOffice: IMMIGRATION_OFFICES.PONTIANAK,
    precinct: 'Polresta Pontianak Kota',
  },
  Singkawang: {
    code: '72',
    city: true,
    districts: ['Singkawang Barat', 'Singkawang Tengah', 'Singkawang Timur', 'Singkawang Selatan'],
    immigrationOffice: IMMIGRATION_OFFICES.SINGKAWANG,
    precinct: 'Polres Singkawang',
  },
};

/** Neighbouring regencies: where a worker may live when the employer is registered next door. */
export const NEIGHBOURS: Readonly<Record<Regency, readonly Regency[]>> = {
  Sambas: ['Bengkayang', 'Singkawang'],
  Bengkayang: ['Sambas', 'Singkawang', 'Landak'],
  Landak: ['Bengkayang', 'Mempawah', 'Sanggau', 'Kubu Raya'],
  Mempawah: ['Pontianak', 'Kubu Raya', 'Landak'],
  Sanggau: ['Sekadau', 'Landak', 'Kubu Raya'],
  Ketapang: ['Kayong Utara', 'Sanggau', 'Sekadau'],
  Sintang: ['Melawi', 'Sekadau', 'Kapuas Hulu'],
  'Kapuas Hulu': ['Sintang'],
  Sekadau: ['Sanggau', 'Sintang'],
  Melawi: ['Sintang', 'Ketapang'],
  'Kayong Utara': ['Ketapang', 'Kubu Raya'],
  'Kubu Raya': ['Pontianak', 'Mempawah', 'Kayong Utara'],
  Pontianak: ['Kubu Raya', 'Mempawah'],
  Singkawang: ['Bengkayang', 'Sambas'],
};

/** Border checkpoints (TPI) of Kalbar and the immigration office that runs each. */
export const CHECKPOINTS = {
  SUPADIO: 'Bandara Internasional Supadio',
  DWIKORA: 'Pelabuhan Dwikora Pontianak',
  ENTIKONG: 'PLBN Entikong',
  ARUK: 'PLBN Aruk',
  BADAU: 'PLBN Badau',
  JAGOI_BABANG: 'PLBN Jagoi Babang',
} as const;

export const CHECKPOINT_OFFICE: Readonly<Record<string, string>> = {
  [CHECKPOINTS.SUPADIO]: IMMIGRATION_OFFICES.PONTIANAK,
  [CHECKPOINTS.DWIKORA]: IMMIGRATION_OFFICES.PONTIANAK,
  [CHECKPOINTS.ENTIKONG]: IMMIGRATION_OFFICES.ENTIKONG,
  [CHECKPOINTS.ARUK]: IMMIGRATION_OFFICES.SINGKAWANG,
  [CHECKPOINTS.BADAU]: IMMIGRATION_OFFICES.PUTUSSIBAU,
  [CHECKPOINTS.JAGOI_BABANG]: IMMIGRATION_OFFICES.SINGKAWANG,
};

/** Sarawak's neighbours mostly drive through the land posts; others fly into Pontianak. */
const LAND_CHECKPOINTS: Record<string, number> = {
  [CHECKPOINTS.ENTIKONG]: 50,
  [CHECKPOINTS.ARUK]: 15,
  [CHECKPOINTS.BADAU]: 12,
  [CHECKPOINTS.JAGOI_BABANG]: 10,
  [CHECKPOINTS.SUPADIO]: 13,
};
const AIR_AND_SEA_CHECKPOINTS: Record<string, number> = {
  [CHECKPOINTS.SUPADIO]: 86,
  [CHECKPOINTS.DWIKORA]: 9,
  [CHECKPOINTS.ENTIKONG]: 5,
};

export function pickCheckpoint(rng: Random, crossesByLand: boolean): string {
  if (crossesByLand) {
    return rng.weighted(LAND_CHECKPOINTS);
  }
  return rng.weighted(AIR_AND_SEA_CHECKPOINTS);
}

const STREETS = [
  'Jl. Ahmad Yani',
  'Jl. Gajah Mada',
  'Jl. Tanjungpura',
  'Jl. Sultan Abdurrahman',
  'Jl. Imam Bonjol',
  'Jl. Diponegoro',
  'Jl. Merdeka',
  'Jl. Trans Kalimantan',
  'Jl. Sudirman',
  'Jl. Hasanuddin',
  'Jl. Pattimura',
  'Jl. Letjen Suprapto',
  'Jl. Agus Salim',
  'Jl. M. Sohor',
  'Jl. Kom Yos Sudarso',
  'Jl. Veteran',
  'Jl. Gusti Situt Mahmud',
  'Jl. Rahadi Usman',
];

export function regencyLabel(regency: Regency): string {
  return REGENCY_FACTS[regency].city ? `Kota ${regency}` : `Kab. ${regency}`;
}

export function streetAddress(rng: Random, regency: Regency): string {
  const district = rng.pick(REGENCY_FACTS[regency].districts);
  return `${rng.pick(STREETS)} No. ${rng.int(1, 250)}, Kec. ${district}, ${regencyLabel(regency)}`;
}

/**
 * A 16-digit NIK: province 61, regency, district, birth date (day + 40 for women), serial.
 * Kalbar NIKs therefore all start with 61.
 */
export function kalbarNik(rng: Random, regency: Regency, female: boolean): string {
  const day = rng.int(1, 28) + (female ? 40 : 0);
  const month = rng.int(1, 12);
  const year = rng.int(60, 99 + 5) % 100;
  const pad = (value: number) => String(value).padStart(2, '0');
  return `61${REGENCY_FACTS[regency].code}${pad(rng.int(1, 20))}${pad(day)}${pad(month)}${pad(year)}${rng.digits(4)}`;
}

/** The unit written at the end of a report number: "POLRES KETAPANG", "POLDA KALBAR". */
export function reportUnit(precinct: string): string {
  return precinct.toUpperCase();
}

export const POLDA = 'Polda Kalbar';
