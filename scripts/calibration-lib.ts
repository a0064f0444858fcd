/**
 * Checks of the Gibbs sampler itself (issue 4, done-when 2), on small simulated designs:
 *
 * 1. Simulation-based calibration (Talts, Betancourt, Simpson, Vehtari & Gelman 2018,
 *    arXiv:1804.06788): R times, draw theta from the prior, y from the model given theta, run one
 *    chain on y and record the rank of each true parameter among L = 99 thinned posterior draws. If
 *    the sampler draws from the posterior, every rank is uniform on 0..99: a chi-square test on 10
 *    bins of 10 ranks, p > 0.001 for every parameter (beta, sigma2, Psi and each random effect; for a
 *    factor with more than 50 effects, its first two).
 * 2. The Geweke (2004) joint distribution test: the prior moments of test functions g(theta, y)
 *    (marginal-conditional simulator: theta from the prior, y given theta) against the same moments
 *    from the successive-conditional simulator (one Gibbs sweep given y, then a new y given theta,
 *    repeated): z-scores with batch-means standard errors, p > 0.001 for every function.
 *
 * Designs: A — one grouping factor with q = 2 (random intercept and slope, 12 groups × 6 rows);
 * B — two crossed factors (8 × 6 levels, 2 rows per cell), run with both location strategies (joint
 * and by-factor); C — a large factor (120 levels) crossed with a small one (5), by-factor, where the
 * small factor rides in the large one's block. `withWeights` gives a design precision weights (the
 * residual model "weights", issue 15): A and B are run with them too, and with `withVarIdent` and
 * `withAr1` (AR(1) residuals within each cell, chains out of row order with gaps). Prior draws use src/random's inverse-Wishart and multivariate normal, an
 * implementation apart from the sampler's own Bartlett draws.
 *
 * Run by scripts/calibration.ts (and, shorter, by test/samplers/calibration.test.ts).
 *
 * References: Talts et al. (2018) arXiv:1804.06788; Geweke (2004) Getting it right: joint distribution
 * tests of posterior simulators, JASA 99(467):799-804, doi:10.1198/016214504000001132.
 */
import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { createChainRunner } from "../samplers/chain";
import { compileModel, type StrategyOption } from "../samplers/compile";
import { parameterLayout } from "../samplers/layout";
import { withResponse } from "../samplers/response";
import { allocateState, initializeState } from "../samplers/state";
import { sweep } from "../samplers/sweep";
import type { SamplerModel } from "../samplers/types";
import type { LmmModel, RandomEffectsTerm } from "../src/model/types";
import { resolvePriors } from "../src/priors/resolve";
import type { PriorSpec, Priors } from "../src/priors/types";
import { beta as betaDraw, inverseGamma } from "../src/random/gamma";
import { Random } from "../src/random/generator";
import { mvnormCovariance } from "../src/random/multivariateNormal";
import { normal } from "../src/random/normal";
import { inverseWishart } from "../src/random/wishart";

// ---------------------------------------------------------------------------------------------------
// Designs and priors

export interface Design {
  readonly name: string;
  readonly model: LmmModel;
  readonly priors: PriorSpec;
}

function term(
  group: string,
  levels: number,
  refs: number[],
  names: string[],
  values: number[],
): RandomEffectsTerm {
  return {
    group,
    label: group,
    levels: Array.from({ length: levels }, (_, j) => `${group}${j + 1}`),
    refs: Int32Array.from(refs),
    names,
    q: names.length,
    m: levels,
    values: Float64Array.from(values),
  };
}

function baseModel(
  formula: string,
  X: number[],
  p: number,
  names: string[],
  terms: RandomEffectsTerm[],
): LmmModel {
  const n = X.length / p;
  return {
    formula,
    response: "y",
    n,
    p,
    y: new Float64Array(n),
    X: Float64Array.from(X),
    fixedNames: names,
    offset: null,
    terms,
    dropped: 0,
    rows: Int32Array.from({ length: n }, (_, i) => i),
    aliased: [],
    warnings: [],
  };
}

/** A: y ~ x + (x | g), 12 groups × 6 rows, x = 0, 0.2, ..., 1. */
export function designA(): Design {
  const X: number[] = [];
  const refs: number[] = [];
  const z: number[] = [];
  for (let j = 0; j < 12; j++)
    for (let t = 0; t < 6; t++) {
      const x = t / 5;
      X.push(1, x);
      refs.push(j);
      z.push(1, x);
    }
  const model = baseModel(
    "y ~ x + (x | g)",
    X,
    2,
    ["(Intercept)", "x"],
    [term("g", 12, refs, ["(Intercept)", "x"], z)],
  );
  return {
    name: "A: y ~ x + (x | g), 12 groups × 6",
    model,
    priors: {
      beta: { mean: [0, 0], cov: 1 },
      sigma2: { shape: 6, scale: 5 },
      psi: {
        g: {
          df: 10,
          scale: [
            [7, 2],
            [2, 3.5],
          ],
        },
      },
    },
  };
}

/** B: y ~ 1 + (1 | a) + (1 | b), a × b = 8 × 6 crossed, 2 rows per cell. */
export function designB(): Design {
  const X: number[] = [];
  const ra: number[] = [];
  const rb: number[] = [];
  const ones: number[] = [];
  for (let a = 0; a < 8; a++)
    for (let b = 0; b < 6; b++)
      for (let r = 0; r < 2; r++) {
        X.push(1);
        ra.push(a);
        rb.push(b);
        ones.push(1);
      }
  const model = baseModel(
    "y ~ 1 + (1 | a) + (1 | b)",
    X,
    1,
    ["(Intercept)"],
    [term("a", 8, ra, ["(Intercept)"], ones), term("b", 6, rb, ["(Intercept)"], ones)],
  );
  return {
    name: "B: y ~ 1 + (1 | a) + (1 | b), 8 × 6 crossed × 2",
    model,
    priors: {
      beta: { mean: [0], cov: 1 },
      sigma2: { shape: 6, scale: 5 },
      psi: { a: { df: 10, scale: 8 }, b: { df: 10, scale: 8 } },
    },
  };
}

/**
 * C: y ~ 1 + (1 | a) + (1 | b), a with 120 levels × 3 rows, b with 5 levels crossed with it (row i of
 * level j in b (j + i) mod 5): by-factor puts a in a block of its own with b riding along (m q of a
 * above the small-factor limit of 100).
 */
export function designC(): Design {
  const X: number[] = [];
  const ra: number[] = [];
  const rb: number[] = [];
  const ones: number[] = [];
  for (let a = 0; a < 120; a++)
    for (let r = 0; r < 3; r++) {
      X.push(1);
      ra.push(a);
      rb.push((a + r) % 5);
      ones.push(1);
    }
  const model = baseModel(
    "y ~ 1 + (1 | a) + (1 | b)",
    X,
    1,
    ["(Intercept)"],
    [term("a", 120, ra, ["(Intercept)"], ones), term("b", 5, rb, ["(Intercept)"], ones)],
  );
  return {
    name: "C: y ~ 1 + (1 | a) + (1 | b), 120 × 5 crossed, 360 rows",
    model,
    priors: {
      beta: { mean: [0], cov: 1 },
      sigma2: { shape: 6, scale: 5 },
      psi: { a: { df: 10, scale: 8 }, b: { df: 10, scale: 8 } },
    },
  };
}

/**
 * A design with precision weights (lme4's `weights =`): w_i = 0.3, 0.8, 1.5, 3 in turn over the rows,
 * so that row i's residual variance is sigma2 / w_i (residual model "weights").
 */
export function withWeights(design: Design): Design {
  const weights = Float64Array.from({ length: design.model.n }, (_, i) => [0.3, 0.8, 1.5, 3][i % 4]!);
  return { ...design, name: `${design.name}, weights`, model: { ...design.model, weights } };
}

/**
 * A design with a residual variance per level of a stratum (varIdent): the rows in turn in three
 * strata s1, s2, s3, each variance from the sigma2 prior (the sampler's residual model "varIdent").
 */
export function withVarIdent(design: Design): Design {
  const refs = Int32Array.from({ length: design.model.n }, (_, i) => i % 3);
  return {
    ...design,
    name: `${design.name}, varIdent`,
    model: { ...design.model, varIdent: { group: "s", levels: ["s1", "s2", "s3"], refs } },
  };
}

/**
 * A design with AR(1) residuals (nlme's corAR1): the rows of each cell of the random-effects factors
 * (consecutive rows sharing every level) form a chain, in reverse row order (so that chain order is
 * not row order), with lags 1, 2, 1, 3, ... between consecutive positions (gaps), and phi's prior
 * (phi + 1) / 2 ~ Beta(2, 1.5), asymmetric, so that a sampler reading the prior wrongly shows.
 */
export function withAr1(design: Design): Design {
  const { n, terms } = design.model;
  const order: number[] = [];
  const lags: number[] = [];
  let chains = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && terms.every((t) => t.refs[end] === t.refs[start])) end++;
    for (let i = end - 1; i >= start; i--) {
      lags.push(i === end - 1 ? 0 : [1, 2, 1, 3][(end - 1 - i) % 4]!);
      order.push(i);
    }
    chains++;
    start = end;
  }
  return {
    ...design,
    name: `${design.name}, AR(1)`,
    model: {
      ...design.model,
      ar1: { time: "t", group: "cell", chains, order: Int32Array.from(order), lags: Int32Array.from(lags) },
    },
    priors: { ...design.priors, phi: { a: 2, b: 1.5 } },
  };
}

// ---------------------------------------------------------------------------------------------------
// Prior draws and data

interface Truth {
  beta: Float64Array;
  sigma2: number;
  /** The residual model's parameters as the chain state holds them (varIdent: each level's variance, the first sigma2; AR(1): phi); else empty. */
  residual: Float64Array;
  psi: Float64Array[];
  b: Float64Array[];
}

function lowerCholesky(q: number, a: Float64Array): Float64Array {
  const l = new Float64Array(q * q);
  for (let j = 0; j < q; j++) {
    let d = a[j * q + j]!;
    for (let k = 0; k < j; k++) d -= l[j * q + k]! ** 2;
    l[j * q + j] = Math.sqrt(d);
    for (let i = j + 1; i < q; i++) {
      let s = a[i * q + j]!;
      for (let k = 0; k < j; k++) s -= l[i * q + k]! * l[j * q + k]!;
      l[i * q + j] = s / l[j * q + j]!;
    }
  }
  return l;
}

function drawPrior(model: LmmModel, priors: Priors, rng: Random): Truth {
  const p = model.p;
  const beta = new Float64Array(p);
  mvnormCovariance(rng, p, priors.beta.mean, 1, 0, lowerCholesky(p, priors.beta.cov), p, 1, 0, beta, 1, 0);
  const sigma2 = inverseGamma(rng, priors.sigma2.shape, priors.sigma2.scale);
  // varIdent: every level's variance from the sigma2 prior, independently (the first is sigma2).
  const G = model.varIdent?.levels.length ?? 0;
  const residual = new Float64Array(G);
  if (G > 0) residual[0] = sigma2;
  for (let l = 1; l < G; l++) residual[l] = inverseGamma(rng, priors.sigma2.shape, priors.sigma2.scale);
  // AR(1): (phi + 1) / 2 ~ Beta(a, b).
  const phi = priors.phi === undefined ? [] : [2 * betaDraw(rng, priors.phi.a, priors.phi.b) - 1];
  const residualParameters = G > 0 ? residual : Float64Array.from(phi);
  const psi: Float64Array[] = [];
  const b: Float64Array[] = [];
  for (const pp of priors.psi) {
    const q = pp.q;
    const out = new Float64Array(q * q);
    inverseWishart(
      rng,
      q,
      pp.df,
      lowerCholesky(q, pp.scale),
      q,
      1,
      0,
      out,
      q,
      1,
      0,
      new Float64Array(2 * q * q),
      0,
    );
    psi.push(out);
    const m = model.terms.find((t) => t.group === pp.group)!.m;
    const L = lowerCholesky(q, out);
    const bk = new Float64Array(m * q);
    for (let j = 0; j < m; j++) mvnormCovariance(rng, q, null, 1, 0, L, q, 1, 0, bk, 1, j * q);
    b.push(bk);
  }
  return { beta, sigma2, residual: residualParameters, psi, b };
}

/** The residual parameters recorded after sigma2 (varIdent: the levels but the first; AR(1): phi). */
function recordedResidual(model: LmmModel, residual: Float64Array): Float64Array {
  return (model.varIdent ?? null) !== null ? residual.subarray(1) : residual;
}

function simulateY(
  model: LmmModel,
  beta: Float64Array,
  b: readonly Float64Array[],
  sigma2: number,
  rng: Random,
  y: Float64Array,
  residual: ArrayLike<number> = [],
): void {
  const { n, p, X } = model;
  const w = model.weights ?? null;
  const vi = model.varIdent ?? null;
  const ar1 = model.ar1 ?? null;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let t = 0; t < p; t++) v += X[i * p + t]! * beta[t]!;
    model.terms.forEach((term, k) => {
      const q = term.q;
      for (let a = 0; a < q; a++) v += term.values[i * q + a]! * b[k]![term.refs[i]! * q + a]!;
    });
    // Precision weights and varIdent: e_i ~ N(0, sigma2_{s(i)} / w_i).
    const variance = vi === null ? sigma2 : residual[vi.refs[i]!]!;
    y[i] = ar1 !== null ? v : v + Math.sqrt(w === null ? variance : variance / w[i]!) * normal(rng);
  }
  if (ar1 === null) return;
  // AR(1) noise along each chain: e_start ~ N(0, sigma2), e_t = a e_prev + N(0, sigma2 (1 - a²)), a = phi^lag.
  const phi = residual[0]!;
  let previous = 0;
  for (let j = 0; j < n; j++) {
    const lag = ar1.lags[j]!;
    const a = lag === 0 ? 0 : phi ** lag;
    const e = a * previous + Math.sqrt(sigma2 * (1 - a * a)) * normal(rng);
    y[ar1.order[j]!]! += e;
    previous = e;
  }
}

/** The values of the recorded parameters (layout order: beta, sigma2, Psi entries, b) of a truth. */
function truthValues(compiled: SamplerModel, truth: Truth): number[] {
  const layout = parameterLayout(compiled);
  const out = [
    ...truth.beta,
    truth.sigma2,
    ...(compiled.residual.kind === "varIdent" ? truth.residual.subarray(1) : truth.residual),
  ];
  compiled.factors.forEach((f, k) => {
    const pairs = layout.psiEntries[k]!;
    for (let e = 0; e < pairs.length; e += 2) out.push(truth.psi[k]![pairs[e]! * f.q + pairs[e + 1]!]!);
  });
  for (const bk of truth.b) out.push(...bk);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// SBC

export const L_DRAWS = 99;
export const BINS = 10;

export interface SbcResult {
  design: string;
  strategy: string;
  replications: number;
  parameters: { name: string; chi2: number; p: number; counts: number[] }[];
  seconds: number;
}

/** @param samplerModel - the model the sampler is given (default: the design's own; see `geweke`) */
export function sbc(
  design: Design,
  strategy: StrategyOption,
  replications: number,
  thin: number,
  samplerModel: LmmModel = design.model,
): SbcResult {
  const start = performance.now();
  const priors = resolvePriors(design.model, design.priors);
  const compiled0 = compileModel(design.model, priors, strategy);
  const layout = parameterLayout(compiled0);
  const nCore = layout.core.length;
  // Ranks of beta, sigma2, Psi and every random effect (the first two of each factor with more than
  // 50 effects).
  const tracked: number[] = Array.from({ length: nCore }, (_, k) => k);
  let offset = nCore;
  for (const f of compiled0.factors) {
    const count = f.m * f.q > 50 ? 2 : f.m * f.q;
    for (let e = 0; e < count; e++) tracked.push(offset + e);
    offset += f.m * f.q;
  }
  const names = tracked.map((k) => [...layout.core, ...layout.randomEffects][k]!);
  const counts = tracked.map(() => new Array<number>(BINS).fill(0));
  const rng = Random.fromSeed(20261122, 1000);
  const y = new Float64Array(design.model.n);
  for (let r = 0; r < replications; r++) {
    const truth = drawPrior(design.model, priors, rng);
    simulateY(design.model, truth.beta, truth.b, truth.sigma2, rng, y, truth.residual);
    const compiled = compileModel({ ...samplerModel, y }, priors, strategy);
    const values = truthValues(compiled, truth);
    const runner = createChainRunner(
      compiled,
      { iter: L_DRAWS, warmup: 200, thin, seed: r, randomEffects: "draws" },
      0,
      undefined,
    );
    runner.advance(runner.total);
    const kept = runner.result().kept;
    tracked.forEach((k, idx) => {
      const v = values[k]!;
      let rank = 0;
      for (let t = 0; t < L_DRAWS; t++) if (kept[k * L_DRAWS + t]! < v) rank++;
      counts[idx]![Math.floor((rank * BINS) / (L_DRAWS + 1))]!++;
    });
  }
  const expected = replications / BINS;
  return {
    design: design.name,
    strategy: compiled0.strategy,
    replications,
    parameters: names.map((name, idx) => {
      const chi2 = counts[idx]!.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
      return { name, chi2, p: 1 - chisquareCdf(chi2, BINS - 1), counts: counts[idx]! };
    }),
    seconds: (performance.now() - start) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------------
// Geweke

export interface GewekeResult {
  design: string;
  strategy: string;
  iterations: number;
  functions: { name: string; prior: number; successive: number; z: number; p: number }[];
  seconds: number;
}

/** Test functions of (recorded parameters, y): each parameter, its square, and beta_0 · mean(y). */
function testFunctions(
  names: readonly string[],
  values: ArrayLike<number>,
  y: Float64Array,
  out: Float64Array,
): void {
  const k = names.length;
  for (let i = 0; i < k; i++) {
    out[i] = values[i]!;
    out[k + i] = values[i]! ** 2;
  }
  let ybar = 0;
  for (let i = 0; i < y.length; i++) ybar += y[i]! / y.length;
  out[2 * k] = values[0]! * ybar;
}

/**
 * @param samplerModel - the model the sampler is given (default: the design's own; another one, e.g.
 *   without the design's weights, shows that the test catches a sampler of the wrong model)
 */
export function geweke(
  design: Design,
  strategy: StrategyOption,
  iterations: number,
  samplerModel: LmmModel = design.model,
): GewekeResult {
  const start = performance.now();
  const priors = resolvePriors(design.model, design.priors);
  const rng = Random.fromSeed(20261122, 2000);
  const y = new Float64Array(design.model.n);
  // The compiled design (its beta0 from an arbitrary first response; any beta0 is valid).
  const first = drawPrior(design.model, priors, rng);
  simulateY(design.model, first.beta, first.b, first.sigma2, rng, y, first.residual);
  const compiled0 = compileModel({ ...samplerModel, y }, priors, strategy);
  const layout = parameterLayout(compiled0);
  const names = layout.core;
  const nf = 2 * names.length + 1;
  const fnNames = [...names, ...names.map((n) => `${n}^2`), `${names[0]} · mean(y)`];
  const g = new Float64Array(nf);

  // Marginal-conditional simulator.
  const priorSum = new Float64Array(nf);
  const priorSq = new Float64Array(nf);
  for (let it = 0; it < iterations; it++) {
    const t = drawPrior(design.model, priors, rng);
    simulateY(design.model, t.beta, t.b, t.sigma2, rng, y, t.residual);
    testFunctions(names, truthValues(compiled0, t), y, g);
    for (let f = 0; f < nf; f++) {
      priorSum[f]! += g[f]!;
      priorSq[f]! += g[f]! ** 2;
    }
  }

  // Successive-conditional simulator, started from a prior draw.
  const state = allocateState(compiled0);
  const t0 = drawPrior(design.model, priors, rng);
  initializeState(compiled0, state, rng, undefined, 0);
  state.sigma2 = t0.sigma2;
  state.residual.set(t0.residual);
  t0.psi.forEach((psi, k) => {
    state.psi[k]!.set(psi);
    const q = compiled0.factors[k]!.q;
    const inv = new Float64Array(q * q);
    const L = lowerCholesky(q, psi);
    for (let c = 0; c < q; c++) {
      const e = new Float64Array(q);
      e[c] = 1;
      for (let i = 0; i < q; i++) {
        let s = e[i]!;
        for (let kk = 0; kk < i; kk++) s -= L[i * q + kk]! * e[kk]!;
        e[i] = s / L[i * q + i]!;
      }
      for (let i = q - 1; i >= 0; i--) {
        let s = e[i]!;
        for (let kk = i + 1; kk < q; kk++) s -= L[kk * q + i]! * e[kk]!;
        e[i] = s / L[i * q + i]!;
      }
      for (let i = 0; i < q; i++) inv[i * q + c] = e[i]!;
    }
    state.precision[k]!.set(inv);
    state.b[k]!.set(t0.b[k]!);
  });
  for (let a = 0; a < compiled0.p; a++) state.delta[a] = t0.beta[a]! - compiled0.beta0[a]!;
  simulateY(design.model, t0.beta, t0.b, t0.sigma2, rng, y, t0.residual);
  const batches = 100;
  const perBatch = Math.floor(iterations / batches);
  const batchMeans = Array.from({ length: nf }, () => new Float64Array(batches));
  const beta = new Float64Array(compiled0.p);
  const row = new Float64Array(names.length);
  for (let it = 0; it < batches * perBatch; it++) {
    const model = withResponse(compiled0, y, null);
    sweep(model, state, rng);
    for (let a = 0; a < compiled0.p; a++) beta[a] = compiled0.beta0[a]! + state.delta[a]!;
    simulateY(design.model, beta, state.b, state.sigma2, rng, y, state.residual);
    // Record (theta, y) after y is drawn given theta.
    let k = 0;
    for (let a = 0; a < compiled0.p; a++) row[k++] = beta[a]!;
    row[k++] = state.sigma2;
    for (const v of recordedResidual(design.model, state.residual)) row[k++] = v;
    compiled0.factors.forEach((f, kf) => {
      const pairs = layout.psiEntries[kf]!;
      for (let e = 0; e < pairs.length; e += 2) row[k++] = state.psi[kf]![pairs[e]! * f.q + pairs[e + 1]!]!;
    });
    testFunctions(names, row, y, g);
    const bIndex = Math.floor(it / perBatch);
    for (let f = 0; f < nf; f++) batchMeans[f]![bIndex]! += g[f]! / perBatch;
  }
  const functions = fnNames.map((name, f) => {
    const mPrior = priorSum[f]! / iterations;
    const vPrior = priorSq[f]! / iterations - mPrior ** 2;
    const bm = batchMeans[f]!;
    let mSucc = 0;
    for (const v of bm) mSucc += v / batches;
    let vb = 0;
    for (const v of bm) vb += (v - mSucc) ** 2 / (batches - 1);
    const z = (mSucc - mPrior) / Math.sqrt(vPrior / iterations + vb / batches);
    return { name, prior: mPrior, successive: mSucc, z, p: 2 * (1 - normalCdf(Math.abs(z), 0, 1)) };
  });
  return {
    design: design.name,
    strategy: compiled0.strategy,
    iterations,
    functions,
    seconds: (performance.now() - start) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------------
