/**
 * The pointwise log-likelihood with precision weights (issue 15): row i's residual variance is
 * sigma2 / w_i, by rows (conditional) and by group (marginal: a dense MVN of the group's rows with
 * covariance Z Psi Z' + sigma2 W^{-1}).
 */
import { describe, expect, it } from "vitest";
import type { Draws } from "../../src/draws/types";
import { logLikMatrix } from "../../src/loglik/pointwise";
import { lmm } from "../../src/model/lmm";
import { Random } from "../../src/random/generator";

function denseLogNormal(y: number[], mean: number[], V: number[][]): number {
  const n = y.length;
  const L = V.map((r) => [...r]);
  let logdet = 0;
  for (let j = 0; j < n; j++) {
    let d = L[j]![j]!;
    for (let k = 0; k < j; k++) d -= L[j]![k]! ** 2;
    L[j]![j] = Math.sqrt(d);
    logdet += Math.log(d);
    for (let i = j + 1; i < n; i++) {
      let s = L[i]![j]!;
      for (let k = 0; k < j; k++) s -= L[i]![k]! * L[j]![k]!;
      L[i]![j] = s / L[j]![j]!;
    }
  }
  let quad = 0;
  const z: number[] = [];
  for (let i = 0; i < n; i++) {
    let s = y[i]! - mean[i]!;
    for (let k = 0; k < i; k++) s -= L[i]![k]! * z[k]!;
    z.push(s / L[i]![i]!);
    quad += z[i]! ** 2;
  }
  return -0.5 * (n * Math.log(2 * Math.PI) + logdet + quad);
}

describe("pointwise log-likelihood with precision weights", () => {
  const rng = Random.fromSeed(5);
  const rows = Array.from({ length: 24 }, (_, i) => ({
    y: rng.uniform() * 3,
    x: rng.uniform(),
    w: 0.2 + rng.uniform() * 3,
    g: `g${i % 4}`,
  }));
  const model = lmm("y ~ x + (1 | g)", rows, { weights: "w" });
  const beta = [0.4, -0.3];
  const sigma2 = 0.7;
  const psi = 0.9;
  const b = [0.1, -0.2, 0.3, 0.05];
  const draws: Draws = {
    parameters: [
      "beta[(Intercept)]",
      "beta[x]",
      "sigma2",
      "Psi[g][(Intercept),(Intercept)]",
      ...model.terms[0]!.levels.map((l) => `b[g][${l},(Intercept)]`),
    ],
    chains: 1,
    iterations: 1,
    values: Float64Array.from([...beta, sigma2, psi, ...b]),
  };
  const fixed = (i: number) => beta[0]! + beta[1]! * model.X[i * 2 + 1]!;
  const level = (i: number) => model.terms[0]!.refs[i]!;

  it("rows: log N(y_i; mu_i, sigma2 / w_i)", () => {
    const ll = logLikMatrix(model, draws, { by: "rows" });
    for (let i = 0; i < model.n; i++) {
      const v = sigma2 / rows[i]!.w;
      const e = model.y[i]! - fixed(i) - b[level(i)]!;
      expect(ll.values[i]!).toBeCloseTo(-0.5 * (Math.log(2 * Math.PI * v) + (e * e) / v), 10);
    }
  });

  it("by g, marginal: dense N(X beta, psi 11' + sigma2 W^{-1}) of each group's rows", () => {
    const ll = logLikMatrix(model, draws, { by: "g" });
    for (let g = 0; g < 4; g++) {
      const idx = Array.from({ length: model.n }, (_, i) => i).filter((i) => level(i) === g);
      const V = idx.map((i) => idx.map((j) => psi + (i === j ? sigma2 / rows[i]!.w : 0)));
      const expected = denseLogNormal(
        idx.map((i) => model.y[i]!),
        idx.map(fixed),
        V,
      );
      const at = ll.unit.labels.indexOf(model.terms[0]!.levels[g]!);
      expect(ll.values[at]!).toBeCloseTo(expected, 10);
    }
  });
});
