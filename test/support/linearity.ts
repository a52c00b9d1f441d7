import { cpuUsage } from 'node:process';

/**
 * How much more CPU time `run` takes on 8× the input than on 1×: about 8 for a linear algorithm,
 * about 64 for a quadratic one. CPU time, not wall-clock time, so that other processes on the
 * machine (the rest of the test suite) do not count; each size runs several times and the cheapest
 * run counts, which keeps out garbage collections that happen to fall into one run. This is a
 * ratio of two sizes, not a time limit.
 */
export function growthRatio(run: (n: number) => unknown, n: number, repeats = 5, rounds = 1): number {
  // With rounds > 1 the cheapest ratio counts: a collection or a busy neighbour in one round is noise,
  // a quadratic algorithm is quadratic in every round.
  if (rounds > 1) return Math.min(...Array.from({ length: rounds }, () => growthRatio(run, n, repeats, 1)));
  // A run shorter than the CPU clock's resolution reads as 0 µs (and a ratio of thousands): such
  // runs are repeated until they add up to MIN_SAMPLE_US, and the time per run is what counts.
  const MIN_SAMPLE_US = 2000;
  const cheapest = (size: number): number => {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < repeats; i++) {
      const before = cpuUsage();
      let runs = 0;
      let spent = 0;
      do {
        run(size);
        runs++;
        const used = cpuUsage(before);
        spent = used.user + used.system;
      } while (spent < MIN_SAMPLE_US && runs < 10_000);
      best = Math.min(best, spent / runs);
    }
    return best;
  };
  cheapest(n); // warm-up: compile the code paths once
  const small = cheapest(n);
  const large = cheapest(8 * n);
  return large / Math.max(small, 0.001);
}
