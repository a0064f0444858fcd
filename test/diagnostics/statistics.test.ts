/**
 * Summaries against direct computations and R's definitions on seeded inputs.
 */
import { describe, expect, it } from "vitest";
import { hdi, mad, mean, median, quantile, sd, variance } from "../../diagnostics/statistics";
import { Random } from "../../src/random/generator";
import { ar1Chains, normals } from "./helpers";

/** R's quantile(type = 7) from its definition (Hyndman & Fan 1996, definition 7). */
function type7(values: readonly number[], p: number): number {
  const x = [...values].sort((a, b) => a - b);
  const h = (x.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, x.length - 1);
  return x[lo]! + (h - lo) * (x[hi]! - x[lo]!);
}

describe("statistics", () => {
  const rng = Random.fromSeed(51);

  it("quantile is R's type 7 (sorted, interpolated), median is the middle or the mean of the two", () => {
    for (const n of [1, 2, 3, 10, 101, 1000]) {
      const x = [...normals(rng, n)].map((v) => Math.round(v * 8) / 8); // ties
      for (const p of [0, 0.025, 0.05, 0.1, 0.5, 0.9, 0.95, 0.975, 1])
        expect(quantile(x, p)).toBeCloseTo(type7(x, p), 12);
      const s = [...x].sort((a, b) => a - b);
      const half = Math.floor(n / 2);
      expect(median(x) === (n % 2 === 1 ? s[half] : (s[half - 1]! + s[half]!) / 2)).toBe(true);
    }
  });

  it("mean, variance and sd pool the chains", () => {
    const chains = ar1Chains(52, 3, 200, 0.4);
    const all = chains.flatMap((c) => [...c]);
    const m = all.reduce((a, b) => a + b, 0) / all.length;
    const v = all.reduce((a, b) => a + (b - m) ** 2, 0) / (all.length - 1);
    expect(mean(chains)).toBeCloseTo(m, 13);
    expect(variance(chains)).toBeCloseTo(v, 13);
    expect(sd(chains)).toBeCloseTo(Math.sqrt(v), 13);
  });

  it("mad is 1.4826 × the median absolute deviation from the median (R's mad)", () => {
    const x = [...normals(rng, 999)];
    const m = type7(x, 0.5);
    expect(mad(x)).toBeCloseTo(
      1.4826 *
        type7(
          x.map((v) => Math.abs(v - m)),
          0.5,
        ),
      13,
    );
    const even = [...normals(rng, 1000)];
    const me = type7(even, 0.5);
    expect(mad([even.slice(0, 500), even.slice(500)])).toBeCloseTo(
      1.4826 *
        type7(
          even.map((v) => Math.abs(v - me)),
          0.5,
        ),
      13,
    );
  });

  it("hdi is the narrowest interval between draws holding ⌊prob·S⌋ + 1 of them", () => {
    for (const n of [5, 50, 999]) {
      const x = [...normals(rng, n)].map((v) => Math.exp(v)); // skewed: differs from the central interval
      for (const prob of [0.5, 0.8, 0.9]) {
        const [lo, hi] = hdi(x, prob);
        const s = [...x].sort((a, b) => a - b);
        const k = Math.floor(prob * n);
        let best = Number.POSITIVE_INFINITY;
        for (let i = 0; i + k < n; i++) best = Math.min(best, s[i + k]! - s[i]!);
        expect(hi - lo).toBe(best);
        expect(s.filter((v) => v >= lo && v <= hi).length).toBeGreaterThanOrEqual(k + 1);
      }
    }
    // The 90% HDI of a lognormal lies left of the central 90% interval (q5 ≈ 0.19, q95 ≈ 5.2).
    const lognormal = [[...normals(rng, 20000)].map(Math.exp)];
    const [lo, hi] = hdi(lognormal, 0.9);
    expect(lo).toBeLessThan(quantile(lognormal, 0.05));
    expect(hi).toBeLessThan(quantile(lognormal, 0.95));
  });
});
