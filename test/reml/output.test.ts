/**
 * What users read off a fit: Wald intervals, likelihood-ratio tests (against lme4's fixtures and
 * known R values) and the printed summary. The distribution functions they rest on: test/stats/.
 */
import { describe, expect, it } from "vitest";
import { ArgumentError } from "../../src/errors";
import { lmm } from "../../src/model/lmm";
import { readCsvFile } from "../../src/node/data-file";
import { anova } from "../../src/reml/anova";
import { confint } from "../../src/reml/confint";
import { ml, reml } from "../../src/reml/fit";
import { abbreviate, formatColumn, formatNumber } from "../../src/reml/format";
import { fitSummary } from "../../src/reml/summary";
import { chiSquareUpperTail } from "../../src/stats/distributions";
import { dataPath, readJsonFixture } from "../helpers/fixtures";
import type { Lme4Fixture } from "./compare";

const sleep = readCsvFile(dataPath("sleepstudy"));
const slope = reml(lmm("Reaction ~ Days + (Days | Subject)", sleep));
const intercept = reml(lmm("Reaction ~ Days + (1 | Subject)", sleep));

describe("confint", () => {
  it("gives beta ± 1.96 se from lme4's estimates (sleepstudy, REML)", () => {
    const fx = readJsonFixture<Lme4Fixture>("lme4/sleep_slope_reml.json");
    const ci = confint(slope);
    const z = 1.959963984540054;
    expect(ci.map((c) => c.name)).toEqual(["(Intercept)", "Days"]);
    for (const c of ci) {
      expect(c.lower).toBeCloseTo(fx.fixef[c.name]! - z * fx.se[c.name]!, 2);
      expect(c.upper).toBeCloseTo(fx.fixef[c.name]! + z * fx.se[c.name]!, 2);
    }
    const ci90 = confint(slope, 0.9)[1]!;
    expect(ci90.upper - ci90.lower).toBeCloseTo(2 * 1.6448536269514722 * slope.se[1]!, 10);
    expect(() => confint(slope, 1.2)).toThrow(ArgumentError);
  });
});

describe("anova", () => {
  it("refits REML fits by ML and tests them as lme4 does (Chisq from lme4's ML log-likelihoods)", () => {
    const a = readJsonFixture<Lme4Fixture>("lme4/sleep_int_ml.json");
    const b = readJsonFixture<Lme4Fixture>("lme4/sleep_slope_ml.json");
    const table = anova({ fm1: slope, fm0: intercept });
    expect(table.refitted).toEqual(["fm1", "fm0"]);
    expect(table.notes[0]).toContain("refitting model(s) with ML (instead of REML)");
    expect(table.rows.map((r) => r.name)).toEqual(["fm0", "fm1"]); // ordered by npar
    const [r0, r1] = table.rows;
    expect(r0!.npar).toBe(4);
    expect(r1!.npar).toBe(6);
    expect(r0!.logLik).toBeCloseTo(a.logLik, 4);
    expect(r1!.logLik).toBeCloseTo(b.logLik, 4);
    expect(r1!.Chisq).toBeCloseTo(2 * (b.logLik - a.logLik), 3);
    expect(r1!.Df).toBe(2);
    expect(r1!.p).toBeCloseTo(chiSquareUpperTail(2 * (b.logLik - a.logLik), 2), 12);
    expect(r1!.p!).toBeLessThan(1e-9); // R: 7.072e-10
    expect(r0!.Chisq).toBeNull();
    expect(table.text).toMatch(
      /fm1\s+6\s+1763\.9\s+1783\.1\s+-875\.97\s+1751\.9\s+42\.139\s+2\s+7\.07\d?e-10 \*\*\*/,
    );
  });

  it("uses ML fits as they are (anova(fit0, fit1), names model1, model2)", () => {
    const table = anova(
      ml(lmm("Reaction ~ Days + (1 | Subject)", sleep)),
      ml(lmm("Reaction ~ Days + (Days | Subject)", sleep)),
    );
    expect(table.refitted).toEqual([]);
    expect(table.notes).toEqual([]);
    expect(table.rows.map((r) => r.name)).toEqual(["model1", "model2"]);
    expect(table.rows[1]!.Chisq).toBeCloseTo(42.139, 2);
  });

  it("refuses fits of different data, and a single fit", () => {
    const other = reml(lmm("Yield ~ 1 + (1 | Batch)", readCsvFile(dataPath("Dyestuff"))));
    expect(() => anova(slope, other)).toThrow(ArgumentError);
    expect(() => anova([slope, other])).toThrow(ArgumentError);
    expect(() => anova([slope])).toThrow(/at least two/);
    expect(() => anova(slope)).toThrow(/at least two/);
  });
});

describe("offsets", () => {
  it("offset(Days) shifts the Days coefficient by exactly 1 and changes nothing else", () => {
    const withOffset = reml(lmm("Reaction ~ Days + offset(Days) + (Days | Subject)", sleep));
    expect(withOffset.beta[1]).toBeCloseTo(slope.beta[1]! - 1, 6);
    expect(withOffset.beta[0]).toBeCloseTo(slope.beta[0]!, 6);
    expect(withOffset.sigma).toBeCloseTo(slope.sigma, 6);
    expect(withOffset.criterion).toBeCloseTo(slope.criterion, 6);
    expect(withOffset.fitted[7]).toBeCloseTo(slope.fitted[7]!, 6);
  });
});

describe("summary", () => {
  it("has lme4's sections and numbers", () => {
    const text = fitSummary(slope);
    for (const part of [
      "Linear mixed model fit by REML",
      "Formula: Reaction ~ Days + (Days | Subject)",
      "REML criterion at convergence: 1743.6",
      "Scaled residuals:",
      "Random effects:",
      "Number of obs: 180, groups:  Subject, 18",
      "Fixed effects:",
      "Correlation of Fixed Effects:",
      "Optimizer: bfgs-b",
    ])
      expect(text).toContain(part);
    expect(text).toMatch(/Residual\s+654\.9\d\s+25\.59/);
    expect(text).toMatch(/Days\s+-0\.138/);
  });

  it("says why the Hessian was not checked: a small model with its only variance at 0 (Dyestuff2)", () => {
    const fit = reml(lmm("Yield ~ 1 + (1 | Batch)", readCsvFile(dataPath("Dyestuff2"))));
    expect(fit.singular).toBe(true);
    expect(fit.optimizer.hessianSkipped).toBe("boundary");
    const text = fitSummary(fit);
    expect(text).toContain("every variance parameter is on its boundary");
    expect(text).not.toContain("a large model");
    expect(slope.optimizer.hessianSkipped).toBeNull();
  });

  it("says when there are no fixed effects (y ~ 0 + (1 | g))", () => {
    const text = fitSummary(reml(lmm("Reaction ~ 0 + (1 | Subject)", sleep)));
    expect(text).toContain("No fixed effect coefficients");
    expect(text).not.toContain("Correlation of Fixed Effects");
  });

  it("formats like R", () => {
    expect(formatNumber(1743.62827, 5)).toBe("1743.6");
    expect(formatNumber(7.0717e-10, 4, true)).toBe("7.072e-10");
    expect(formatNumber(1e-20, 4, true)).toBe("< 2.2e-16");
    expect(formatColumn([251.405, 10.467], 4)).toEqual(["251.41", "10.47"]); // R: "251.41" " 10.47"
    expect(abbreviate("(Intercept)")).toBe("(Intr)");
    expect(abbreviate("standLRT")).toBe("stnLRT");
    expect(abbreviate("Days")).toBe("Days");
  });
});
