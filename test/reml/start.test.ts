/**
 * The moment start of scalar intercept models (src/reml/start.ts): close to lme4's optimum on the
 * lme4 fixtures, lme4's θ = 1 for every other model, and the fit from it reaches the same optimum as
 * the fit from θ = 1 in fewer evaluations.
 */
import { describe, expect, it } from "vitest";
import { lmm } from "../../src/model/lmm";
import { readCsvFile } from "../../src/node/data-file";
import { fitLmm } from "../../src/reml/fit";
import { momentStart } from "../../src/reml/start";
import { buildSystem } from "../../src/reml/system";
import { modelThetaLayout } from "../../src/reml/theta";
import { dataPath, readJsonFixture } from "../helpers/fixtures";

interface Fixture {
  formula: string;
  data: string;
  REML: boolean;
  theta: number | number[];
}

function fixture(name: string): { fx: Fixture; model: ReturnType<typeof lmm> } {
  const fx = readJsonFixture<Fixture>(`lme4/${name}.json`);
  return { fx, model: lmm(fx.formula, readCsvFile(dataPath(fx.data))) };
}

function start(model: ReturnType<typeof lmm>): number[] {
  return Array.from(momentStart(model, buildSystem(model), modelThetaLayout(model)));
}

describe("momentStart", () => {
  it.each(["dyestuff_reml", "sleep_int_reml", "pastes_reml", "penicillin_reml", "insteval_reml"])(
    "%s: within a factor 3 of lme4's theta (≥ 0.1)",
    (name) => {
      const { fx, model } = fixture(name);
      const lme4 = [fx.theta].flat();
      const theta = start(model);
      expect(theta).toHaveLength(lme4.length);
      theta.forEach((t, k) => {
        const target = Math.max(0.1, lme4[k]!);
        expect(t / target).toBeGreaterThan(1 / 3);
        expect(t / target).toBeLessThan(3);
      });
    },
  );

  it("a boundary fit (Dyestuff2, lme4's theta 0) starts at the lower clamp 0.1", () => {
    expect(start(fixture("dyestuff2_reml").model)).toEqual([0.1]);
  });

  it.each(["sleep_slope_reml", "sleep_uncor_reml", "exam_reml"])(
    "%s (random slopes): lme4's theta = 1",
    (name) => {
      const { model } = fixture(name);
      const layout = modelThetaLayout(model);
      const expected = Array.from({ length: layout.length }, (_, t) =>
        layout.row[t] === layout.col[t] ? 1 : 0,
      );
      expect(start(model)).toEqual(expected);
    },
  );

  it("a rank-deficient X starts at theta = 1", () => {
    const { model } = fixture("pastes_reml");
    const X = new Float64Array(model.n * 2);
    for (let i = 0; i < model.n; i++) X[2 * i] = X[2 * i + 1] = 1;
    expect(start({ ...model, X, p: 2 })).toEqual([1, 1]);
  });

  it.each(["pastes_reml", "pastes_ml", "dyestuff2_reml", "insteval_reml"])(
    "%s: same optimum as from theta = 1, in fewer evaluations",
    (name) => {
      const { fx, model } = fixture(name);
      const method = fx.REML ? "REML" : "ML";
      const ones = model.terms.map(() => 1);
      const fromOnes = fitLmm(model, { method, start: ones });
      const fromMoments = fitLmm(model, { method });
      const crit = (f: typeof fromOnes): number => f.criterion;
      expect(Math.abs(crit(fromMoments) - crit(fromOnes)) / crit(fromOnes)).toBeLessThan(1e-12);
      expect(fromMoments.optimizer.evaluations).toBeLessThan(fromOnes.optimizer.evaluations);
    },
  );
});
