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
import { stepsFor } from "./steps";
import type { ChainState, InitialValues, SamplerModel } from "./types";

export type { ChainState };

/** Allocates a chain's state (values still to be initialized). */
export function allocateState(model: SamplerModel): ChainState {
  return {
    sigma2: Number.NaN,
    psi: model.factors.map((f) => new Float64Array(f.q * f.q)),
    precision: model.factors.map((f) => new Float64Array(f.q * f.q)),
    b: model.factors.map((f) => new Float64Array(f.m * f.q)),
    delta: new Float64Array(model.p),
    rss: Number.NaN,
    residual: new Float64Array(
      model.residual.kind === "varIdent"
        ? model.residual.levels.length
        : model.residual.kind === "ar1"
          ? 1
          : 0,
    ),
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
 * first in the first iteration; then each step sets what it needs (the by-factor steps start b at a
 * draw from N(0, Psi), so that the first block is drawn given plausible values of the others).
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
  for (const step of stepsFor(model)) step.initialize?.(model, state, rng);
}
