/**
 * REML/ML predictions against lme4 1.1-31 (test/fixtures/predict/predict.json, made by make.R there):
 * predict.merMod with re.form NULL, NA and a subset of the terms, allow.new.levels = TRUE on new rows,
 * fitted values and residuals, on five models (random slope, an uncorrelated pair by ML, crossed,
 * nested, and one with poly, factor, scale and an aliased column, so the design recipe is used), and
 * the standard errors of confidence and prediction intervals against a dense computation in R from
 * lme4's Lambda, Z and X.
 *
 * Each fit is made at lme4's theta (`fitAtTheta`), so the numbers compared are the same function of
 * the same parameters: tolerance 1e-8 relative to the response's scale (both are double-precision
 * computations of the same linear algebra; R's through dense matrices).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fitted, residuals } from "../../diagnostics/vocabulary";
import { parseCsv } from "../../src/data/csv";
import { ArgumentError, DataError } from "../../src/errors";
import { lmm } from "../../src/model/lmm";
import { predict } from "../../src/predict/predict";
import { fitAtTheta, fitLmm } from "../../src/reml/fit";
import { dataPath, readJsonFixture } from "../helpers/fixtures";

interface Se {
  confidence: number[];
  prediction: number[];
}
interface Case {
  formula: string;
  data: string;
  REML: boolean;
  theta: number[];
  beta: number[];
  sigma: number;
  newdata: Record<string, unknown>[];
  subset?: string;
  train: {
    all: number[];
    none: number[];
    subset?: number[];
    fitted: number[];
    response: number[];
    pearson: number[];
    pearson_scaled: number[];
    se_all: Se;
    se_none: Se;
  };
  new: { all: number[]; none: number[]; subset?: number[]; se_all: Se; se_none: Se; se_subset?: Se };
  new_levels_error: string;
}

const fixture = readJsonFixture<{ cases: Record<string, Case> }>("predict/predict.json");

function close(actual: ArrayLike<number>, expected: readonly number[], scale: number, tol = 1e-8): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++)
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / scale);
  expect(worst).toBeLessThan(tol);
}

for (const [name, c] of Object.entries(fixture.cases)) {
  describe(`predict on ${name}: ${c.formula}`, () => {
    const data = parseCsv(readFileSync(dataPath(c.data), "utf8"));
    const model = lmm(c.formula, data);
    const fit = fitAtTheta(model, ([] as number[]).concat(c.theta), c.REML ? "REML" : "ML");
    const scale = Math.max(...c.train.all.map(Math.abs));
    // newdata as R's data frame had it: numbers stay numbers (the CSV's numeric grouping columns too).
    const newdata = c.newdata.map((r) => Object.fromEntries(Object.entries(r)));

    it("is at lme4's estimates", () => {
      // (R's JSON writes a vector of length 1 as a number)
      const beta = ([] as number[]).concat(c.beta);
      close(fit.beta, beta, Math.max(...beta.map(Math.abs)));
      expect(Math.abs(fit.sigma - c.sigma) / c.sigma).toBeLessThan(1e-9);
    });

    it("re all and none on the training rows (re.form NULL, NA)", () => {
      close(predict(fit).fit, c.train.all, scale);
      close(predict(fit, { re: "none" }).fit, c.train.none, scale);
      close(fitted(fit), c.train.fitted, scale);
    });

    it("residuals: response, pearson, scaled (lme4's residuals.merMod)", () => {
      close(residuals(fit), c.train.response, scale);
      close(residuals(fit, { type: "response" }), c.train.response, scale);
      close(residuals(fit, { type: "pearson" }), c.train.pearson, scale);
      close(residuals(fit, { type: "pearson", scaled: true }), c.train.pearson_scaled, 1);
      expect(() => residuals(fit, { type: "deviance" as never })).toThrow(/must be "response" or "pearson"/);
      expect(() => residuals(fit, 0.9 as never)).toThrow(ArgumentError);
    });

    it("on new rows: allow.new.levels = TRUE is newLevels population; re none", () => {
      close(predict(fit, { newdata, newLevels: "population" }).fit, c.new.all, scale);
      close(predict(fit, { newdata, re: "none" }).fit, c.new.none, scale);
    });

    it("new data without a column the included terms need: a DataError naming it", () => {
      const column = Object.keys(newdata[0]!)[0]!;
      const without = newdata.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== column)));
      expect(() => predict(fit, { newdata: without, newLevels: "population" })).toThrow(DataError);
      expect(() => predict(fit, { newdata: without, newLevels: "population" })).toThrow(column);
    });

    it('a new level is an error under newLevels "error" (lme4\'s default), naming it', () => {
      expect(c.new_levels_error).toMatch(/new levels detected/);
      const first = c.new_levels_error.replace(/.*newdata: /, "").split(", ");
      let error: unknown;
      try {
        predict(fit, { newdata });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DataError);
      // lme4 names the levels; so do we (the first, and how many more).
      expect(first.some((l) => (error as Error).message.includes(`\`${l}\``))).toBe(true);
    });

    if (c.subset !== undefined) {
      it(`a subset of the terms (re.form = ~(1 | ${c.subset}))`, () => {
        close(predict(fit, { re: [c.subset!] }).fit, c.train.subset!, scale);
        close(predict(fit, { newdata, re: [c.subset!], newLevels: "population" }).fit, c.new.subset!, scale);
        const se = predict(fit, {
          newdata,
          re: [c.subset!],
          newLevels: "population",
          interval: "confidence",
        }).se!;
        close(se, c.new.se_subset!.confidence, scale);
        const pe = predict(fit, {
          newdata,
          re: [c.subset!],
          newLevels: "population",
          interval: "prediction",
        }).se!;
        close(pe, c.new.se_subset!.prediction, scale);
      });
    }

    it("standard errors of confidence and prediction intervals (dense computation in R)", () => {
      for (const [interval, key] of [
        ["confidence", "confidence"],
        ["prediction", "prediction"],
      ] as const) {
        close(predict(fit, { interval }).se!, c.train.se_all[key], scale);
        close(predict(fit, { interval, re: "none" }).se!, c.train.se_none[key], scale);
        close(predict(fit, { newdata, newLevels: "population", interval }).se!, c.new.se_all[key], scale);
        close(predict(fit, { newdata, re: "none", interval }).se!, c.new.se_none[key], scale);
      }
    });
  });
}

describe("intervals", () => {
  const c = fixture.cases["sleep_slope"]!;
  const fit = fitAtTheta(lmm(c.formula, parseCsv(readFileSync(dataPath(c.data), "utf8"))), c.theta);
  it("are fit ± z se, z the normal quantile of the level", () => {
    const p = predict(fit, {
      newdata: c.newdata,
      newLevels: "population",
      interval: "prediction",
      level: 0.9,
    });
    const z = 1.6448536269514722;
    for (let i = 0; i < p.fit.length; i++) {
      expect(p.lower![i]).toBeCloseTo(p.fit[i]! - z * p.se![i]!, 10);
      expect(p.upper![i]).toBeCloseTo(p.fit[i]! + z * p.se![i]!, 10);
    }
    expect(p.level).toBe(0.9);
    expect(p.re).toEqual(["Subject"]);
  });
  it("prediction intervals are wider than confidence intervals", () => {
    const conf = predict(fit, { interval: "confidence" }).se!;
    const pred = predict(fit, { interval: "prediction" }).se!;
    for (let i = 0; i < conf.length; i++) expect(pred[i]!).toBeGreaterThan(conf[i]!);
  });
  it("interval none gives no bounds", () => {
    const p = predict(fit);
    expect(p.lower).toBeNull();
    expect(p.se).toBeNull();
  });
  it("work on an optimized fit too (fitLmm), close to the fit at lme4's theta", () => {
    const own = fitLmm(fit.model);
    const a = predict(own, { interval: "confidence" });
    const b = predict(fit, { interval: "confidence" });
    for (let i = 0; i < a.fit.length; i++) {
      expect(Math.abs(a.fit[i]! - b.fit[i]!)).toBeLessThan(1e-3);
      expect(Math.abs(a.se![i]! - b.se![i]!)).toBeLessThan(1e-3);
    }
  });
});

describe("the training data as newdata give the training predictions (the recipe's path)", () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    it(name, () => {
      const data = parseCsv(readFileSync(dataPath(c.data), "utf8"));
      const fit = fitAtTheta(lmm(c.formula, data), ([] as number[]).concat(c.theta), c.REML ? "REML" : "ML");
      const own = predict(fit, { interval: "prediction" });
      const again = predict(fit, { newdata: data, interval: "prediction" });
      expect(Array.from(again.rows)).toEqual(Array.from(own.rows));
      const scale = Math.max(...c.train.all.map(Math.abs));
      close(again.fit, Array.from(own.fit), scale, 1e-12);
      close(again.se!, Array.from(own.se!), scale, 1e-12);
    });
  }
});
