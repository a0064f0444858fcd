/**
 * Prediction and simulation under the residual models of issue 15 (precision weights, varIdent):
 * each row's residual sd is sigma delta_{level} / sqrt(w_i) in `simulate`, Pearson residuals,
 * prediction intervals, `posteriorPredict` and `bayesR2`.
 *
 * References: lme4's `residuals(fit, type = "pearson")` and `simulate()` on a weighted sleepstudy, and
 * nlme's `residuals(fit, type = "pearson")` on Orthodont with varIdent(~ 1 | Sex)
 * (test/fixtures/predict-residual/make.R). Monte Carlo checks: a per-row variance V of N draws has
 * standard error about V sqrt(2 / N); bounds are 5 of those (seeds fixed, so deterministic).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { csvParse } from "d3-dsv";
import { describe, expect, it } from "vitest";
import { bayesR2 } from "../../diagnostics/bayes-r2";
import { modelCheckSection } from "../../diagnostics/report/model-check";
import { gibbsSync } from "../../samplers/gibbs";
import { parseCsv } from "../../src/data/csv";
import { DataError } from "../../src/errors";
import { lmm } from "../../src/model/lmm";
import { bootstrap } from "../../src/predict/bootstrap";
import { posteriorEpred, posteriorPredict } from "../../src/predict/posterior";
import { predict } from "../../src/predict/predict";
import { fitResidualScale } from "../../src/predict/residual-scale";
import { remlResiduals } from "../../src/predict/residuals";
import { simulate } from "../../src/predict/simulate";
import { fitLmm } from "../../src/reml/fit";
import type { RemlFit } from "../../src/reml/types";
import { dataPath, FIXTURES, readJsonFixture } from "../helpers/fixtures";

interface WeightsRef {
  sigma: number;
  pearson: number[];
  pearson_scaled: number[];
  response: number[];
  simulate_nsim: number;
  simulate_mean: number[];
  simulate_var: number[];
}
interface VarIdentRef {
  sigma: number;
  delta: Record<string, number>;
  pearson: number[];
  response: number[];
}

function columns(file: string): Record<string, unknown[]> {
  const rows = csvParse(readFileSync(join(FIXTURES, "weights", file), "utf8"));
  return Object.fromEntries(
    rows.columns.map((c) => {
      const v = rows.map((r) => r[c]!);
      return [c, v.every((x) => x !== "" && Number.isFinite(Number(x))) ? v.map(Number) : v];
    }),
  );
}

const sleepW = columns("sleep_slope_w.csv");
const weightsModel = lmm("Reaction ~ Days + (Days | Subject)", sleepW, { weights: "w" });
const weightsFit = fitLmm(weightsModel);
const wRef = readJsonFixture<WeightsRef>("predict-residual/sleep_weights.json");

const orthodont = parseCsv(readFileSync(dataPath("Orthodont"), "utf8"));
const viModel = lmm("distance ~ age + (1 | Subject)", orthodont, { varIdent: "Sex" });
const viFit = fitLmm(viModel);
const viRef = readJsonFixture<VarIdentRef>("predict-residual/orthodont_varident.json");

/** Marginal variance of row i under re "none": sigma² f_i² + z_i' Psi z_i (one term). */
function marginalVariance(fit: RemlFit, i: number): number {
  const t = fit.model.terms[0]!;
  const psi = t.names.map(() => t.names.map(() => 0));
  for (const r of fit.varcorr) {
    if (r.grp !== t.label) continue;
    const a = t.names.indexOf(r.var1!);
    const b = r.var2 === null ? a : t.names.indexOf(r.var2);
    psi[a]![b] = r.vcov;
    psi[b]![a] = r.vcov;
  }
  let v = 0;
  for (let a = 0; a < t.q; a++)
    for (let b = 0; b < t.q; b++) v += t.values[i * t.q + a]! * psi[a]![b]! * t.values[i * t.q + b]!;
  const f = fitResidualScale(fit)![i]!;
  return v + fit.sigma ** 2 * f * f;
}

/** Per-row mean and variance (n − 1) of a list of responses. */
function rowMoments(ys: Float64Array[]): { mean: Float64Array; variance: Float64Array } {
  const n = ys[0]!.length;
  const N = ys.length;
  const mean = new Float64Array(n);
  const variance = new Float64Array(n);
  for (const y of ys) for (let i = 0; i < n; i++) mean[i]! += y[i]! / N;
  for (const y of ys) for (let i = 0; i < n; i++) variance[i]! += (y[i]! - mean[i]!) ** 2 / (N - 1);
  return { mean, variance };
}

describe("the residual sd factor of each row", () => {
  it("is 1 / sqrt(w) with weights and delta of the level with varIdent", () => {
    const f = fitResidualScale(weightsFit)!;
    weightsModel.weights!.forEach((w, i) => {
      expect(f[i]).toBeCloseTo(1 / Math.sqrt(w), 14);
    });
    const g = fitResidualScale(viFit)!;
    viModel.varIdent!.refs.forEach((l, i) => {
      expect(g[i]).toBe(viFit.varIdent!.delta[l]);
    });
    expect(viFit.varIdent!.delta[1]).toBeCloseTo(viRef.delta["Male"]!, 3);
    expect(fitResidualScale(fitLmm(lmm("Reaction ~ Days + (Days | Subject)", sleepW)))).toBeNull();
  });
});

describe("Pearson residuals", () => {
  /** Ours against R's: values to 1e-5 of the largest (how closely the two fits agree), and the
   * definition, each row's Pearson residual over its response residual, to 1e-6 relative. */
  function expectResiduals(
    response: Float64Array,
    pearson: Float64Array,
    refResponse: number[],
    refPearson: number[],
  ): void {
    const big = Math.max(...refResponse.map(Math.abs));
    const bigP = Math.max(...refPearson.map(Math.abs));
    refResponse.forEach((v, i) => {
      expect(Math.abs(response[i]! - v) / big).toBeLessThan(1e-5);
    });
    refPearson.forEach((v, i) => {
      expect(Math.abs(pearson[i]! - v) / bigP).toBeLessThan(1e-5);
    });
    refPearson.forEach((v, i) => {
      if (Math.abs(refResponse[i]!) < 1e-3 * big) return;
      const ours = pearson[i]! / response[i]!;
      const theirs = v / refResponse[i]!;
      expect(Math.abs(ours - theirs) / Math.abs(theirs)).toBeLessThan(1e-6);
    });
  }

  it("are lme4's sqrt(w) (y - fitted) for a weights fit (and / sigma scaled)", () => {
    const r = remlResiduals(weightsFit, { type: "response" });
    const p = remlResiduals(weightsFit, { type: "pearson" });
    const ps = remlResiduals(weightsFit, { type: "pearson", scaled: true });
    expectResiduals(r, p, wRef.response, wRef.pearson);
    expectResiduals(r, ps, wRef.response, wRef.pearson_scaled);
    // Not the response residuals (the weights matter).
    expect(Math.abs(p[9]! - r[9]!)).toBeGreaterThan(1);
  });

  it("are nlme's (y - fitted) / (sigma delta) for a varIdent fit (scaled)", () => {
    const r = remlResiduals(viFit);
    const ps = remlResiduals(viFit, { type: "pearson", scaled: true });
    const p = remlResiduals(viFit, { type: "pearson" });
    expectResiduals(r, ps, viRef.response, viRef.pearson);
    // Unscaled: the residual over delta alone.
    p.forEach((v, i) => {
      expect(v).toBeCloseTo(ps[i]! * viFit.sigma, 12);
    });
    const male = viModel.varIdent!.refs.indexOf(1);
    expect(Math.abs(p[male]! - r[male]!)).toBeGreaterThan(1e-3);
  });
});

describe("simulate adds noise sigma f_i", () => {
  const N = 10_000;
  it("weights: each row's variance is sigma²/w_i + z'Psi z (lme4 1.1-31's simulate() ignores weights)", () => {
    const ys = simulate(weightsFit, { nsim: N, seed: 3 });
    const { mean, variance } = rowMoments(ys);
    const s2 = weightsFit.sigma ** 2;
    for (let i = 0; i < weightsModel.n; i++) {
      const V = marginalVariance(weightsFit, i);
      expect(Math.abs(variance[i]! - V) / (V * Math.sqrt(2 / N))).toBeLessThan(5);
      // lme4's 10,000 simulations have our mean, and the variance of noise sigma e with no weights:
      // sigma² + z'Psi z (that is lme4 1.1-31's simulate.merMod; the model's own noise is sigma²/w).
      const wi = weightsModel.weights![i]!;
      const unweighted = V - s2 / wi + s2;
      expect(Math.abs(wRef.simulate_var[i]! - unweighted) / (unweighted * Math.sqrt(2 / N))).toBeLessThan(5);
      expect(Math.abs(mean[i]! - wRef.simulate_mean[i]!) / Math.sqrt((V + unweighted) / N)).toBeLessThan(5);
    }
    // The weights matter: day 9 (w = 1/4) varies by 3 sigma² more than with w = 1.
    expect(variance[9]! - wRef.simulate_var[9]!).toBeGreaterThan(2 * s2);
  });

  it("varIdent: each row's variance is sigma² delta² + Psi", () => {
    const ys = simulate(viFit, { nsim: N, seed: 4 });
    const { variance } = rowMoments(ys);
    for (let i = 0; i < viModel.n; i++) {
      const V = marginalVariance(viFit, i);
      expect(Math.abs(variance[i]! - V) / (V * Math.sqrt(2 / N))).toBeLessThan(5);
    }
    // Held random effects: the variance is the residual one alone, sigma² delta².
    const held = rowMoments(simulate(viFit, { nsim: N, seed: 5, re: "all" })).variance;
    viModel.varIdent!.refs.forEach((l, i) => {
      const V = (viFit.sigma * viFit.varIdent!.delta[l]!) ** 2;
      expect(Math.abs(held[i]! - V) / (V * Math.sqrt(2 / N))).toBeLessThan(5);
    });
  });
});

describe("bootstrap refits responses with the weighted noise", () => {
  it("weights: the refits' sigma is centred on the fit's (unweighted noise would shrink it by about 0.7)", () => {
    const boot = bootstrap(weightsFit, { nsim: 40, seed: 8 });
    const k = boot.names.indexOf(".sigma");
    const sigmas = boot.t.map((row) => row[k]!);
    const mean = sigmas.reduce((a, b) => a + b, 0) / sigmas.length;
    const sd = Math.sqrt(sigmas.reduce((a, b) => a + (b - mean) ** 2, 0) / (sigmas.length - 1));
    expect(boot.failures).toBe(0);
    expect(Math.abs(mean - weightsFit.sigma) / (sd / Math.sqrt(sigmas.length))).toBeLessThan(4);
  });
});

describe("prediction intervals add each row's residual variance", () => {
  it("weights: sigma²/w_i on the training rows, sigma² (weight 1) on new rows", () => {
    const conf = predict(weightsFit, { interval: "confidence" });
    const pred = predict(weightsFit, { interval: "prediction" });
    weightsModel.weights!.forEach((w, i) => {
      expect(pred.se![i]! ** 2 - conf.se![i]! ** 2).toBeCloseTo(weightsFit.sigma ** 2 / w, 6);
    });
    const newdata = [{ Days: 9, Subject: "308", w: 0.25 }];
    const c = predict(weightsFit, { newdata, interval: "confidence" });
    const p = predict(weightsFit, { newdata, interval: "prediction" });
    expect(p.se![0]! ** 2 - c.se![0]! ** 2).toBeCloseTo(weightsFit.sigma ** 2, 6);
  });

  it("varIdent: sigma² delta² of the row's level, read from new data's column", () => {
    const conf = predict(viFit, { interval: "confidence" });
    const pred = predict(viFit, { interval: "prediction" });
    viModel.varIdent!.refs.forEach((l, i) => {
      expect(pred.se![i]! ** 2 - conf.se![i]! ** 2).toBeCloseTo(
        (viFit.sigma * viFit.varIdent!.delta[l]!) ** 2,
        6,
      );
    });
    // The confidence interval is that of the weighted system at the fit's ratios: a boy's and a
    // girl's predictions at the same age and subject differ in se only through the residual.
    const newdata = [
      { age: 10, Subject: "M01", Sex: "Male" },
      { age: 10, Subject: "M01", Sex: "Female" },
    ];
    const c = predict(viFit, { newdata, interval: "confidence" });
    const p = predict(viFit, { newdata, interval: "prediction" });
    expect(c.se![0]).toBeCloseTo(c.se![1]!, 12);
    expect(p.se![0]! ** 2 - c.se![0]! ** 2).toBeCloseTo((viFit.sigma * viFit.varIdent!.delta[1]!) ** 2, 6);
    expect(p.se![1]! ** 2 - c.se![1]! ** 2).toBeCloseTo(viFit.sigma ** 2, 6);
    // At the population level (re "none") the confidence se at age 0 is the intercept's standard
    // error, the fit's own and nlme's (the system is the one weighted by 1 / delta²).
    const nlme = readJsonFixture<{ se: Record<string, number> }>("varident/orthodont_reml.json");
    const pop = predict(viFit, { newdata: [{ age: 0, Subject: "M01" }], re: "none", interval: "confidence" });
    expect(pop.se![0]).toBeCloseTo(viFit.se[0]!, 8);
    expect(Math.abs(pop.se![0]! - nlme.se["(Intercept)"]!) / nlme.se["(Intercept)"]!).toBeLessThan(1e-3);
    // The confidence se of a training row equals the training prediction's.
    expect(conf.se![0]).toBeCloseTo(
      predict(viFit, { newdata: [{ age: 8, Subject: "M01", Sex: "Male" }], interval: "confidence" }).se![0]!,
      10,
    );
  });

  it("a new varIdent level, or no varIdent column, is a DataError naming the column and row", () => {
    const bad = [
      { age: 10, Subject: "M01", Sex: "Male" },
      { age: 10, Subject: "M01", Sex: "Other" },
    ];
    expect(() => predict(viFit, { newdata: bad, interval: "prediction" })).toThrow(DataError);
    expect(() => predict(viFit, { newdata: bad, interval: "prediction" })).toThrow(/`Sex`.*`Other` in row 2/);
    expect(() => predict(viFit, { newdata: [{ age: 10, Subject: "M01" }], interval: "prediction" })).toThrow(
      /varIdent column `Sex`/,
    );
    // A point prediction or confidence interval needs no level.
    expect(
      predict(viFit, { newdata: [{ age: 10, Subject: "M01" }], interval: "confidence" }).fit,
    ).toHaveLength(1);
  });
});

describe("posteriorPredict adds each row's residual variance per draw", () => {
  const D = 4000;
  /** Per row: var of y_rep over draws against mean_d s²_d,i + var_d mu_d,i, from the same draws. */
  function checkRows(post: ReturnType<typeof gibbsSync>, s2: (d: number, i: number) => number, options = {}) {
    const yrep = posteriorPredict(post, { seed: 11, ...options });
    const mu = posteriorEpred(post, options);
    const n = yrep.n;
    const draws = yrep.chains * yrep.iterations;
    expect(draws).toBe(D);
    for (let i = 0; i < n; i++) {
      let m = 0;
      let mm = 0;
      let e = 0;
      for (let d = 0; d < draws; d++) {
        m += yrep.values[d * n + i]!;
        mm += mu.values[d * n + i]!;
        e += s2(d, i);
      }
      m /= draws;
      mm /= draws;
      e /= draws;
      let v = 0;
      let vm = 0;
      for (let d = 0; d < draws; d++) {
        v += (yrep.values[d * n + i]! - m) ** 2;
        vm += (mu.values[d * n + i]! - mm) ** 2;
      }
      v /= draws - 1;
      vm /= draws - 1;
      const V = e + vm;
      expect(Math.abs(v - V) / (V * Math.sqrt(2 / draws))).toBeLessThan(5);
    }
    return yrep;
  }

  it("weights: E[sigma2_d / w_i] + var(mu_i) on the training rows", () => {
    const post = gibbsSync(weightsModel, {
      iter: 2000,
      warmup: 300,
      chains: 2,
      seed: 21,
      randomEffects: "draws",
    });
    const k = post.parameters.indexOf("sigma2");
    const w = weightsModel.weights!;
    checkRows(post, (d, i) => post.values[k * D + d]! / w[i]!);
    // The report's model check says which residual variance its R² uses, and shows bayesR2's.
    const section = modelCheckSection(post);
    expect(section.html).toContain("mean over the rows of each row's residual variance");
    // bayesR2 "model" uses the mean over rows of sigma2_d / w_i.
    const r2 = bayesR2(post);
    const mu = posteriorEpred(post);
    const n = mu.n;
    const meanInvW = w.reduce((a, b) => a + 1 / b, 0) / n;
    for (const d of [0, 1234, D - 1]) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += mu.values[d * n + i]! / n;
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (mu.values[d * n + i]! - mean) ** 2;
      const fitVar = ss / (n - 1);
      const res = post.values[k * D + d]! * meanInvW;
      expect(r2.draws.values[d]).toBeCloseTo(fitVar / (fitVar + res), 10);
    }
  });

  it("varIdent: E[sigma2_{level,d}] + var(mu_i), training rows and new rows by their level", () => {
    const post = gibbsSync(viModel, { iter: 2000, warmup: 300, chains: 2, seed: 22, randomEffects: "draws" });
    const k0 = post.parameters.indexOf("sigma2");
    const k1 = post.parameters.indexOf("sigma2[Sex][Male]");
    expect(k1).toBeGreaterThan(0);
    const refs = viModel.varIdent!.refs;
    checkRows(post, (d, i) => post.values[(refs[i] === 0 ? k0 : k1) * D + d]!);
    const newdata = [
      { age: 10, Subject: "F01", Sex: "Female" },
      { age: 10, Subject: "F01", Sex: "Male" },
    ];
    checkRows(post, (d, i) => post.values[(i === 0 ? k0 : k1) * D + d]!, { newdata });
    expect(() => posteriorPredict(post, { newdata: [{ age: 10, Subject: "F01", Sex: "X" }] })).toThrow(
      /`Sex`.*row 1/,
    );
  });
});
