/**
 * Deterministic randomness for the demo data. Nothing here reads the clock or Math.random: the
 * same (seed, stream, index) always yields the same numbers, on every machine.
 */

/** A 32-bit integer hash (the murmur3 finaliser): spreads nearby seeds far apart. */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Named, independent streams, so adding draws to one kind of record never shifts another. */
export const Stream = {
  EMPLOYER: 1,
  PERSON: 2,
} as const;

interface CumulativeTable {
  keys: string[];
  bounds: number[];
  total: number;
}

/** Weight tables are constants, mostly: their running sums are computed once per object. */
const cumulativeTables = new WeakMap<object, CumulativeTable>();

function cumulativeTable(weights: Readonly<Record<string, number>>): CumulativeTable {
  let table = cumulativeTables.get(weights);
  if (!table) {
    const keys = Object.keys(weights);
    let total = 0;
    const bounds = keys.map((key) => (total += weights[key]));
    table = { keys, bounds, total };
    cumulativeTables.set(weights, table);
  }
  return table;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state, passes
 * PractRand, and is a bijection on its state, so distinct seeds never collapse into one sequence.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * The state holds seed, stream and index verbatim, so every (seed, stream, index) starts a
   * different sequence: a 32-bit hash of the three would give two persons in a million the same
   * ids (birthday bound), this cannot.
   */
  constructor(seed: number, stream: number, index: number) {
    this.a = seed >>> 0;
    this.b = index >>> 0;
    this.c = (Math.floor(index / 2 ** 32) ^ Math.imul(stream, 0x9e3779b9)) >>> 0;
    this.d = 1;
    for (let round = 0; round < 16; round++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  /** Picks a key of `weights` with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const table = cumulativeTable(weights);
    const roll = this.float() * table.total;
    for (let i = 0; i < table.keys.length; i++) if (roll < table.bounds[i]) return table.keys[i] as K;
    return table.keys[table.keys.length - 1] as K;
  }

  digits(count: number): string {
    let text = '';
    for (let i = 0; i < count; i++) text += String(this.int(0, 9));
    return text;
  }

  letter(alphabet = 'ABCDEFGHJKLMNPRSTUVWXYZ'): string {
    return alphabet[this.int(0, alphabet.length - 1)];
  }

  /** A lower-case UUID in the version-4 layout (version nibble 4, variant 10xx). */
  uuid(): string {
    const a = this.uint32();
    const b = this.uint32();
    const c = this.uint32();
    const d = this.uint32();
    const byte = (word: number, shift: number) => HEX[(word >>> shift) & 0xff];
    const version = HEX[((b >>> 8) & 0xff & 0x0f) | 0x40];
    const variant = HEX[((c >>> 24) & 0x3f) | 0x80];
    return (
      byte(a, 24) +
      byte(a, 16) +
      byte(a, 8) +
      byte(a, 0) +
      '-' +
      byte(b, 24) +
      byte(b, 16) +
      '-' +
      version +
      byte(b, 0) +
      '-' +
      variant +
      byte(c, 16) +
      '-' +
      byte(c, 8) +
      byte(c, 0) +
      byte(d, 24) +
      byte(d, 16) +
      byte(d, 8) +
      byte(d, 0)
    );
  }
}

/**
 * A keyed pseudo-random permutation of [0, size): a 4-round Feistel network over the next power of
 * two, cycle-walking values that fall outside. It shuffles a million indices in O(1) memory, which
 * is how persons are dealt their profiles without holding a shuffled array.
 */
export class Permutation {
  private readonly halfBits: number;
  private readonly halfMask: number;
  private readonly keys: number[];

  constructor(
    readonly size: number,
    seed: number,
  ) {
    const bits = Math.max(2, Math.ceil(Math.log2(Math.max(size, 2))));
    this.halfBits = Math.ceil(bits / 2);
    this.halfMask = (1 << this.halfBits) - 1;
    this.keys = [1, 2, 3, 4].map((round) => mix32(seed ^ Math.imul(round, 0x27d4eb2d)));
  }

  apply(index: number): number {
    let value = index;
    do value = this.encrypt(value);
    while (value >= this.size);
    return value;
  }

  private encrypt(value: number): number {
    let left = value >>> this.halfBits;
    let right = value & this.halfMask;
    for (const key of this.keys) {
      const next = left ^ (mix32(right ^ key) & this.halfMask);
      left = right;
      right = next;
    }
    return ((left << this.halfBits) | right) >>> 0;
  }
}

/**
 * An affine bijection on [0, modulus): unique numbers (passport cores, NIBs) that look random.
 * `multiplier` must be coprime with `modulus`; both are kept small enough for exact doubles.
 */
export function scatter(value: number, modulus: number, multiplier: number, offset: number): number {
  return ((((value % modulus) * multiplier + offset) % modulus) + modulus) % modulus;
}
