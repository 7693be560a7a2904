/**
 * Kalimantan Barat (province code 61): its 12 regencies (kabupaten) and 2 cities (kota), by the
 * short name every agency writes them with.
 */
export const KALBAR_REGENCIES = [
  'Bengkayang',
  'Kapuas Hulu',
  'Kayong Utara',
  'Ketapang',
  'Kubu Raya',
  'Landak',
  'Melawi',
  'Mempawah',
  'Sambas',
  'Sanggau',
  'Sekadau',
  'Sintang',
  'Pontianak',
  'Singkawang',
] as const;

export type Regency = (typeof KALBAR_REGENCIES)[number];
