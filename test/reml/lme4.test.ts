/**
 * REML and ML fits against lme4 1.1-31 on every fixture model (InstEval: ./insteval.test.ts): the
 * criterion at lme4's theta on models built by hand (./models: independent of the design stage), and
 * the fits on models built by `lmm(formula, data)` from the CSV, the way users build them.
 */
import { describe, expect, it } from "vitest";
import { lmm } from "../../src/model/lmm";
import { readCsvFile } from "../../src/node/data-file";
import { devianceFunction, fitLmm } from "../../src/reml/fit";
import { dataPath, LME4_MODELS, readJsonFixture } from "../helpers/fixtures";
import { expectMatchesLme4, type Lme4Fixture } from "./compare";
import { fixtureModel } from "./models";

const SMALL = LME4_MODELS.filter((m) => !m.startsWith("insteval"));

describe("profiled criterion at lme4's theta", () => {
  it.each(LME4_MODELS)("%s: equals lme4's REMLcrit/deviance to 1e-9 relative", (name) => {
    const fx = readJsonFixture<Lme4Fixture>(`lme4/${name}.json`);
    const devfun = devianceFunction(fixtureModel(name), fx.REML ? "REML" : "ML");
    const value = devfun.value(Float64Array.from([fx.theta].flat()));
    const expected = fx.REML ? fx.REMLcrit! : fx.deviance!;
    // lme4 evaluates the same formula with CHOLMOD; only rounding separates the two.
    expect(Math.abs(value - expected) / expected).toBeLessThan(1e-9);
  });
});

describe("fits match lme4", () => {
  it.each(SMALL)("%s", (name) => {
    const fx = readJsonFixture<Lme4Fixture & { formula: string; data: string }>(`lme4/${name}.json`);
    const model = lmm(fx.formula, readCsvFile(dataPath(fx.data)));
    const fit = fitLmm(model, { method: fx.REML ? "REML" : "ML" });
    expectMatchesLme4(fit, fx);
    expect(fit.optimizer.converged).toBe(true);
    expect(fit.optimizer.warnings).toEqual([]);
    // theta too (same sign convention as lme4), at the VarCorr tolerance.
    const theta = [fx.theta].flat();
    fit.theta.forEach((t, i) => {
      const ref = theta[i]!;
      expect(Math.abs(t - ref), `theta[${i}]`).toBeLessThan(Math.max(1e-3 * Math.abs(ref), 1e-6));
    });
  });
});
