/**
 * Nakagawa's R² against R (test/fixtures/r2, made by make.R there): the formula computed by hand from
 * lme4 1.1-31's output on five models, and performance::r2_nakagawa 0.10.2 where it computes the same
 * thing (on ChickWeight it does not: insight takes a random slope's columns from X by name, and X has
 * `poly(Time, 2)1`, not `Time`, so it counts the intercepts' variance alone). Each fit is at lme4's
 * theta, so the tolerance is rounding: 1e-9.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv";
import { lmm } from "../../src/model/lmm";
import { fitAtTheta } from "../../src/reml/fit";
import { r2 } from "../../src/reml/r2";
import { dataPath, readJsonFixture } from "../helpers/fixtures";

interface Case {
  data: string;
  formula: string;
  REML: boolean;
  theta: number[];
  var_fixed: number;
  var_random: number;
  var_residual: number;
  marginal: number;
  conditional: number;
  performance_marginal: number;
  performance_conditional: number;
}
const cases = readJsonFixture<{ cases: Record<string, Case> }>("r2/r2.json").cases;

describe.each(Object.entries(cases))("r2: %s", (name, c) => {
  const fit = fitAtTheta(
    lmm(c.formula, parseCsv(readFileSync(dataPath(c.data), "utf8"))),
    c.theta,
    c.REML ? "REML" : "ML",
  );
  const r = r2(fit);
  it("matches the formula computed from lme4's output", () => {
    expect(r.varFixed).toBeCloseTo(c.var_fixed, 9 - Math.ceil(Math.log10(Math.max(1, c.var_fixed))));
    expect(Math.abs(r.varRandom - c.var_random) / c.var_random).toBeLessThan(1e-9);
    expect(Math.abs(r.varResidual - c.var_residual) / c.var_residual).toBeLessThan(1e-9);
    expect(r.marginal).toBeCloseTo(c.marginal, 9);
    expect(r.conditional).toBeCloseTo(c.conditional, 9);
  });
  if (name !== "chick")
    it("matches performance::r2_nakagawa", () => {
      expect(r.marginal).toBeCloseTo(c.performance_marginal, 9);
      expect(r.conditional).toBeCloseTo(c.performance_conditional, 9);
    });
});
