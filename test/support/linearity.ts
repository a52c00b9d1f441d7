/**
 * How much longer `run` takes on 8× the input than on 1×: about 8 for a linear algorithm, about 64
 * for a quadratic one. Each size is run several times and the fastest run counts, which keeps out
 * what the machine does meanwhile; this is a ratio of two sizes, not a time limit.
 */
export function growthRatio(run: (n: number) => unknown, n: number, repeats = 3): number {
  const fastest = (size: number): number => {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < repeats; i++) {
      const started = process.hrtime.bigint();
      run(size);
      best = Math.min(best, Number(process.hrtime.bigint() - started));
    }
    return best;
  };
  fastest(n); // warm-up: compile the code paths once
  const small = fastest(n);
  const large = fastest(8 * n);
  return large / Math.max(small, 1);
}
