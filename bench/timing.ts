/**
 * What every benchmark here shares: the median of repeated timings (machines are shared and noisy:
 * a benchmark quotes medians, never one time).
 */

/** The median of `xs` (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/** Runs `f` once to warm up, then `repeats` times; the median wall time in milliseconds. */
export function medianTime(f: () => unknown, repeats: number): number {
  f();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  return median(times);
}
