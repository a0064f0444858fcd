/**
 * Chib's marginal likelihood (samplers/marginalLikelihood.ts) against references made in R
 * (test/fixtures/marginal/make.R), with the Stan fixtures' priors:
 * - exact values by quadrature for two random-intercept models (Dyestuff, sleepstudy): within 3 of
 *   our Monte Carlo SEs;
 * - bridgesampling on rstan draws for the random-slope sleepstudy model: within 3 √(our MCSE² +
 *   bridge's SE²) (bridge's SE from `error_measures`: √re2).
 * Also: the Bayes factor of the slope model over the intercept model against the references' difference;
 * the MCSE is honest (the same estimate under other seeds scatters by about it); errors.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gibbsSync } from "../../samplers/gibbs";
import { bayesFactor, type MarginalLikelihood, marginalLikelihood } from "../../samplers/marginalLikelihood";
import { parseCsv } from "../../src/data/csv";
import { lmm } from "../../src/model/lmm";
import type { PriorSpec } from "../../src/priors/types";
import { dataPath, FIXTURES, readJsonFixture } from "../helpers/fixtures";

interface Reference {
  exact: Record<string, { formula: string; log_ml: number; integrate_abs_error: number }>;
  bridge: Record<string, { formula: string; log_ml: number; se_log_ml: number }>;
}
const reference = JSON.parse(readFileSync(join(FIXTURES, "marginal", "reference.json"), "utf8")) as Reference;

const ITER = 5000;
function estimate(data: string, formula: string, fixture: string, seed: number): MarginalLikelihood {
  const priors = readJsonFixture<{ priors_cli: PriorSpec }>(`posterior/${fixture}_bayes.json`).priors_cli;
  const model = lmm(formula, parseCsv(readFileSync(dataPath(data), "utf8")));
  const post = gibbsSync(model, {
    iter: ITER,
    warmup: 1000,
    chains: 4,
    seed,
    priors,
    randomEffects: "draws",
  });
  return marginalLikelihood(model, post);
}

const cache = new Map<string, MarginalLikelihood>();
function cached(key: string, make: () => MarginalLikelihood): MarginalLikelihood {
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key)!;
}
const dyestuff = () =>
  cached("dyestuff", () => estimate("Dyestuff", "Yield ~ 1 + (1 | Batch)", "dyestuff", 21));
const sleepInt = () =>
  cached("sleep_int", () => estimate("sleepstudy", "Reaction ~ Days + (1 | Subject)", "sleep_int", 22));
const sleepSlope = () =>
  cached("sleep_slope", () =>
    estimate("sleepstudy", "Reaction ~ Days + (Days | Subject)", "sleep_slope", 23),
  );

describe("marginal likelihood (Chib 1995) against exact quadrature and bridge sampling", () => {
  for (const [name, get] of [
    ["dyestuff", dyestuff],
    ["sleep_int", sleepInt],
  ] as const)
    it(`${name}: exact by quadrature, within 3 MCSE`, () => {
      const ml = get();
      const exact = reference.exact[name]!;
      const z = (ml.logMarginalLikelihood - exact.log_ml) / ml.mcse;
      console.log(
        `${name}: ours ${ml.logMarginalLikelihood.toFixed(4)} ± ${ml.mcse.toFixed(4)}, exact ${exact.log_ml.toFixed(4)}, z = ${z.toFixed(2)}`,
      );
      expect(ml.formula).toBe(exact.formula);
      expect(ml.mcse).toBeGreaterThan(0);
      expect(ml.mcse).toBeLessThan(0.05);
      expect(Math.abs(z)).toBeLessThan(3);
    });

  it("sleep_slope (random slope): bridgesampling on Stan draws, within 3 combined SEs", () => {
    const ml = sleepSlope();
    const bridge = reference.bridge["sleep_slope"]!;
    const se = Math.hypot(ml.mcse, bridge.se_log_ml);
    const z = (ml.logMarginalLikelihood - bridge.log_ml) / se;
    console.log(
      `sleep_slope: ours ${ml.logMarginalLikelihood.toFixed(4)} ± ${ml.mcse.toFixed(4)}, bridge ${bridge.log_ml.toFixed(4)} ± ${bridge.se_log_ml.toFixed(4)}, z = ${z.toFixed(2)}`,
    );
    expect(Math.abs(z)).toBeLessThan(3);
  });

  it("Bayes factor of the random slope over the random intercept (sleepstudy)", () => {
    const bf = bayesFactor(sleepSlope(), sleepInt());
    const expected = reference.bridge["sleep_slope"]!.log_ml - reference.exact["sleep_int"]!.log_ml;
    const se = Math.hypot(bf.mcse, reference.bridge["sleep_slope"]!.se_log_ml);
    expect(Math.abs(bf.logBayesFactor - expected) / se).toBeLessThan(3);
    expect(bf.logBayesFactor).toBeGreaterThan(10); // decisive for the slope (Kass & Raftery: > log 150)
    expect(bf.bayesFactor).toBeCloseTo(Math.exp(bf.logBayesFactor), 6);
    expect(bf.formulas).toEqual(["Reaction ~ Days + (Days | Subject)", "Reaction ~ Days + (1 | Subject)"]);
  });

  it("the MCSE is honest: other seeds scatter by about it", () => {
    const model = lmm("Yield ~ 1 + (1 | Batch)", parseCsv(readFileSync(dataPath("Dyestuff"), "utf8")));
    const priors = readJsonFixture<{ priors_cli: PriorSpec }>("posterior/dyestuff_bayes.json").priors_cli;
    const estimates: number[] = [];
    const ses: number[] = [];
    for (let seed = 1; seed <= 8; seed++) {
      const post = gibbsSync(model, { iter: 1000, warmup: 300, chains: 4, seed: 100 + seed, priors });
      const ml = marginalLikelihood(model, post);
      estimates.push(ml.logMarginalLikelihood);
      ses.push(ml.mcse);
    }
    const mean = estimates.reduce((a, b) => a + b, 0) / estimates.length;
    const sd = Math.sqrt(estimates.reduce((a, b) => a + (b - mean) ** 2, 0) / (estimates.length - 1));
    const rms = Math.sqrt(ses.reduce((a, b) => a + b * b, 0) / ses.length);
    // 8 replicates: the sample sd is within a factor of ~2 of the truth with high probability.
    expect(sd / rms).toBeGreaterThan(0.35);
    expect(sd / rms).toBeLessThan(2.5);
    expect(Math.abs(mean - reference.exact["dyestuff"]!.log_ml)).toBeLessThan(
      4 * (rms / Math.sqrt(8)) + 0.01,
    );
  });

  it("crossed factors (Penicillin): the joint and by-factor reduced runs agree within their MCSEs", () => {
    const model = lmm(
      "diameter ~ 1 + (1 | plate) + (1 | sample)",
      parseCsv(readFileSync(dataPath("Penicillin"), "utf8")),
    );
    const priors = readJsonFixture<{ priors_cli: PriorSpec }>("posterior/penicillin_bayes.json").priors_cli;
    const [joint, byFactor] = (["joint", "by-factor"] as const).map((strategy) => {
      const post = gibbsSync(model, { iter: 4000, warmup: 500, chains: 4, seed: 31, priors, strategy });
      expect(post.settings.strategy).toBe(strategy);
      return marginalLikelihood(model, post);
    });
    const z =
      (joint!.logMarginalLikelihood - byFactor!.logMarginalLikelihood) /
      Math.hypot(joint!.mcse, byFactor!.mcse);
    expect(Math.abs(z)).toBeLessThan(4);
    expect(Object.keys(joint!.point.psi)).toEqual(["plate", "sample"]);
  });

  it("refuses a posterior of another model, one without random-effect draws, and a Bayes factor of other data", () => {
    const sleep = parseCsv(readFileSync(dataPath("sleepstudy"), "utf8"));
    const a = lmm("Reaction ~ Days + (1 | Subject)", sleep);
    const b = lmm("Reaction ~ 1 + (1 | Subject)", sleep);
    const post = gibbsSync(a, { iter: 50, warmup: 50, chains: 2 });
    expect(() => marginalLikelihood(b, post)).toThrow(/must be a posterior of this model/);
    const summary = gibbsSync(a, { iter: 50, warmup: 50, chains: 2, randomEffects: "summary" });
    expect(() => marginalLikelihood(a, summary)).toThrow(/randomEffects: "draws"/);
    expect(() => bayesFactor(dyestuff(), sleepInt())).toThrow(/same data/);
  });
});
