/**
 * The log-likelihood module against direct dense computations written here (no R): the integrated
 * likelihood log p(y | sigma2, Psi) against the n × n multivariate normal density
 * N(y; offset + X mu, X Sigma X' + Z D Z' + sigma2 I); the pointwise marginal and conditional forms
 * against dense MVN / univariate normal densities on a generated model with an offset, a q = 3 term,
 * a crossed factor and a nested one; the prior densities against their definitions.
 * Tolerance 1e-10 relative (the Woodbury/blocked forms and the dense Cholesky differ only in rounding).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv";
import type { Draws } from "../../src/draws/types";
import { integratedLikelihood, logIntegratedLikelihood } from "../../src/loglik/integrated";
import { logLikAtMean, logLikMatrix } from "../../src/loglik/pointwise";
import { defaultUnit, leaveOutUnit } from "../../src/loglik/unit";
import { lmm } from "../../src/model/lmm";
import type { LmmModel } from "../../src/model/types";
import { groupingFactors } from "../../src/priors/factors";
import { resolvePriors } from "../../src/priors/resolve";
import { Random } from "../../src/random/generator";
import {
  logInverseGammaDensity,
  logInverseWishartDensity,
  logMultivariateGamma,
} from "../../src/stats/densities";
import { logGamma, normalCdf } from "../../src/stats/distributions";
import { dataPath } from "../helpers/fixtures";

/** log N(y; mean, V) by a dense Cholesky (V overwritten). */
function denseLogNormal(y: Float64Array, mean: Float64Array, V: Float64Array): number {
  const n = y.length;
  let logdet = 0;
  for (let j = 0; j < n; j++) {
    let d = V[j * n + j]!;
    for (let k = 0; k < j; k++) d -= V[j * n + k]! ** 2;
    const l = Math.sqrt(d);
    V[j * n + j] = l;
    logdet += 2 * Math.log(l);
    for (let i = j + 1; i < n; i++) {
      let s = V[i * n + j]!;
      for (let k = 0; k < j; k++) s -= V[i * n + k]! * V[j * n + k]!;
      V[i * n + j] = s / l;
    }
  }
  const z = new Float64Array(n);
  let quad = 0;
  for (let i = 0; i < n; i++) {
    let s = y[i]! - mean[i]!;
    for (let k = 0; k < i; k++) s -= V[i * n + k]! * z[k]!;
    z[i] = s / V[i * n + i]!;
    quad += z[i]! ** 2;
  }
  return -0.5 * (n * Math.log(2 * Math.PI) + logdet + quad);
}

/** Dense Z_k D_k Z_k' contributions of the chosen factors (Psi per factor), into V (n × n). */
function addRandomCovariance(model: LmmModel, V: Float64Array, psi: readonly (Float64Array | null)[]): void {
  const n = model.n;
  groupingFactors(model).forEach((f, k) => {
    const P = psi[k];
    if (P === null || P === undefined) return;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        if (f.refs[i] !== f.refs[j]) continue;
        let v = 0;
        for (let a = 0; a < f.q; a++)
          for (let c = 0; c < f.q; c++)
            v += f.values[i * f.q + a]! * P[a * f.q + c]! * f.values[j * f.q + c]!;
        V[i * n + j]! += v;
      }
  });
}

function expectClose(actual: number, expected: number, what: string): void {
  const error = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
  if (!(error < 1e-10)) expect.fail(`${what}: ${actual} vs dense ${expected} (relative error ${error})`);
}

const read = (name: string) => parseCsv(readFileSync(dataPath(name), "utf8"));

describe("integrated likelihood log p(y | sigma2, Psi) against the dense n × n density", () => {
  const cases = [
    { data: "Dyestuff", formula: "Yield ~ 1 + (1 | Batch)", psi: [[[1800]]], sigma2: 2500 },
    {
      data: "sleepstudy",
      formula: "Reaction ~ Days + (Days | Subject)",
      psi: [
        [
          [600, 10],
          [10, 35],
        ],
      ],
      sigma2: 650,
    },
    {
      data: "sleepstudy",
      formula: "Reaction ~ Days + (Days || Subject)",
      psi: [
        [
          [600, 0],
          [0, 35],
        ],
      ],
      sigma2: 650,
    },
    {
      data: "Penicillin",
      formula: "diameter ~ 1 + (1 | plate) + (1 | sample)",
      psi: [[[0.7]], [[3.5]]],
      sigma2: 0.3,
    },
    { data: "Pastes", formula: "strength ~ 1 + (1 | batch/cask)", psi: [[[8]], [[1.6]]], sigma2: 0.7 },
  ];
  for (const c of cases)
    it(c.formula, () => {
      const model = lmm(c.formula, read(c.data));
      const priors = resolvePriors(model, {});
      const psi = c.psi.map((rows) => Float64Array.from(rows.flat()));
      const ours = logIntegratedLikelihood(integratedLikelihood(model, priors), c.sigma2, psi);
      const n = model.n;
      const p = model.p;
      const V = new Float64Array(n * n);
      const mean = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        V[i * n + i] = c.sigma2;
        for (let a = 0; a < p; a++) mean[i]! += model.X[i * p + a]! * priors.beta.mean[a]!;
        for (let j = 0; j < n; j++)
          for (let a = 0; a < p; a++)
            for (let b = 0; b < p; b++)
              V[i * n + j]! += model.X[i * p + a]! * priors.beta.cov[a * p + b]! * model.X[j * p + b]!;
      }
      addRandomCovariance(model, V, psi);
      expectClose(ours, denseLogNormal(model.y, mean, V), c.formula);
    });
});

/**
 * A generated model: y ~ x + offset(o) + (x + w | g) + (1 | h) + (1 | g:k), with h crossed with g
 * and g:k nested in g; 60 rows.
 */
function generatedModel(): LmmModel {
  const rng = Random.fromSeed(42);
  const rows: Record<string, number | string>[] = [];
  for (let i = 0; i < 60; i++) {
    const g = `g${i % 6}`;
    rows.push({
      y: 3 + rng.uniform() * 4,
      x: rng.uniform() * 2 - 1,
      w: rng.uniform(),
      o: rng.uniform() * 0.1,
      g,
      h: `h${Math.floor(rng.uniform() * 4)}`,
      k: `k${i % 2}`,
    });
  }
  return lmm("y ~ x + offset(o) + (x + w | g) + (1 | h) + (1 | g:k)", rows);
}

/** Random draws of every parameter of the model (S = 2 chains × 3 iterations). */
function randomDraws(model: LmmModel): Draws {
  const rng = Random.fromSeed(7);
  const names: string[] = [];
  const values: number[][] = [];
  const S = 6;
  const push = (name: string, f: (s: number) => number) => {
    names.push(name);
    values.push(Array.from({ length: S }, (_, s) => f(s)));
  };
  model.fixedNames.forEach((n) => {
    push(`beta[${n}]`, () => rng.uniform() * 2);
  });
  push("sigma2", () => 0.5 + rng.uniform());
  for (const f of groupingFactors(model)) {
    // Psi = A A' + I per draw, entries i ≤ j.
    const mats = Array.from({ length: S }, () => {
      const A = Array.from({ length: f.q * f.q }, () => rng.uniform() - 0.5);
      const P = new Float64Array(f.q * f.q);
      for (let i = 0; i < f.q; i++)
        for (let j = 0; j < f.q; j++) {
          let v = i === j ? 0.3 : 0;
          for (let t = 0; t < f.q; t++) v += A[i * f.q + t]! * A[j * f.q + t]!;
          P[i * f.q + j] = v;
        }
      return P;
    });
    for (let i = 0; i < f.q; i++)
      for (let j = i; j < f.q; j++)
        push(`Psi[${f.group}][${f.names[i]},${f.names[j]}]`, (s) => mats[s]![i * f.q + j]!);
    for (const level of f.levels)
      for (const name of f.names) push(`b[${f.group}][${level},${name}]`, () => rng.uniform() - 0.5);
  }
  return { parameters: names, chains: 2, iterations: 3, values: Float64Array.from(values.flat()) };
}

function drawValue(draws: Draws, name: string, s: number): number {
  const k = draws.parameters.indexOf(name);
  return draws.values[k * draws.chains * draws.iterations + s]!;
}

describe("pointwise log-likelihood against dense densities (generated model: q = 3, crossed, nested, offset)", () => {
  const model = generatedModel();
  const draws = randomDraws(model);
  const factors = groupingFactors(model);
  const S = 6;
  const conditionalMean = (i: number, s: number, skip: ReadonlySet<number>) => {
    let m = model.offset![i]!;
    model.fixedNames.forEach((n, t) => {
      m += model.X[i * model.p + t]! * drawValue(draws, `beta[${n}]`, s);
    });
    factors.forEach((f, k) => {
      if (skip.has(k)) return;
      f.names.forEach((n, a) => {
        m += f.values[i * f.q + a]! * drawValue(draws, `b[${f.group}][${f.levels[f.refs[i]!]},${n}]`, s);
      });
    });
    return m;
  };
  const psiAt = (k: number, s: number) => {
    const f = factors[k]!;
    const P = new Float64Array(f.q * f.q);
    for (let i = 0; i < f.q; i++)
      for (let j = 0; j < f.q; j++)
        P[i * f.q + j] = drawValue(
          draws,
          `Psi[${f.group}][${f.names[Math.min(i, j)]},${f.names[Math.max(i, j)]}]`,
          s,
        );
    return P;
  };

  it("crossed: no factor holds every other, so the default is the first (most levels); leaving out g conditions on h", () => {
    expect(defaultUnit(model)).toBe("g:k");
    const unit = leaveOutUnit(model, { by: "g" });
    expect(unit.integrated.map((k) => factors[k]!.group).sort()).toEqual(["g", "g:k"]);
    expect(unit.conditioned.map((k) => factors[k]!.group)).toEqual(["h"]);
    expect(unit.description).toContain("`h` (not nested in `g`) as drawn");
  });

  it("rows, conditional: log dnorm per row", () => {
    const ll = logLikMatrix(model, draws, { by: "rows" });
    for (let i = 0; i < model.n; i++)
      for (let s = 0; s < S; s++) {
        const s2 = drawValue(draws, "sigma2", s);
        const e = model.y[i]! - conditionalMean(i, s, new Set());
        expectClose(
          ll.values[i * S + s]!,
          -0.5 * (Math.log(2 * Math.PI * s2) + (e * e) / s2),
          `row ${i + 1}`,
        );
      }
  });

  for (const by of ["g", "h", "g:k"])
    it(`by ${by}, marginal: dense MVN of each level's rows`, () => {
      const ll = logLikMatrix(model, draws, { by });
      const unit = ll.unit;
      const integrated = new Set(unit.integrated);
      for (let s = 0; s < S; s++) {
        const n = model.n;
        const V = new Float64Array(n * n);
        for (let i = 0; i < n; i++) V[i * n + i] = drawValue(draws, "sigma2", s);
        addRandomCovariance(
          model,
          V,
          factors.map((_, k) => (integrated.has(k) ? psiAt(k, s) : null)),
        );
        for (let g = 0; g < unit.points; g++) {
          const rows = Array.from(unit.rows.subarray(unit.start[g]!, unit.start[g + 1]!));
          const sub = new Float64Array(rows.length * rows.length);
          rows.forEach((i, a) => {
            rows.forEach((j, b) => {
              sub[a * rows.length + b] = V[i * n + j]!;
            });
          });
          const y = Float64Array.from(rows, (i) => model.y[i]!);
          const mean = Float64Array.from(rows, (i) => conditionalMean(i, s, integrated));
          expectClose(
            ll.values[g * S + s]!,
            denseLogNormal(y, mean, sub),
            `${by} level ${g + 1} draw ${s + 1}`,
          );
        }
      }
    });

  it("by g, conditional: the sum of the rows' conditional log-likelihoods", () => {
    const rows = logLikMatrix(model, draws, { by: "rows" });
    const groups = logLikMatrix(model, draws, { by: "g", form: "conditional" });
    const f = factors.find((x) => x.group === "g")!;
    for (let s = 0; s < S; s++)
      for (let g = 0; g < f.m; g++) {
        let sum = 0;
        for (let i = 0; i < model.n; i++) if (f.refs[i] === g) sum += rows.values[i * S + s]!;
        expectClose(groups.values[g * S + s]!, sum, `level ${g + 1}`);
      }
  });

  it("logLikAtMean is the log-likelihood at the posterior means", () => {
    const at = logLikAtMean(model, draws, { by: "rows" });
    const means: Draws = {
      parameters: draws.parameters,
      chains: 1,
      iterations: 1,
      values: Float64Array.from(draws.parameters, (_, k) => {
        let m = 0;
        for (let s = 0; s < S; s++) m += draws.values[k * S + s]!;
        return m / S;
      }),
    };
    const ll = logLikMatrix(model, means, { by: "rows" });
    ll.values.forEach((v, i) => {
      expectClose(at.pointwise[i]!, v, `row ${i + 1}`);
    });
    expectClose(
      at.total,
      ll.values.reduce((a, b) => a + b, 0),
      "total",
    );
  });
});

describe("leave-out units refused with a clear error", () => {
  const model = lmm("Reaction ~ Days + (Days | Subject)", read("sleepstudy"));
  it("rows with the marginal form: rows of a group are not independent once b is integrated out", () => {
    expect(() => leaveOutUnit(model, { by: "rows", form: "marginal" })).toThrow(
      /no row-wise marginal log-likelihood.*by: "Subject"/,
    );
  });
  it("a unit that is not a grouping factor names the factors", () => {
    expect(() => leaveOutUnit(model, { by: "Days" })).toThrow(/grouping factor of the model \(`Subject`\)/);
  });
  it("conditioning on random effects the draws do not hold", () => {
    const draws: Draws = {
      parameters: ["beta[(Intercept)]", "beta[Days]", "sigma2"],
      chains: 1,
      iterations: 2,
      values: new Float64Array(6).fill(1),
    };
    expect(() => logLikMatrix(model, draws, { by: "rows" })).toThrow(/Psi|random effects of `Subject`/);
  });
});

describe("distribution functions", () => {
  it("normalCdf and logGamma at R's values", () => {
    // R 4.2.2: sprintf("%.17g", pnorm(c(-1.959963984540054, 0.3, -8, -37))), lgamma(c(0.5, 7.25, 1e-5, 123.4))
    const cdf: [number, number][] = [
      [-1.959963984540054, 0.025000000000000012],
      [0.3, 0.61791142218895267],
      [-8, 6.2209605742717849e-16],
      [-37, 5.7255712225245771e-300],
    ];
    for (const [z, r] of cdf) expect(Math.abs(normalCdf(z) / r - 1)).toBeLessThan(1e-13);
    const lg: [number, number][] = [
      [0.5, 0.57236494292470008],
      [7.25, 7.0521854507385395],
      [1e-5, 11.512919692895826],
      [123.4, 469.33609744219063],
    ];
    for (const [x, r] of lg) expect(Math.abs(logGamma(x) / r - 1)).toBeLessThan(1e-14);
  });
  it("inverse-gamma and inverse-Wishart log densities", () => {
    // InvGamma: e^a... by its definition; q = 1 inverse-Wishart is InvGamma(df/2, s/2).
    expect(logInverseGammaDensity(2, 3, 1.5)).toBeCloseTo(
      3 * Math.log(1.5) - logGamma(3) - 4 * Math.log(2) - 0.75,
      14,
    );
    const work = new Float64Array(8);
    expect(logInverseWishartDensity(1, Float64Array.of(2), 0, 4, Float64Array.of(3), 0, 1, work)).toBeCloseTo(
      logInverseGammaDensity(2, 2, 1.5),
      13,
    );
    // q = 2 against the formula written out: |S|^(ν/2) |Ψ|^-(ν+3)/2 exp(−tr(S Ψ⁻¹)/2) / (2^ν Γ_2(ν/2)).
    const psi = Float64Array.of(2, 0.5, 0.5, 1);
    const S = Float64Array.of(3, -0.2, -0.2, 0.8);
    const nu = 5;
    const detPsi = 2 - 0.25;
    const detS = 2.4 - 0.04;
    const inv = [1 / detPsi, -0.5 / detPsi, -0.5 / detPsi, 2 / detPsi];
    const trace = S[0]! * inv[0]! + 2 * S[1]! * inv[1]! + S[3]! * inv[3]!;
    const expected =
      (nu / 2) * Math.log(detS) -
      nu * Math.LN2 -
      logMultivariateGamma(nu / 2, 2) -
      ((nu + 3) / 2) * Math.log(detPsi) -
      trace / 2;
    expect(logInverseWishartDensity(2, psi, 0, nu, S, 0, 2, work)).toBeCloseTo(expected, 13);
    expect(logMultivariateGamma(2.5, 2)).toBeCloseTo(
      0.5 * Math.log(Math.PI) + logGamma(2.5) + logGamma(2),
      14,
    );
  });
});
