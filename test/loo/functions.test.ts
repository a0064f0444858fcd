/**
 * The loo functions' pieces and contracts beyond the R fixtures: the O(S) tail selection against a
 * full stable argsort (heavy ties), the documented examples, the pointwise-function input against
 * the stored matrix, DIC by its definitions, LOO-PIT from predictive draws, and the errors.
 */
import { describe, expect, it } from "vitest";
import { looCompare } from "../../diagnostics/loo/compare";
import { dic } from "../../diagnostics/loo/dic";
import { eLoo, looPit } from "../../diagnostics/loo/eloo";
import { khatThreshold, loo, paretoKTable } from "../../diagnostics/loo/loo";
import { gpdFit, gpdQuantile, paretoTailLength } from "../../diagnostics/loo/pareto";
import { logSumExp, type PointwiseLogLik } from "../../diagnostics/loo/pointwise";
import { largestInStableOrder, psis } from "../../diagnostics/loo/psis";
import { waic } from "../../diagnostics/loo/waic";
import { argsort } from "../../diagnostics/sort";
import type { Draws } from "../../src/draws/types";
import { Random } from "../../src/random/generator";
import { normal } from "../../src/random/normal";

function matrix(
  points: number,
  chains: number,
  iterations: number,
  f: (i: number, s: number) => number,
): Draws {
  const S = chains * iterations;
  const values = new Float64Array(points * S);
  for (let i = 0; i < points; i++) for (let s = 0; s < S; s++) values[i * S + s] = f(i, s);
  return {
    parameters: Array.from({ length: points }, (_, i) => `log_lik[${i + 1}]`),
    chains,
    iterations,
    values,
  };
}

describe("PSIS pieces", () => {
  it("the tail by selection equals the top of a full stable argsort, ties included", () => {
    const rng = Random.fromSeed(9);
    for (const [S, M, levels] of [
      [200, 40, 5],
      [1000, 95, 3],
      [5000, 213, 1000],
      [57, 11, 2],
    ] as const) {
      const x = Float64Array.from({ length: S }, () => Math.floor(rng.uniform() * levels) / levels);
      const order = argsort(x);
      const into = new Uint32Array(M);
      const cutoff = largestInStableOrder(S, x, M, into);
      expect(Array.from(into)).toEqual(Array.from(order.subarray(S - M)));
      expect(cutoff).toBe(x[order[S - M - 1]!]);
    }
  });

  it("documented values: tail length, GPD quantile, gpdfit (R: loo:::gpdfit), threshold, log-sum-exp", () => {
    expect(paretoTailLength(1, 4000)).toBe(190);
    expect(paretoTailLength(0.25, 400)).toBe(80); // min(0.2 · 400, 3 √1600 = 120)
    expect(paretoTailLength(4, 400)).toBe(30); // min(80, 3 √100)
    expect(gpdQuantile(0.5, 0.5, 1)).toBeCloseTo(0.8284271247461903, 15);
    expect(Number.isNaN(gpdQuantile(0.5, 0.5, -1))).toBe(true);
    const x = Float64Array.of(0.1, 0.2, 0.4, 0.8, 1.6);
    expect(gpdFit(x, 0, 5).k).toBeCloseTo(0.44612538881327107, 13);
    expect(gpdFit(x, 0, 5).sigma).toBeCloseTo(0.46520999608407443, 13);
    expect(gpdFit(x, 0, 5, false).k).toBeCloseTo(0.33837616643981333, 13);
    expect(khatThreshold(100)).toBeCloseTo(0.5, 15);
    expect(khatThreshold(1e6)).toBe(0.7);
    expect(logSumExp(Float64Array.of(0, 0), 0, 2)).toBeCloseTo(Math.LN2, 15);
    expect(logSumExp(Float64Array.of(-1e4, -1e4), 0, 2)).toBeCloseTo(-1e4 + Math.LN2, 10);
    expect(paretoKTable(Float64Array.of(0.1, 0.6), Float64Array.of(900, 300))[1]!.count).toBe(1);
  });

  it("the pointwise-function form gives exactly what the stored matrix gives", () => {
    const rng = Random.fromSeed(4);
    const ll = matrix(7, 3, 200, (i) => -2 - i * 0.1 + 0.5 * normal(rng));
    const S = 600;
    const fn: PointwiseLogLik = {
      points: 7,
      chains: 3,
      iterations: 200,
      point: (i, out) => out.set(ll.values.subarray(i * S, (i + 1) * S)),
    };
    const a = loo(ll);
    const b = loo(fn);
    expect(b.elpd_loo).toBe(a.elpd_loo);
    expect(Array.from(b.diagnostics.pareto_k)).toEqual(Array.from(a.diagnostics.pareto_k));
    expect(waic(fn).waic).toBe(waic(ll).waic);
    expect(dic(fn).dic).toBe(dic(ll).dic);
    expect(Array.from(psis(fn).paretoK)).toEqual(Array.from(psis(ll).paretoK));
  });
});

describe("DIC", () => {
  it("plug-in and variance forms by their definitions", () => {
    const rng = Random.fromSeed(5);
    const ll = matrix(3, 2, 100, () => -1 + 0.3 * normal(rng));
    const S = 200;
    const total = Array.from({ length: S }, (_, s) =>
      [0, 1, 2].reduce((t, i) => t + ll.values[i * S + s]!, 0),
    );
    const dbar = -2 * (total.reduce((a, b) => a + b, 0) / S);
    const m = total.reduce((a, b) => a + b, 0) / S;
    const pV = 2 * (total.reduce((a, b) => a + (b - m) ** 2, 0) / (S - 1));
    const v = dic(ll);
    expect(v.method).toBe("variance");
    expect(v.dbar).toBeCloseTo(dbar, 12);
    expect(v.p_dic).toBeCloseTo(pV, 12);
    expect(v.dic).toBeCloseTo(dbar + pV, 12);
    expect(v.elpd_dic).toBeCloseTo(-(dbar + pV) / 2, 12);
    const p = dic(ll, { logLikAtMean: -2.9 });
    expect(p.method).toBe("plug-in");
    expect(p.p_dic).toBeCloseTo(dbar - 5.8, 12);
    expect(p.dic).toBeCloseTo(2 * dbar - 5.8, 12);
    expect(() => dic(ll, { logLikAtMean: Number.NaN })).toThrow(/logLikAtMean/);
  });
});

describe("LOO-PIT from predictive draws (rstantools' loo_pit)", () => {
  it("the weighted share of draws below y, ties shared uniformly; equal weights give the empirical CDF", () => {
    const yrep = matrix(2, 1, 4, (i, s) => [1, 2, 3, 4][s]! + i);
    const flat: Draws = { ...matrix(2, 1, 4, () => 0) };
    // y = 2.5: two of four draws below; y = 3 for the second column (draws 2, 3, 4, 5): one tie.
    const pit = looPit({ y: [2.5, 3], yrep }, flat);
    expect(pit[0]).toBeCloseTo(0.5, 15);
    expect(pit[1]!).toBeGreaterThanOrEqual(0.25);
    expect(pit[1]!).toBeLessThanOrEqual(0.5);
    expect(looPit({ y: [2.5, 3], yrep }, flat)).toEqual(pit); // same seed, same draw for the tie
    expect(() => looPit({ y: [1], yrep }, flat)).toThrow(/one value per column/);
  });
});

describe("errors", () => {
  it("non-finite values name the point; too few draws; bad rEff; mixed or mismatched comparisons", () => {
    const ll = matrix(3, 1, 50, (i, s) => (i === 1 && s === 7 ? Number.NaN : -1 - s / 100));
    expect(() => loo(ll)).toThrow(/log_lik\[2\].*draw 8/);
    expect(() => waic(matrix(2, 1, 1, () => -1))).toThrow(/at least two draws/);
    const ok = matrix(3, 2, 50, (i, s) => -1 - ((s * 7 + i) % 13) / 10);
    expect(() => loo(ok, { rEff: [1, 1] })).toThrow(/one value per point/);
    expect(() => loo(ok, { rEff: -1 })).toThrow(/positive/);
    expect(() => looCompare([loo(ok)])).toThrow(/at least two/);
    expect(() => looCompare([loo(ok), waic(ok)])).toThrow(/must be a loo result/);
    expect(() =>
      looCompare([loo(ok), loo(matrix(4, 2, 50, (i, s) => -1 - ((s * 5 + i) % 11) / 10))]),
    ).toThrow(/as many points/);
    expect(() => eLoo(ok, psis(ok), { type: "quantile" })).toThrow(/at least one probability/);
  });

  it("a short tail gives k = Inf with loo's warning; k > 0.7 warns and makes the MCSE NaN", () => {
    const rng = Random.fromSeed(6);
    const short = loo(matrix(2, 2, 10, () => -2 + normal(rng)));
    expect(Array.from(short.diagnostics.pareto_k)).toEqual([Infinity, Infinity]);
    expect(short.warnings.join(" ")).toMatch(/Not enough tail samples/);
    const heavy = loo(matrix(2, 4, 250, () => 3 * normal(rng)));
    expect(heavy.n_bad_k).toBeGreaterThan(0);
    expect(Number.isNaN(heavy.mcse_elpd_loo)).toBe(true);
    expect(heavy.warnings.join(" ")).toMatch(/too high/);
  });
});
