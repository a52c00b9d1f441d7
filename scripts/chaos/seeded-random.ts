/** mulberry32: a small seeded PRNG, so a chaos or fuzz run can be replayed exactly from its seed. */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

/** The seed from `--seed`, else a fresh one (printed by the caller so the run can be replayed). */
export function seedFromArgs(argv: readonly string[]): number {
  const i = argv.findIndex((a) => a === '--seed' || a.startsWith('--seed='));
  const raw = i < 0 ? undefined : argv[i]?.includes('=') ? argv[i]?.split('=')[1] : argv[i + 1];
  const n = raw === undefined ? Number.NaN : Number(raw);
  return Number.isInteger(n) ? n : Math.floor(Math.random() * 2 ** 31);
}
