/**
 * How much more `run` costs on an input `factor` times larger: `make(n * factor)` against
 * `make(n)`, each measured in batches (calibrated so a batch of the small input takes >= 10 ms)
 * and the cheapest of a few rounds kept. The cost is the process's CPU time, not the wall
 * clock, so the other processes of a busy machine do not count.
 * Linear work gives about `factor`; tests assert less than twice that. The notes for these
 * issues keep timings out of tests, but allow this ratio, measured within one test.
 * Returns early (a large ratio) when the big input is clearly super-linear, so that a
 * quadratic or worse implementation fails quickly instead of running for minutes.
 */
export function growth(run: (input: string) => unknown, make: (n: number) => string, n: number, factor = 4): number {
  const small = make(n);
  const big = make(n * factor);
  // Warm up (JIT, flattening the strings) and bail out on a blatantly super-linear cost.
  const smallOnce = batch(run, small, 1);
  const bigOnce = batch(run, big, 1);
  if (bigOnce > 200 && bigOnce / Math.max(smallOnce, 0.01) > factor * 8) return bigOnce / Math.max(smallOnce, 0.01);
  let reps = 1;
  while (reps < 1 << 16 && batch(run, small, reps) < 10) reps *= 2;
  let bestSmall = Infinity;
  let bestBig = Infinity;
  for (let round = 0; round < 5; round++) {
    bestSmall = Math.min(bestSmall, batch(run, small, reps));
    bestBig = Math.min(bestBig, batch(run, big, reps));
    if (bestBig / bestSmall > factor * 8 && bestBig > 500) break;
  }
  return bestBig / bestSmall;
}

/** Milliseconds of CPU time (user and system) the process spent since `start` (from process.cpuUsage()). */
export function cpuMs(start?: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function batch(run: (input: string) => unknown, input: string, reps: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < reps; i++) run(input);
  return cpuMs(start);
}
