/**
 * lp, the log joint density per draw (diagnostics/log-density.ts), against a dense computation that
 * shares none of its code: determinants and inverses by ml-matrix, the multivariate gamma written
 * out for q = 2, the one-dimensional inverse-Wishart as the inverse-gamma it is; log Γ against R's
 * lgamma.
 */
import { readFileSync } from "node:fs";
import { determinant, inverse, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { logJointDensity } from "../../diagnostics/log-density";
import { gibbsSync } from "../../samplers/gibbs";
import { parseCsv } from "../../src/data/csv";
import { pooledDraws } from "../../src/draws/posterior";
import { lmm } from "../../src/model/lmm";
import { logGamma } from "../../src/stats/distributions";
import { dataPath } from "../helpers/fixtures";

const sleep = parseCsv(readFileSync(dataPath("sleepstudy"), "utf8"));

function logNormal(x: number[], mean: number[], cov: number[][]): number {
  const k = x.length;
  const C = new Matrix(cov);
  const d = Matrix.columnVector(x.map((v, i) => v - mean[i]!));
  const q = d.transpose().mmul(inverse(C)).mmul(d).get(0, 0);
  return -0.5 * (k * Math.log(2 * Math.PI) + Math.log(determinant(C)) + q);
}

function logInvGamma(s: number, a: number, b: number): number {
  return a * Math.log(b) - logGamma(a) - (a + 1) * Math.log(s) - b / s;
}

/** Inverse-Wishart, q = 2: log Γ_2(a) = log π / 2 + log Γ(a) + log Γ(a − 1/2). */
function logInvWishart2(psi: number[][], nu: number, S: number[][]): number {
  const P = new Matrix(psi);
  const Sm = new Matrix(S);
  const trace = Sm.mmul(inverse(P)).trace();
  const lg2 = Math.log(Math.PI) / 2 + logGamma(nu / 2) + logGamma(nu / 2 - 0.5);
  return (
    (nu / 2) * Math.log(determinant(Sm)) -
    nu * Math.log(2) -
    lg2 -
    ((nu + 3) / 2) * Math.log(determinant(P)) -
    trace / 2
  );
}

describe("logJointDensity", () => {
  it("log Γ is R's lgamma", () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5723649429247001, 14);
    expect(logGamma(10)).toBeCloseTo(12.801827480081469, 13);
  });

  for (const formula of ["Reaction ~ Days + (Days | Subject)", "Reaction ~ Days + (Days || Subject)"])
    it(`${formula}: every term of the joint density, computed densely`, () => {
      const model = lmm(formula, sleep);
      const post = gibbsSync(model, { iter: 30, warmup: 10, chains: 2, seed: 2 });
      const lp = logJointDensity(post);
      const pr = post.priors;
      const subjects = model.terms[0]!.levels;
      for (const d of [0, 17, 59]) {
        const at = (name: string) => pooledDraws(post, name)[d]!;
        const beta = model.fixedNames.map((n) => at(`beta[${n}]`));
        const s2 = at("sigma2");
        let expected = 0;
        for (let i = 0; i < model.n; i++) {
          const level = subjects[model.terms[0]!.refs[i]!]!;
          const days = model.X[i * 2 + 1]!;
          const mu =
            beta[0]! +
            beta[1]! * days +
            at(`b[Subject][${level},(Intercept)]`) +
            days * at(`b[Subject][${level},Days]`);
          expected += -0.5 * Math.log(2 * Math.PI * s2) - (model.y[i]! - mu) ** 2 / (2 * s2);
        }
        const cov = [0, 1].map((i) => [0, 1].map((j) => pr.beta.cov[i * 2 + j]!));
        expected += logNormal(beta, Array.from(pr.beta.mean), cov);
        expected += logInvGamma(s2, pr.sigma2.shape, pr.sigma2.scale);
        const psiPrior = pr.psi[0]!;
        const S = [0, 1].map((i) => [0, 1].map((j) => psiPrior.scale[i * 2 + j]!));
        const b = (level: string) => [
          at(`b[Subject][${level},(Intercept)]`),
          at(`b[Subject][${level},Days]`),
        ];
        if (formula.includes("||")) {
          const v = [at("Psi[Subject][(Intercept),(Intercept)]"), at("Psi[Subject][Days,Days]")];
          for (const level of subjects)
            b(level).forEach((x, c) => {
              expected += logNormal([x], [0], [[v[c]!]]);
            });
          // A 1 × 1 inverse-Wishart block is InvGamma(df/2, scale/2).
          v.forEach((x, c) => {
            expected += logInvGamma(x, psiPrior.df / 2, S[c]![c]! / 2);
          });
        } else {
          const psi = [
            [at("Psi[Subject][(Intercept),(Intercept)]"), at("Psi[Subject][(Intercept),Days]")],
            [at("Psi[Subject][(Intercept),Days]"), at("Psi[Subject][Days,Days]")],
          ];
          for (const level of subjects) expected += logNormal(b(level), [0, 0], psi);
          expected += logInvWishart2(psi, psiPrior.df, S);
        }
        expect(Math.abs(lp[d]! - expected) / Math.abs(expected)).toBeLessThan(1e-10);
      }
    });

  // Residual models (issue 15): row i's variance is sigma2 / w_i with precision weights, and the
  // variance of its level with varIdent, whose further levels have sigma2's prior each.
  const base = lmm("Reaction ~ Days + (1 | Subject)", sleep);
  const weighted = Array.from({ length: base.n }, (_, i) => ({
    Reaction: base.y[i]!,
    Days: base.X[i * 2 + 1]!,
    Subject: base.terms[0]!.levels[base.terms[0]!.refs[i]!]!,
    w: 0.5 + (i % 5) * 0.4,
    half: i % 2 === 0 ? "even" : "odd",
  }));
  for (const [what, options] of [
    ["precision weights", { weights: "w" }],
    ["varIdent by a two-level factor", { varIdent: "half" }],
  ] as const)
    it(`${what}: the data term uses each row's variance; each residual variance has its prior`, () => {
      const model = lmm("Reaction ~ Days + (1 | Subject)", weighted, options);
      const post = gibbsSync(model, { iter: 30, warmup: 10, chains: 2, seed: 4 });
      const lp = logJointDensity(post);
      const pr = post.priors;
      const subjects = model.terms[0]!.levels;
      for (const d of [0, 23, 59]) {
        const at = (name: string) => pooledDraws(post, name)[d]!;
        const beta = model.fixedNames.map((n) => at(`beta[${n}]`));
        const variances = "varIdent" in options ? [at("sigma2"), at("sigma2[half][odd]")] : [at("sigma2")];
        let expected = 0;
        for (let i = 0; i < model.n; i++) {
          const row = weighted[model.rows[i]!]!;
          const level = subjects[model.terms[0]!.refs[i]!]!;
          const mu = beta[0]! + beta[1]! * model.X[i * 2 + 1]! + at(`b[Subject][${level},(Intercept)]`);
          const v = "varIdent" in options ? variances[row.half === "even" ? 0 : 1]! : variances[0]! / row.w;
          expected += -0.5 * Math.log(2 * Math.PI * v) - (model.y[i]! - mu) ** 2 / (2 * v);
        }
        const cov = [0, 1].map((i) => [0, 1].map((j) => pr.beta.cov[i * 2 + j]!));
        expected += logNormal(beta, Array.from(pr.beta.mean), cov);
        for (const s2 of variances) expected += logInvGamma(s2, pr.sigma2.shape, pr.sigma2.scale);
        const psi = at("Psi[Subject][(Intercept),(Intercept)]");
        for (const level of subjects)
          expected += logNormal([at(`b[Subject][${level},(Intercept)]`)], [0], [[psi]]);
        const psiPrior = pr.psi[0]!;
        expected += logInvGamma(psi, psiPrior.df / 2, psiPrior.scale[0]! / 2);
        expect(Math.abs(lp[d]! - expected) / Math.abs(expected)).toBeLessThan(1e-10);
      }
    });

  it("needs the random effects' draws", () => {
    const model = lmm("Reaction ~ Days + (1 | Subject)", sleep);
    const post = gibbsSync(model, { iter: 20, warmup: 10, chains: 1, randomEffects: "summary" });
    expect(() => logJointDensity(post)).toThrow(/randomEffects/);
  });
});
