/**
 * A model from sufficient statistics (src/model/stats.ts) against the model of the rows: REML and ML
 * fits equal to 1e-10, the sampler's draws for the same seed to 1e-9, and what needs rows refused.
 */
import { describe, expect, it } from "vitest";
import { LmmError } from "../../src/errors";
import { statisticsOfRows, withoutRows } from "../../src/model/stats";
import { fitLmm } from "../../src/reml/fit";
import { fitDifference, fixtureModel, STATS_CASES } from "./stats-helpers";

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

  it("has one cell per level for one factor, per observed combination for several", () => {
    expect(statisticsOfRows(fixtureModel("sleepstudy", "Reaction ~ Days + (Days | Subject)")).count).toBe(18);
    // Penicillin: 24 plates × 6 samples, every combination observed once.
    expect(
      statisticsOfRows(fixtureModel("Penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)")).count,
    ).toBe(144);
  });

  it("refuses what needs rows with NEEDS_ROWS", () => {
    const stats = withoutRows(fixtureModel("sleepstudy", "Reaction ~ Days + (Days | Subject)"));
    expect(() => statisticsOfRows(stats)).toThrow(LmmError);
    try {
      statisticsOfRows(stats);
    } catch (e) {
      expect((e as LmmError).code).toBe("NEEDS_ROWS");
    }
  });
});
