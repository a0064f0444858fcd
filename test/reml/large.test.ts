/**
 * The large-data benchmark's REML models against lme4 (test/fixtures/large: made by make-star.R):
 * star (mlmRev, 24,578 rows used; id, tch, sch crossed and nested with 10,732, 1,374 and 80 levels),
 * at the tolerances of issue 3.
 */
import { describe, expect, it } from "vitest";
import { lmm } from "../../src/model/lmm";
import { readCsvFile } from "../../src/node/data-file";
import { fitLmm } from "../../src/reml/fit";
import { dataPath, readJsonFixture } from "../helpers/fixtures";
import { expectMatchesLme4, type Lme4Fixture } from "./compare";

describe("star", () => {
  it("star_reml matches lme4", () => {
    const fx = readJsonFixture<Lme4Fixture & { formula: string }>("large/star_reml.json");
    const model = lmm(fx.formula, readCsvFile(dataPath("star")));
    const fit = fitLmm(model);
    expectMatchesLme4(fit, fx);
    expect(fit.optimizer.converged).toBe(true);
    expect(fit.optimizer.warnings).toEqual([]);
    expect(fit.ranef.map((t) => t.levels.length)).toEqual([10732, 1374, 80]);
  }, 60_000);
});
