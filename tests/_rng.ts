// Copyright the pysocket authors. MIT license.
// The tests' seeded randomness: mulberry32, small and fast, so that a run
// is replayed by its seed (stress, fuzz and sequence tests alike).

/** mulberry32: small, fast, and the same in tests/fixtures/stress_peer.py. */
export class Rng {
  #s: number;

  constructor(seed: number) {
    this.#s = seed >>> 0;
  }

  /** The next 32 bits. */
  u32(): number {
    let t = this.#s = (this.#s + 0x6d2b79f5) >>> 0;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** A size in [1, max], log-uniform: as many tiny sizes as huge ones. */
  size(max: number): number {
    return Math.min(
      max,
      Math.max(1, Math.floor(Math.exp(this.next() * Math.log(max + 1)))),
    );
  }

  /** An independent generator (for a task of its own). */
  fork(): Rng {
    return new Rng(this.u32());
  }
}
