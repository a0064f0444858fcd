/**
 * The vocabulary on posteriors: every summary equals what its definition gives computed directly from
 * the draws (an oracle that does not share the code: dense loops over the model's terms), the posterior
 * summaries agree to the last bit with the summary table, the running-summary mode says what it cannot
 * know, and anything that is neither a fit nor a posterior gets a typed error saying what is taken.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { quantileOfSorted } from "../../diagnostics/statistics";
import {
  coef,
  confint,
  fitted,
  fixef,
  formula,
  logLik,
  nobs,
  ranef,
  residuals,
  summary,
  varCorr,
} from "../../diagnostics/vocabulary";
import { gibbsSync } from "../../samplers/gibbs";
import { parseCsv } from "../../src/data/csv";
import { pooledDraws } from "../../src/draws/posterior";
import { ArgumentError, type LmmError } from "../../src/errors";
import { lmm } from "../../src/model/lmm";
import type { LmmModel } from "../../src/model/types";
import { reml } from "../../src/reml/fit";
import { dataPath } from "../helpers/fixtures";

function data(name: string) {
  return parseCsv(readFileSync(dataPath(name), "utf8"));
}

function meanOf(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

function sdOf(x: ArrayLike<number>): number {
  const m = meanOf(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - m) ** 2;
  return Math.sqrt(s / (x.length - 1));
}

/** mu_i at every pooled draw, by dense loops over the model's terms (the oracle). */
function muDraws(model: LmmModel, post: ReturnType<typeof gibbsSync>, i: number): Float64Array {
  const S = post.chains * post.iterations;
  const out = new Float64Array(S);
  model.fixedNames.forEach((name, j) => {
    const b = pooledDraws(post, `beta[${name}]`);
    for (let s = 0; s < S; s++) out[s] = out[s]! + model.X[i * model.p + j]! * b[s]!;
  });
  for (const t of model.terms)
    t.names.forEach((name, a) => {
      const b = pooledDraws(post, `b[${t.group}][${t.levels[t.refs[i]!]},${name}]`);
      for (let s = 0; s < S; s++) out[s] = out[s]! + t.values[i * t.q + a]! * b[s]!;
    });
  if (model.offset !== null) for (let s = 0; s < S; s++) out[s] = out[s]! + model.offset[i]!;
  return out;
}

describe("posterior vocabulary (sleepstudy, uncorrelated terms)", () => {
  const model = lmm("Reaction ~ Days + (Days || Subject)", data("sleepstudy"));
  const post = gibbsSync(model, { iter: 400, warmup: 100, chains: 2, seed: 11 });

  it("fixef and varCorr give the summary table's own doubles", () => {
    const table = summary(post).rows;
    fixef(post).forEach((r, j) => {
      const row = table.find((t) => t.name === `beta[${r.name}]`)!;
      expect(r.estimate).toBe(row.mean);
      expect(r.se).toBe(row.sd);
      expect(r.lower).toBe(row["q2.5"]);
      expect(r.median).toBe(row.q50);
      expect(r.upper).toBe(row["q97.5"]);
      expect(j).toBeLessThan(2);
    });
    for (const v of varCorr(post)) {
      const row = table.find((t) => t.name === v.vcov.name)!;
      expect(v.vcov.estimate).toBe(row.mean);
    }
    // Two terms of one factor: two variances, no covariance (a diagonal Psi).
    expect(varCorr(post).map((v) => [v.grp, v.var1, v.var2])).toEqual([
      ["Subject", "(Intercept)", null],
      ["Subject", "Days", null],
      ["Residual", null, null],
    ]);
  });

  it("coef: beta + b per draw, summarized (lme4's columns)", () => {
    const c = coef(post)[0]!;
    expect(c.names).toEqual(["(Intercept)", "Days"]);
    const level = c.levels[3]!;
    const sum = pooledDraws(post, "beta[Days]").map(
      (v, s) => v + pooledDraws(post, `b[Subject][${level},Days]`)[s]!,
    );
    expect(c.estimate[3]![1]).toBeCloseTo(meanOf(sum), 9);
    expect(c.se![3]![1]).toBeCloseTo(sdOf(sum), 9);
    const sorted = Float64Array.from(sum).sort();
    expect(c.lower![3]![1]).toBeCloseTo(quantileOfSorted(sorted, 0.025), 9);
    expect(c.upper![3]![1]).toBeCloseTo(quantileOfSorted(sorted, 0.975), 9);
  });

  it("fitted and residuals: per-row summaries of mu and y − mu over the draws", () => {
    const f = fitted(post);
    const r = residuals(post, 0.9);
    expect(f.estimate).toHaveLength(model.n);
    for (const i of [0, 17, 93, 179]) {
      const mu = muDraws(model, post, i);
      expect(f.estimate[i]).toBeCloseTo(meanOf(mu), 9);
      expect(f.se[i]).toBeCloseTo(sdOf(mu), 9);
      const sorted = Float64Array.from(mu).sort();
      expect(f.lower[i]).toBeCloseTo(quantileOfSorted(sorted, 0.025), 9);
      expect(f.upper[i]).toBeCloseTo(quantileOfSorted(sorted, 0.975), 9);
      expect(r.estimate[i]).toBeCloseTo(model.y[i]! - meanOf(mu), 9);
      expect(r.upper[i]).toBeCloseTo(model.y[i]! - quantileOfSorted(sorted, 0.05), 9);
    }
  });

  it("logLik: the conditional log-likelihood of every draw", () => {
    const ll = logLik(post);
    expect(ll.parameters).toEqual(["logLik"]);
    expect(ll.values).toHaveLength(post.chains * post.iterations);
    const s2 = pooledDraws(post, "sigma2");
    for (const s of [0, 250, 799]) {
      let direct = 0;
      for (let i = 0; i < model.n; i++) {
        const mu = muDraws(model, post, i)[s]!;
        direct += -0.5 * Math.log(2 * Math.PI * s2[s]!) - (model.y[i]! - mu) ** 2 / (2 * s2[s]!);
      }
      expect(ll.values[s]! / direct).toBeCloseTo(1, 11);
    }
  });

  it("confint: central credible intervals of the fixed effects; nobs and formula", () => {
    const ci = confint(post, 0.8);
    const f = fixef(post, 0.8);
    expect(ci.map((c) => [c.name, c.estimate, c.lower, c.upper])).toEqual(
      f.map((r) => [r.name, r.estimate, r.lower, r.upper]),
    );
    expect(nobs(post)).toBe(180);
    expect(formula(post)).toBe("Reaction ~ Days + (Days || Subject)");
  });

  it("agrees with the REML fit where the data dominate (coef within 2 posterior sds)", () => {
    const fit = reml(model);
    const a = coef(fit)[0]!;
    const b = coef(post)[0]!;
    a.estimate.forEach((row, j) => {
      row.forEach((v, c) => {
        expect(Math.abs(v - b.estimate[j]![c]!)).toBeLessThan(2 * b.se![j]![c]!);
      });
    });
  });
});

describe("random effects kept only as running summaries", () => {
  const model = lmm("Reaction ~ Days + (Days | Subject)", data("sleepstudy"));
  const options = { iter: 300, warmup: 100, chains: 2, seed: 5 } as const;
  const full = gibbsSync(model, { ...options, randomEffects: "draws" });
  const brief = gibbsSync(model, { ...options, randomEffects: "summary" });

  it("fitted and coef give the posterior mean (exact by linearity) and NaN for what needs the draws", () => {
    const a = fitted(full);
    const b = fitted(brief);
    for (let i = 0; i < model.n; i++) expect(b.estimate[i]).toBeCloseTo(a.estimate[i]!, 8);
    expect(Number.isNaN(b.se[0]!)).toBe(true);
    const ca = coef(full)[0]!;
    const cb = coef(brief)[0]!;
    expect(cb.estimate[5]![1]).toBeCloseTo(ca.estimate[5]![1]!, 8);
    expect(Number.isNaN(cb.se![5]![1]!)).toBe(true);
    expect(ranef(brief)[0]!.se[5]![1]).toBeCloseTo(ranef(full)[0]!.se[5]![1]!, 8);
  });

  it("logLik needs the draws and says so", () => {
    expect(() => logLik(brief)).toThrow(/randomEffects: "draws"/);
  });
});

describe("anything else is a typed error saying what is taken", () => {
  const calls: [string, (x: never) => unknown][] = [
    ["fixef", fixef],
    ["ranef", ranef],
    ["varCorr", varCorr],
    ["coef", coef],
    ["fitted", fitted],
    ["residuals", residuals],
    ["summary", summary],
    ["confint", confint],
    ["logLik", logLik],
    ["nobs", nobs],
    ["formula", formula],
  ];
  for (const [name, f] of calls)
    it(name, () => {
      for (const bad of [undefined, null, 3, "fit", {}, { beta: [1] }, [1, 2]]) {
        let error: unknown;
        try {
          f(bad as never);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ArgumentError);
        expect((error as LmmError).code).toBe("INVALID_ARGUMENT");
        expect((error as Error).message).toContain("reml(model)");
        expect((error as Error).message).toContain("gibbs(model)");
      }
    });
});
