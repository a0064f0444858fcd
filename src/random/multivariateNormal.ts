/**
 * Multivariate normal draws from a Cholesky factor, into a caller's buffer, allocating nothing.
 * The factor is lower triangular (as `potrf` leaves it; its strict upper triangle is not read).
 *
 *   mvnormPrecision:  x ~ N(mu, Q^-1) given Q = L L'      x = mu + L^-T z
 *   mvnormCanonical:  x ~ N(Q^-1 b, Q^-1) given Q = L L'  x = L^-T (L^-1 b + z)   (no separate mean solve)
 *   mvnormCovariance: x ~ N(mu, S) given S = L L'         x = mu + L z
 * with z ~ N(0, I). The canonical form is the Gibbs sampler's common case: a full conditional
 * N(Q^-1 b, Q^-1) from its precision Q and "information vector" b (Rue 2001).
 *
 * Reference: Rue (2001) Fast sampling of Gaussian Markov random fields, J. R. Stat. Soc. B 63(2):325-338,
 * doi:10.1111/1467-9868.00288.
 */
import { trmv } from "../linalg/trmv";
import { trsv } from "../linalg/trsv";
import type { Random } from "./generator";
import { fillNormal, normal } from "./normal";

function addMean(
  N: number,
  mu: Float64Array | null,
  strideMu: number,
  offsetMu: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
): void {
  if (mu === null) return;
  let im = offsetMu;
  let ix = offsetX;
  for (let i = 0; i < N; i++) {
    x[ix] = x[ix]! + mu[im]!;
    im += strideMu;
    ix += strideX;
  }
}

/**
 * Draws x ~ N(mu, Q^-1) given the Cholesky factor L of the precision Q = L L': x = mu + L^-T z.
 *
 * @param rng - the generator
 * @param N - dimension
 * @param mu - mean, or null for 0
 * @param strideMu - stride of `mu`
 * @param offsetMu - index of mu[0]
 * @param L - lower Cholesky factor of the precision
 * @param strideL1 - stride between rows of L
 * @param strideL2 - stride between columns of L
 * @param offsetL - index of L[0, 0]
 * @param out - output vector (must not overlap `mu` or `L`)
 * @param strideOut - stride of `out`
 * @param offsetOut - index of out[0]
 * @returns `out`
 * @example
 * // precision diag(4, 1) => sd (0.5, 1); L = diag(2, 1)
 * mvnormPrecision(rng, 2, null, 1, 0, new Float64Array([2, 0, 0, 1]), 2, 1, 0, out, 1, 0);
 */
export function mvnormPrecision(
  rng: Random,
  N: number,
  mu: Float64Array | null,
  strideMu: number,
  offsetMu: number,
  L: Float64Array,
  strideL1: number,
  strideL2: number,
  offsetL: number,
  out: Float64Array,
  strideOut: number,
  offsetOut: number,
): Float64Array {
  fillNormal(rng, N, out, strideOut, offsetOut);
  trsv("lower", "transpose", "non-unit", N, L, strideL1, strideL2, offsetL, out, strideOut, offsetOut);
  addMean(N, mu, strideMu, offsetMu, out, strideOut, offsetOut);
  return out;
}

/**
 * Draws x ~ N(Q^-1 b, Q^-1) given b and the Cholesky factor L of Q = L L': x = L^-T (L^-1 b + z).
 * `out` may be `b` itself (same array, stride and offset): b is overwritten by the draw.
 *
 * @param rng - the generator
 * @param N - dimension
 * @param b - the information vector (Q times the mean)
 * @param strideB - stride of `b`
 * @param offsetB - index of b[0]
 * @param L - lower Cholesky factor of the precision
 * @param strideL1 - stride between rows of L
 * @param strideL2 - stride between columns of L
 * @param offsetL - index of L[0, 0]
 * @param out - output vector (may alias `b` exactly, must not overlap `L`)
 * @param strideOut - stride of `out`
 * @param offsetOut - index of out[0]
 * @returns `out`
 * @example
 * // Q = diag(4, 1), b = (4, 1): mean (1, 1), sd (0.5, 1)
 * mvnormCanonical(rng, 2, new Float64Array([4, 1]), 1, 0, new Float64Array([2, 0, 0, 1]), 2, 1, 0, out, 1, 0);
 */
export function mvnormCanonical(
  rng: Random,
  N: number,
  b: Float64Array,
  strideB: number,
  offsetB: number,
  L: Float64Array,
  strideL1: number,
  strideL2: number,
  offsetL: number,
  out: Float64Array,
  strideOut: number,
  offsetOut: number,
): Float64Array {
  let ib = offsetB;
  let io = offsetOut;
  for (let i = 0; i < N; i++) {
    out[io] = b[ib]!;
    ib += strideB;
    io += strideOut;
  }
  trsv("lower", "no-transpose", "non-unit", N, L, strideL1, strideL2, offsetL, out, strideOut, offsetOut);
  io = offsetOut;
  for (let i = 0; i < N; i++) {
    out[io] = out[io]! + normal(rng);
    io += strideOut;
  }
  trsv("lower", "transpose", "non-unit", N, L, strideL1, strideL2, offsetL, out, strideOut, offsetOut);
  return out;
}

/**
 * Draws x ~ N(mu, S) given the Cholesky factor L of the covariance S = L L': x = mu + L z.
 *
 * @param rng - the generator
 * @param N - dimension
 * @param mu - mean, or null for 0
 * @param strideMu - stride of `mu`
 * @param offsetMu - index of mu[0]
 * @param L - lower Cholesky factor of the covariance
 * @param strideL1 - stride between rows of L
 * @param strideL2 - stride between columns of L
 * @param offsetL - index of L[0, 0]
 * @param out - output vector (must not overlap `mu` or `L`)
 * @param strideOut - stride of `out`
 * @param offsetOut - index of out[0]
 * @returns `out`
 * @example
 * // covariance diag(4, 1) => sd (2, 1); L = diag(2, 1)
 * mvnormCovariance(rng, 2, null, 1, 0, new Float64Array([2, 0, 0, 1]), 2, 1, 0, out, 1, 0);
 */
export function mvnormCovariance(
  rng: Random,
  N: number,
  mu: Float64Array | null,
  strideMu: number,
  offsetMu: number,
  L: Float64Array,
  strideL1: number,
  strideL2: number,
  offsetL: number,
  out: Float64Array,
  strideOut: number,
  offsetOut: number,
): Float64Array {
  fillNormal(rng, N, out, strideOut, offsetOut);
  trmv("lower", "no-transpose", "non-unit", N, L, strideL1, strideL2, offsetL, out, strideOut, offsetOut);
  addMean(N, mu, strideMu, offsetMu, out, strideOut, offsetOut);
  return out;
}
