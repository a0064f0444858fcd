/**
 * Precision weights (lme4's `weights =`, issue 15): REML and ML fits of three data sets with a weights
 * column equal lme4's `lmer(..., weights = w)` at the tolerances of issue 3 (fixed effects and sigma
 * 1e-4, standard errors and VarCorr 1e-3; test/fixtures/weights/make.R made the fixtures). The
 * criterion includes lme4's -sum(log w), so logLik, AIC and BIC match too.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { csvParse } from "d3-dsv";
import { describe, expect, it } from "vitest";
import { DataError } from "../../src/errors";
import { lmm } from "../../src/model/lmm";
import { fitLmm } from "../../src/reml/fit";
import { fitSummary } from "../../src/reml/summary";
import { FIXTURES, readJsonFixture } from "../helpers/fixtures";
import { expectMatchesLme4, type Lme4Fixture } from "./compare";

/** A fixture CSV as columns (numbers where every value is one). */
function columns(file: string): Record<string, unknown[]> {
  const rows = csvParse(readFileSync(join(FIXTURES, "weights", file), "utf8"));
  return Object.fromEntries(
    rows.columns.map((c) => {
      const v = rows.map((r) => r[c]!);
      return [c, v.every((x) => x !== "" && Number.isFinite(Number(x))) ? v.map(Number) : v];
    }),
  );
}

type WeightsFixture = Lme4Fixture & { formula: string; data: string; weights: string };

describe("precision weights match lme4's weights =", () => {
  for (const name of ["sleep_slope", "penicillin", "exam"])
    for (const method of ["reml", "ml"])
      it(`${name} ${method}`, () => {
        const fx = readJsonFixture<WeightsFixture>(`weights/${name}_${method}.json`);
        const model = lmm(fx.formula, columns(fx.data), { weights: fx.weights });
        const fit = fitLmm(model, { method: fx.REML ? "REML" : "ML" });
        expectMatchesLme4(fit, fx);
      });

  it("weights all 1 give the unweighted fit; other weights another", () => {
    const data = columns("sleep_slope_w.csv");
    const plain = fitLmm(lmm("Reaction ~ Days + (Days | Subject)", data));
    const ones = fitLmm(
      lmm(
        "Reaction ~ Days + (Days | Subject)",
        { ...data, one: data["Days"]!.map(() => 1) },
        { weights: "one" },
      ),
    );
    expect(ones.criterion).toBeCloseTo(plain.criterion, 8);
    expect(ones.beta[1]).toBeCloseTo(plain.beta[1]!, 8);
    const weighted = fitLmm(lmm("Reaction ~ Days + (Days | Subject)", data, { weights: "w" }));
    expect(Math.abs(weighted.criterion - plain.criterion)).toBeGreaterThan(1);
    // summary's scaled residuals are Pearson residuals sqrt(w) r / sigma, as lme4 prints them.
    expect(fitSummary(weighted)).toContain("Scaled residuals:");
  });

  it("a bad weights column is a DataError naming it (and the row)", () => {
    const data = columns("sleep_slope_w.csv");
    const bad = (w: unknown[]) => () =>
      lmm("Reaction ~ Days + (Days | Subject)", { ...data, w }, { weights: "w" });
    const n = data["Days"]!.length;
    expect(bad(Array.from({ length: n }, (_, i) => (i === 4 ? -1 : 1)))).toThrow(/`w`.*row 5 holds -1/);
    expect(bad(Array.from({ length: n }, (_, i) => (i === 4 ? 0 : 1)))).toThrow(DataError);
    expect(bad(Array.from({ length: n }, () => "a"))).toThrow(/must be numeric/);
    expect(() => lmm("Reaction ~ Days + (Days | Subject)", data, { weights: "nope" })).toThrow(/nope/);
    expect(() =>
      lmm("Reaction ~ Days + (Days | Subject)", data, { weights: 3 as unknown as string }),
    ).toThrow(/options\.weights/);
    // a missing weight drops its row, as a missing covariate does
    const m = lmm(
      "Reaction ~ Days + (Days | Subject)",
      { ...data, w: Array.from({ length: n }, (_, i) => (i === 7 ? null : 1)) },
      { weights: "w" },
    );
    expect(m.n).toBe(n - 1);
    expect(m.weights?.length).toBe(n - 1);
  });
});
