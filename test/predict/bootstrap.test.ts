/**
 * The parametric bootstrap (lme4's bootMer) by its statistical behaviour on sleepstudy's random-slope
 * model: over B = 400 refits of responses simulated from the fit, the fixed effects' bootstrap mean
 * is the estimate (within 4 Monte Carlo standard errors, se / sqrt(B)) and their bootstrap standard
 * deviation is the Wald standard error (within 4 Monte Carlo standard errors of an sd, about
 * sd / sqrt(2B), plus the 3% by which Wald's se, which holds theta fixed, may differ); sigma's
 * bootstrap mean is sigma^ likewise. Percentile intervals from it (confint method "boot") hold the
 * estimate and are close to the profile's for the fixed effects.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { confint } from "../../diagnostics/vocabulary";
import { parseCsv } from "../../src/data/csv";
import { lmm } from "../../src/model/lmm";
import { bootstrap } from "../../src/predict/bootstrap";
import { reml } from "../../src/reml/fit";
import { dataPath } from "../helpers/fixtures";

const B = 400;
const fit = reml(
  lmm("Reaction ~ Days + (Days | Subject)", parseCsv(readFileSync(dataPath("sleepstudy"), "utf8"))),
);
const boot = bootstrap(fit, { nsim: B, seed: 2026 });
const column = (name: string): number[] => boot.t.map((r) => r[boot.names.indexOf(name)]!);
const mean = (x: number[]): number => x.reduce((a, b) => a + b, 0) / x.length;
const sd = (x: number[]): number => {
  const m = mean(x);
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
};

describe("bootstrap", () => {
  it("names lme4's parameters and keeps every refit", () => {
    expect(boot.names).toEqual([".sig01", ".sig02", ".sig03", ".sigma", "(Intercept)", "Days"]);
    expect(boot.t.length + boot.failures).toBe(B);
    expect(boot.failures).toBe(0);
    expect(boot.t0[4]).toBe(fit.beta[0]);
    expect(boot.t0[3]).toBe(fit.sigma);
  });
  it("fixed effects: bootstrap mean = estimate, bootstrap sd = Wald se, within Monte Carlo error", () => {
    fit.fixedNames.forEach((name, j) => {
      const x = column(name);
      const se = fit.se[j]!;
      expect(Math.abs(mean(x) - fit.beta[j]!) / (se / Math.sqrt(B)), name).toBeLessThan(4);
      expect(Math.abs(sd(x) / se - 1), name).toBeLessThan(4 / Math.sqrt(2 * B) + 0.03);
    });
  });
  it("sigma's bootstrap mean is sigma^ (REML's sigma is nearly unbiased)", () => {
    const x = column(".sigma");
    expect(Math.abs(mean(x) - fit.sigma) / (sd(x) / Math.sqrt(B))).toBeLessThan(4);
  });
  it("the same seed gives the same refits", () => {
    const a = bootstrap(fit, { nsim: 3, seed: 9 });
    const b = bootstrap(fit, { nsim: 3, seed: 9 });
    expect(a.t).toEqual(b.t);
  });
  it("a user statistic (lme4's FUN) with names", () => {
    const r = bootstrap(fit, { nsim: 4, seed: 3, statistic: (f) => [f.sigma ** 2], names: ["sigma2"] });
    expect(r.names).toEqual(["sigma2"]);
    expect(r.t.length).toBe(4);
    expect(r.t0[0]).toBeCloseTo(fit.sigma ** 2, 10);
    expect(() => bootstrap(fit, { nsim: 0 })).toThrow(/nsim/);
    expect(() => bootstrap(fit, { nsim: 2, statistic: () => [1], names: ["a", "b"] })).toThrow(/names/);
  });
  it('confint method "boot": percentile intervals around the estimate, near the profile\'s for beta', () => {
    const rows = confint(fit, { method: "boot", nsim: B, seed: 2026 });
    expect(rows.map((r) => r.name)).toEqual(boot.names);
    for (const r of rows) {
      expect(r.lower).toBeLessThan(r.estimate);
      expect(r.upper).toBeGreaterThan(r.estimate);
    }
    // the same refits as above: the 2.5% quantile of Days over them
    const days = Float64Array.from(column("Days")).sort();
    expect(rows[5]!.lower).toBeGreaterThanOrEqual(days[Math.floor(0.025 * (B - 1))]!);
    expect(rows[5]!.lower).toBeLessThanOrEqual(days[Math.ceil(0.025 * (B - 1))]!);
    const profile = confint(fit, { method: "profile" });
    for (const j of [4, 5]) {
      const width = profile[j]!.upper - profile[j]!.lower;
      expect(Math.abs(rows[j]!.lower - profile[j]!.lower) / width).toBeLessThan(0.1);
      expect(Math.abs(rows[j]!.upper - profile[j]!.upper) / width).toBeLessThan(0.1);
    }
    expect(() => confint(fit, { method: "bayes" as never })).toThrow(/wald/);
    expect(() => confint(fit, { method: "boot", nsim: 1 })).toThrow(/nsim/);
  });
});
