/**
 * A model from sufficient statistics (src/model/stats.ts) against the model of the rows: REML and ML
 * fits equal to 1e-10, the sampler's draws for the same seed to 1e-9, and what needs rows refused.
 */
import { describe, expect, it } from "vitest";
import { fitted, residuals } from "../../diagnostics/vocabulary";
import { gibbsSync } from "../../samplers/gibbs";
import { LmmError } from "../../src/errors";
import { pointwiseLogLik } from "../../src/loglik/pointwise";
import { lmm } from "../../src/model/lmm";
import { statisticsOfRows, withoutRows } from "../../src/model/stats";
import { readCsvFile } from "../../src/node/data-file";
import { predict } from "../../src/predict/predict";
import { simulate } from "../../src/predict/simulate";
import { fitLmm } from "../../src/reml/fit";
import { fitSummary } from "../../src/reml/summary";
import { dataPath } from "../helpers/fixtures";
import { drawsDifference, fitDifference, fixtureModel, STATS_CASES } from "./stats-helpers";

describe("a model from sufficient statistics", () => {
  for (const { data, formula } of STATS_CASES)
    for (const method of data === "InstEval" ? (["REML"] as const) : (["REML", "ML"] as const))
      it(`${method}: ${formula} on ${data} equals the rows' fit to 1e-10`, () => {
        const model = fixtureModel(data, formula);
        const stats = withoutRows(model);
        expect(stats.y.length).toBe(0);
        const a = fitLmm(model, { method });
        const b = fitLmm(stats, { method });
        expect(fitDifference(a, b)).toBeLessThan(1e-10);
        expect(b.nobs).toBe(a.nobs);
        expect(b.residuals.length).toBe(0);
      });

  for (const { data, formula } of STATS_CASES.filter((c) => c.data !== "InstEval"))
    it(`the sampler: ${formula} on ${data} draws the rows' draws to 1e-9 (same seed)`, () => {
      const model = fixtureModel(data, formula);
      const options = { iter: 150, warmup: 50, chains: 2, seed: 11, parallel: false as const };
      const a = gibbsSync(model, options);
      const b = gibbsSync(withoutRows(model), options);
      expect(drawsDifference(a.values, b.values)).toBeLessThan(1e-9);
      expect(b.parameters).toEqual(a.parameters);
    });

  it("the sampler's by-factor strategy from sums (InstEval's crossed factors): the same draws", () => {
    const model = fixtureModel("InstEval", "y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept:service)");
    const options = {
      iter: 20,
      warmup: 10,
      chains: 1,
      seed: 3,
      parallel: false as const,
      strategy: "by-factor" as const,
    };
    const a = gibbsSync(model, options);
    const b = gibbsSync(withoutRows(model), options);
    expect(drawsDifference(a.values, b.values)).toBeLessThan(1e-9);
  });

  it("centres and scales from the sums as from the rows (Days × 1e8, Reaction + 1e4)", () => {
    const t = readCsvFile(dataPath("sleepstudy"));
    const col = (name: string) => {
      const c = t.column(name)!;
      if (c.type !== "numeric") throw new Error(name);
      return Array.from(c.values);
    };
    const data = {
      Reaction: col("Reaction").map((v) => v + 1e4),
      Days: col("Days").map((v) => v * 1e8),
      Subject: col("Subject"),
    };
    const model = lmm("Reaction ~ Days + (Days | Subject)", data);
    for (const method of ["REML", "ML"] as const)
      expect(fitDifference(fitLmm(model, { method }), fitLmm(withoutRows(model), { method }))).toBeLessThan(
        1e-9,
      );
  });

  it("has one cell per level for one factor, per observed combination for several", () => {
    expect(statisticsOfRows(fixtureModel("sleepstudy", "Reaction ~ Days + (Days | Subject)")).count).toBe(18);
    // Penicillin: 24 plates × 6 samples, every combination observed once.
    expect(
      statisticsOfRows(fixtureModel("Penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)")).count,
    ).toBe(144);
  });

  it("refuses what needs rows with NEEDS_ROWS, naming it", () => {
    const stats = withoutRows(fixtureModel("sleepstudy", "Reaction ~ Days + (Days | Subject)"));
    const fit = fitLmm(stats);
    const post = gibbsSync(stats, { iter: 20, warmup: 10, chains: 1, seed: 1, parallel: false });
    const needsRows = (f: () => unknown, what: RegExp) => {
      expect(f).toThrow(what);
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(LmmError);
        expect((e as LmmError).code).toBe("NEEDS_ROWS");
      }
    };
    needsRows(() => statisticsOfRows(stats), /statisticsOfRows needs the model's rows/);
    needsRows(() => residuals(fit), /Residuals per row needs/);
    needsRows(() => fitted(fit), /Fitted values per row needs/);
    needsRows(() => fitted(post), /linear predictor per row/);
    needsRows(() => pointwiseLogLik(stats, post), /pointwise log-likelihood \(loo, WAIC\)/);
    needsRows(() => simulate(fit), /Simulated responses per row needs/);
    needsRows(() => predict(fit), /Predictions for the model's rows \(give newdata\) needs/);
    expect(fitSummary(fit)).toContain("Scaled residuals: not computed");
    expect(fitSummary(fit)).toContain("Number of obs: 180, groups:  Subject, 18");
  });
});
