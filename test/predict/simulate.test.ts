/**
 * `simulate` against the model's exact moments: the mean and covariance of 10,000 simulated responses,
 * per group, within Monte Carlo error of
 *
 *     re "none": E y = X beta,            Cov y = Z Psi Z' + sigma² I   (every b drawn anew)
 *     re "all":  E y = X beta + Z b^,      Cov y = sigma² I
 *     a subset:  E y = X beta + Z_held b^, Cov y = Z_drawn Psi Z_drawn' + sigma² I
 *
 * Bounds: a mean within 4.5 standard errors sqrt(V_ii / N); a covariance within 5 of its Gaussian
 * standard error sqrt((V_ii V_jj + V_ij²) / N). Seeds are fixed, so the test is deterministic; with
 * these bounds a correct simulator fails with probability well under 1e-3 over all entries checked.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv";
import { lmm } from "../../src/model/lmm";
import type { LmmModel } from "../../src/model/types";
import { simulate } from "../../src/predict/simulate";
import { reml } from "../../src/reml/fit";
import type { RemlFit } from "../../src/reml/types";
import { dataPath } from "../helpers/fixtures";

const N = 10_000;

/** Exact mean and covariance of rows `rows` (dense). */
function exactMoments(fit: RemlFit, rows: number[], held: boolean[]): { mean: number[]; cov: number[][] } {
  const model: LmmModel = fit.model;
  const p = model.p;
  const mean = rows.map((i) => {
    let v = 0;
    for (let j = 0; j < p; j++) v += model.X[i * p + j]! * fit.beta[j]!;
    model.terms.forEach((t, k) => {
      if (!held[k]) return;
      for (let a = 0; a < t.q; a++) v += t.values[i * t.q + a]! * fit.ranef[k]!.values[t.refs[i]!]![a]!;
    });
    return v;
  });
  // Psi_k from varcorr rows of each term's label.
  const psi = model.terms.map((t) => {
    const m = t.names.map(() => t.names.map(() => 0));
    for (const r of fit.varcorr) {
      if (r.grp !== t.label) continue;
      const a = t.names.indexOf(r.var1!);
      const b = r.var2 === null ? a : t.names.indexOf(r.var2);
      m[a]![b] = r.vcov;
      m[b]![a] = r.vcov;
    }
    return m;
  });
  const s2 = fit.sigma ** 2;
  const cov = rows.map((i) =>
    rows.map((j) => {
      let v = i === j ? s2 : 0;
      model.terms.forEach((t, k) => {
        if (held[k] || t.refs[i] !== t.refs[j]) return;
        for (let a = 0; a < t.q; a++)
          for (let b = 0; b < t.q; b++)
            v += t.values[i * t.q + a]! * psi[k]![a]![b]! * t.values[j * t.q + b]!;
      });
      return v;
    }),
  );
  return { mean, cov };
}

function checkMoments(sims: Float64Array[], fit: RemlFit, rows: number[], held: boolean[]): void {
  const { mean, cov } = exactMoments(fit, rows, held);
  const r = rows.length;
  const m = new Array<number>(r).fill(0);
  for (const y of sims) for (let a = 0; a < r; a++) m[a]! += y[rows[a]!]! / sims.length;
  const S = rows.map(() => new Array<number>(r).fill(0));
  for (const y of sims)
    for (let a = 0; a < r; a++) {
      const da = y[rows[a]!]! - m[a]!;
      for (let b = 0; b < r; b++) S[a]![b]! += (da * (y[rows[b]!]! - m[b]!)) / (sims.length - 1);
    }
  let worstMean = 0;
  let worstCov = 0;
  for (let a = 0; a < r; a++) {
    worstMean = Math.max(worstMean, Math.abs(m[a]! - mean[a]!) / Math.sqrt(cov[a]![a]! / sims.length));
    for (let b = 0; b < r; b++) {
      const se = Math.sqrt((cov[a]![a]! * cov[b]![b]! + cov[a]![b]! ** 2) / sims.length);
      worstCov = Math.max(worstCov, Math.abs(S[a]![b]! - cov[a]![b]!) / se);
    }
  }
  expect(worstMean).toBeLessThan(4.5);
  expect(worstCov).toBeLessThan(5);
}

const sleep = parseCsv(readFileSync(dataPath("sleepstudy"), "utf8"));
const rowsOf = (model: LmmModel, k: number, level: number): number[] =>
  Array.from(model.terms[k]!.refs.entries())
    .filter(([, l]) => l === level)
    .map(([i]) => i);

describe("simulate: sleepstudy's random slopes", () => {
  const fit = reml(lmm("Reaction ~ Days + (Days | Subject)", sleep));
  const none = simulate(fit, { nsim: N, seed: 11 });
  const all = simulate(fit, { nsim: N, seed: 12, re: "all" });
  for (const level of [0, 7, 17]) {
    const rows = rowsOf(fit.model, 0, level);
    it(`re none (lme4's default): new b; Subject ${fit.model.terms[0]!.levels[level]}'s 10 rows`, () => {
      checkMoments(none, fit, rows, [false]);
    });
    it(`re all (use.u = TRUE): at the conditional modes; Subject ${fit.model.terms[0]!.levels[level]}`, () => {
      checkMoments(all, fit, rows, [true]);
    });
  }
  it("rows of different subjects are uncorrelated under re none", () => {
    checkMoments(none, fit, [0, 1, 10, 11, 100], [false]);
  });
  it("the same seed gives the same responses; another seed others", () => {
    const a = simulate(fit, { nsim: 3, seed: 5 });
    const b = simulate(fit, { nsim: 3, seed: 5 });
    const c = simulate(fit, { nsim: 3, seed: 6 });
    expect(a).toEqual(b);
    expect(a[0]).not.toEqual(c[0]);
    expect(a.length).toBe(3);
    expect(a[0]!.length).toBe(180);
  });
  it("refuses a bad nsim, seed or re", () => {
    expect(() => simulate(fit, { nsim: 0 })).toThrow(/nsim/);
    expect(() => simulate(fit, { nsim: 1.5 })).toThrow(/nsim/);
    expect(() => simulate(fit, { seed: 0.5 })).toThrow(/seed/);
    expect(() => simulate(fit, { re: ["Days"] })).toThrow(/re/);
  });
});

describe("simulate: a subset held (uncorrelated intercepts and slopes)", () => {
  const fit = reml(lmm("Reaction ~ Days + (1 | Subject) + (0 + Days | Subject)", sleep));
  const sims = simulate(fit, { nsim: N, seed: 21, re: ["Subject"] });
  it("intercepts at their modes, slopes drawn: Subject 2's rows", () => {
    checkMoments(sims, fit, rowsOf(fit.model, 0, 2), [true, false]);
  });
});

describe("simulate: Penicillin, crossed", () => {
  const fit = reml(
    lmm("diameter ~ 1 + (1 | plate) + (1 | sample)", parseCsv(readFileSync(dataPath("Penicillin"), "utf8"))),
  );
  const sims = simulate(fit, { nsim: N, seed: 31 });
  it("a plate's 6 rows (each a different sample) and rows sharing a sample across plates", () => {
    checkMoments(sims, fit, rowsOf(fit.model, 0, 0), [false, false]);
    checkMoments(sims, fit, rowsOf(fit.model, 1, 3).slice(0, 8), [false, false]);
  });
});
