/**
 * InstEval (73,421 ratings; crossed s, d and dept:service with 2,972, 1,128 and 28 levels) against
 * lme4, REML and ML, at the tolerances of issue 3. A few seconds per fit (bench/reml.bench.ts).
 */
import { describe, expect, it } from "vitest";
import { lmm } from "../../src/model/lmm";
import { readCsvFile } from "../../src/node/data-file";
import { fitLmm } from "../../src/reml/fit";
import { dataPath, readJsonFixture } from "../helpers/fixtures";
import { expectMatchesLme4, type Lme4Fixture } from "./compare";

describe("InstEval", () => {
  const fx = readJsonFixture<Lme4Fixture & { formula: string }>("lme4/insteval_reml.json");
  const model = lmm(fx.formula, readCsvFile(dataPath("InstEval")));

  it.each(["insteval_reml", "insteval_ml"])(
    "%s matches lme4",
    (name) => {
      const ref = readJsonFixture<Lme4Fixture>(`lme4/${name}.json`);
      const fit = fitLmm(model, { method: ref.REML ? "REML" : "ML" });
      expectMatchesLme4(fit, ref);
      expect(fit.optimizer.converged).toBe(true);
      expect(fit.optimizer.warnings).toEqual([]);
      expect(fit.ranef.map((t) => t.levels.length)).toEqual([2972, 1128, 28]);
    },
    180_000,
  );
});
