/**
 * A chain's state: the current values of every parameter and all scratch space an iteration needs,
 * allocated once per chain (an iteration allocates nothing).
 */
import { ArgumentError } from "../src/errors";
import { potrf } from "../src/linalg/potrf";
import { potri } from "../src/linalg/potri";
import { symmetrize } from "../src/linalg/symmetrize";
import { exp } from "../src/random/elementary";
import type { Random } from "../src/random/generator";
import { mvnormCovariance } from "../src/random/multivariateNormal";
import type { InitialValues, SamplerModel } from "./types";

export interface ChainState {
  /** Residual variance. */
  sigma2: number;
  /** Per factor: Psi (q × q) and its inverse, the precision (q × q). */
  readonly psi: Float64Array[];
  readonly precision: Float64Array[];
  /** Per factor: random effects, m × q (level-major). */
  readonly b: Float64Array[];
  /** beta - beta0. */
  readonly delta: Float64Array;
  /** by-factor: ytilde - X delta - sum_k Z_k b_k, length n (empty for joint). */
  readonly residual: Float64Array;
  // ---- scratch ----
  /** Per location block: Cholesky factors of the lead levels' precisions (m q q). */
  readonly leadChol: Float64Array[];
  /** Per location block: M = L_j^-1 C_j' / sigma2, stored like C (nnz q). */
  readonly coupling: Float64Array[];
  /** Per location block: forward-solved lead right-hand sides (m q). */
  readonly leadRhs: Float64Array[];
  /** dRest × dRest Schur complement / its Cholesky factor. */
  readonly schur: Float64Array;
  /** dRest: right-hand side, then the drawn rest vector. */
  readonly restRhs: Float64Array;
  readonly rest: Float64Array;
  /** by-factor: residual plus the current block's fit (n), lead cross-products (max m q), W_rest'e (dRest). */
  readonly partial: Float64Array;
  readonly leadCross: Float64Array;
  readonly restCross: Float64Array;
  /** Standard normal draws for one location draw (max over blocks of dRest + m q). */
  readonly normals: Float64Array;
  /** One gamma draw (sigma2's and a 1 × 1 Psi block's inverse-gamma). */
  readonly gammas: Float64Array;
  /** A q × q matrix (largest q): starting values, the Cholesky factor of Psi's posterior scale. */
  readonly matA: Float64Array;
  /** The inverse-Wishart draw's workspace (2 q², largest q). */
  readonly wishartWork: Float64Array;
}

/** Allocates a chain's state (values still to be initialized). */
export function allocateState(model: SamplerModel): ChainState {
  const qMax = Math.max(...model.factors.map((f) => f.q));
  const leadMax = Math.max(...model.blocks.map((b) => b.m * b.q));
  const dRest = Math.max(...model.blocks.map((b) => b.dRest));
  return {
    sigma2: Number.NaN,
    psi: model.factors.map((f) => new Float64Array(f.q * f.q)),
    precision: model.factors.map((f) => new Float64Array(f.q * f.q)),
    b: model.factors.map((f) => new Float64Array(f.m * f.q)),
    delta: new Float64Array(model.p),
    residual: new Float64Array(model.strategy === "by-factor" ? model.n : 0),
    leadChol: model.blocks.map((b) => new Float64Array(b.m * b.q * b.q)),
    coupling: model.blocks.map((b) => new Float64Array(b.C.length)),
    leadRhs: model.blocks.map((b) => new Float64Array(b.m * b.q)),
    schur: new Float64Array(dRest * dRest),
    restRhs: new Float64Array(dRest),
    rest: new Float64Array(dRest),
    partial: new Float64Array(model.strategy === "by-factor" ? model.n : 0),
    leadCross: new Float64Array(model.strategy === "by-factor" ? leadMax : 0),
    restCross: new Float64Array(model.strategy === "by-factor" ? dRest : 0),
    normals: new Float64Array(Math.max(...model.blocks.map((b) => b.dRest + b.m * b.q))),
    gammas: new Float64Array(1),
    matA: new Float64Array(qMax * qMax),
    wishartWork: new Float64Array(2 * qMax * qMax),
  };
}

/**
 * Inverts a symmetric positive definite q × q matrix `a` into `out` (both row-major; src/linalg's
 * `potrf`, `potri`, `symmetrize`). Returns false when `a` is not positive definite.
 */
export function invertSpd(q: number, a: Float64Array, out: Float64Array): boolean {
  out.set(a.subarray(0, q * q));
  if (potrf(q, out, q, 1, 0) !== 0) return false;
  potri(q, out, q, 1, 0);
  symmetrize("lower", q, out, q, 1, 0);
  return true;
}

/** Reads a user's Psi start for one factor: c > 0 (c I) or a q × q matrix, block structure enforced. */
function psiStart(
  value: unknown,
  q: number,
  starts: Int32Array,
  sizes: Int32Array,
  field: string,
): Float64Array {
  const out = new Float64Array(q * q);
  if (typeof value === "number") {
    if (!(value > 0) || !Number.isFinite(value))
      throw new ArgumentError(field, "must be a positive number", value);
    for (let r = 0; r < q; r++) out[r * q + r] = value;
    return out;
  }
  if (!Array.isArray(value) || value.length !== q)
    throw new ArgumentError(field, `must be a positive number or a ${q} × ${q} matrix`, value);
  for (let i = 0; i < q; i++) {
    const row: unknown = value[i];
    if (!Array.isArray(row) || row.length !== q)
      throw new ArgumentError(`${field}[${i}]`, `must be a row of ${q} numbers`, row);
    for (let j = 0; j < q; j++) {
      const v: unknown = row[j];
      if (typeof v !== "number" || !Number.isFinite(v))
        throw new ArgumentError(`${field}[${i}][${j}]`, "must be a finite number", v);
      out[i * q + j] = v;
    }
  }
  const block = new Int32Array(q);
  for (let k = 0; k < starts.length; k++) for (let r = 0; r < sizes[k]!; r++) block[starts[k]! + r] = k;
  for (let i = 0; i < q; i++)
    for (let j = 0; j < q; j++) {
      if (block[i] !== block[j]) out[i * q + j] = 0;
      else if (
        Math.abs(out[i * q + j]! - out[j * q + i]!) >
        1e-10 * Math.max(Math.abs(out[i * q + j]!), 1e-300)
      )
        throw new ArgumentError(field, "must be symmetric", value);
    }
  return out;
}

/**
 * Sets a chain's starting values: sigma2 and each Psi from `init` where given, else dispersed around
 * rough scales (the least-squares residual variance, and that variance over each column's squared
 * scale) by independent factors exp(U(-2, 2)) — up to about 7× either way — drawn from the chain's
 * own stream. The location parameters start at delta = 0 (beta = least squares), b = 0, and are drawn
 * first in the first iteration; for the by-factor strategy b starts as a draw from N(0, Psi).
 *
 * @throws ArgumentError when `init` is malformed (naming the field)
 */
export function initializeState(
  model: SamplerModel,
  state: ChainState,
  rng: Random,
  init: InitialValues | undefined,
  chain: number,
): void {
  const field = `init[${chain}]`;
  if (init?.sigma2 !== undefined) {
    if (typeof init.sigma2 !== "number" || !(init.sigma2 > 0) || !Number.isFinite(init.sigma2))
      throw new ArgumentError(`${field}.sigma2`, "must be a positive number", init.sigma2);
    state.sigma2 = init.sigma2;
  } else state.sigma2 = model.sigma2Guess * exp(4 * rng.uniform() - 2);
  const givenPsi = init?.psi ?? {};
  for (const key of Object.keys(givenPsi))
    if (!model.factors.some((f) => f.group === key))
      throw new ArgumentError(`${field}.psi.${key}`, "must name a grouping factor of the model", key);
  model.factors.forEach((f, k) => {
    const psi = state.psi[k]!;
    const given = givenPsi[f.group];
    if (given !== undefined)
      psi.set(psiStart(given, f.q, f.blockStarts, f.blockSizes, `${field}.psi.${f.group}`));
    else {
      psi.fill(0);
      for (let r = 0; r < f.q; r++) psi[r * f.q + r] = model.psiGuess[k]![r]! * exp(4 * rng.uniform() - 2);
    }
    if (!invertSpd(f.q, psi, state.precision[k]!))
      throw new ArgumentError(`${field}.psi.${f.group}`, "must be positive definite", Array.from(psi));
  });
  state.delta.fill(0);
  for (const b of state.b) b.fill(0);
  if (model.strategy === "by-factor") {
    model.factors.forEach((f, k) => {
      // b_j ~ N(0, Psi): b_j = L z with Psi = L L' (lower Cholesky in matA).
      const L = state.matA;
      const q = f.q;
      L.set(state.psi[k]!);
      potrf(q, L, q, 1, 0); // Psi was inverted above, so it is positive definite
      const b = state.b[k]!;
      for (let lev = 0; lev < f.m; lev++) mvnormCovariance(rng, q, null, 1, 0, L, q, 1, 0, b, 1, lev * q);
    });
    resetResidual(model, state);
  }
}

/** Recomputes the by-factor residual ytilde - X delta - sum_k Z_k b_k from scratch. */
export function resetResidual(model: SamplerModel, state: ChainState): void {
  const { n, p, X } = model;
  const r = state.residual;
  for (let i = 0; i < n; i++) {
    let v = model.ytilde[i]!;
    for (let t = 0; t < p; t++) v -= X[i * p + t]! * state.delta[t]!;
    r[i] = v;
  }
  model.factors.forEach((f, k) => {
    const b = state.b[k]!;
    const q = f.q;
    for (let i = 0; i < n; i++) {
      const base = f.refs[i]! * q;
      let v = 0;
      for (let a = 0; a < q; a++) v += f.values[i * q + a]! * b[base + a]!;
      r[i]! -= v;
    }
  });
}
