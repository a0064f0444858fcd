/**
 * What the loo functions read: a pointwise log-likelihood (or log-ratio) matrix of S draws × N points,
 * either stored (`Draws`, one "parameter" per point, so each point's S draws are contiguous and chain
 * by chain — R's `log_lik` matrix transposed) or computed one point at a time on request (loo's
 * `loo.function`: memory O(S) instead of O(S N)).
 */

import type { Draws } from "../../src/draws/types";
import { ArgumentError } from "../../src/errors";

/** A log-likelihood matrix computed one point at a time (loo's `loo.function`). */
export interface PointwiseLogLik {
  /** Number of points (observations or left-out groups), N. */
  readonly points: number;
  readonly chains: number;
  /** Draws per chain; S = chains × iterations. */
  readonly iterations: number;
  /** One name per point (optional), e.g. `log_lik[3]`. */
  readonly names?: readonly string[];
  /** Writes point i's value at every draw, chain by chain (out[c * iterations + t]), into `out`. */
  point(i: number, out: Float64Array): void;
}

/** Either form. */
export type LogLikInput = Draws | PointwiseLogLik;

/** The shape of an input and a reader of one point's S values. */
export interface PointReader {
  readonly points: number;
  readonly chains: number;
  readonly iterations: number;
  readonly draws: number;
  readonly names: readonly string[] | undefined;
  /** Point i's S values: a view into the Draws, or `scratch` filled by the function form. */
  read(i: number, scratch: Float64Array): Float64Array;
}

function isDraws(x: LogLikInput): x is Draws {
  return (x as Draws).values instanceof Float64Array && Array.isArray((x as Draws).parameters);
}

/**
 * A reader of `x`, checked: at least one point and one draw, and (Draws) the values array of the
 * stated size.
 *
 * @throws ArgumentError naming `argument` when `x` is neither form or has no draws or points
 */
export function pointReader(x: LogLikInput, argument = "logLik"): PointReader {
  if (x === null || typeof x !== "object")
    throw new ArgumentError(argument, "must be a Draws matrix or a pointwise log-likelihood", x);
  if (isDraws(x)) {
    const S = x.chains * x.iterations;
    const N = x.parameters.length;
    if (x.values.length !== N * S)
      throw new ArgumentError(argument, `must hold ${N} × ${S} values`, x.values.length);
    check(N, S, argument);
    return {
      points: N,
      chains: x.chains,
      iterations: x.iterations,
      draws: S,
      names: x.parameters,
      read: (i) => x.values.subarray(i * S, (i + 1) * S),
    };
  }
  if (typeof x.point !== "function")
    throw new ArgumentError(argument, "must be a Draws matrix or a pointwise log-likelihood", x);
  const S = x.chains * x.iterations;
  check(x.points, S, argument);
  return {
    points: x.points,
    chains: x.chains,
    iterations: x.iterations,
    draws: S,
    names: x.names,
    read: (i, scratch) => {
      x.point(i, scratch);
      return scratch;
    },
  };
}

function check(N: number, S: number, argument: string): void {
  if (!Number.isInteger(N) || N < 1) throw new ArgumentError(argument, "must have at least one point", N);
  if (!Number.isInteger(S) || S < 2) throw new ArgumentError(argument, "must have at least two draws", S);
}

/**
 * Checks that point `i`'s values are all finite (loo's `validate_ll`).
 *
 * @throws ArgumentError naming the point and the draw
 */
export function checkFinite(values: Float64Array, i: number, names: readonly string[] | undefined): void {
  for (let s = 0; s < values.length; s++)
    if (!Number.isFinite(values[s]!))
      throw new ArgumentError(
        names?.[i] ?? `logLik point ${i + 1}`,
        `must be finite at every draw (draw ${s + 1} is ${values[s]})`,
        values[s],
      );
}

/**
 * log Σ exp(x_k) over x[offset .. offset + n − 1], by the largest term (matrixStats' `logSumExp`).
 *
 * @returns −Infinity when every term is −Infinity (or n = 0)
 * @example logSumExp(Float64Array.of(0, 0), 0, 2) // Math.LN2
 */
export function logSumExp(x: ArrayLike<number>, offset: number, n: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < n; k++) if (x[offset + k]! > max) max = x[offset + k]!;
  if (max === Number.NEGATIVE_INFINITY || !Number.isFinite(max)) return max;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += Math.exp(x[offset + k]! - max);
  return max + Math.log(sum);
}

/** Sample variance (n − 1) with R's two-pass mean; NaN for n < 2. */
export function sampleVariance(x: ArrayLike<number>, offset: number, n: number): number {
  if (n < 2) return Number.NaN;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += x[offset + k]!;
  let m = sum / n;
  let correction = 0;
  for (let k = 0; k < n; k++) correction += x[offset + k]! - m;
  m += correction / n;
  let ss = 0;
  for (let k = 0; k < n; k++) {
    const d = x[offset + k]! - m;
    ss += d * d;
  }
  return ss / (n - 1);
}

/** loo's `table_of_estimates` for one column: the sum and its standard error √(N var). */
export function estimateAndSe(values: Float64Array): { estimate: number; se: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const v = sampleVariance(values, 0, values.length);
  return { estimate: sum, se: values.length < 2 ? Number.NaN : Math.sqrt(values.length * v) };
}
