/**
 * Autocovariance and autocorrelation of one sequence: directly, lag by lag (cheap when few lags are
 * needed, as in the ESS of a well-mixing chain), or for all lags at once by FFT (O(N log N)).
 * The estimate is Geyer's (1992) "biased" one, divided by N at every lag, as posterior computes it.
 */

import { checkChainsArgument, checkNumberArgument } from "../src/validate";
import { fftKernel, nextPowerOfTwo } from "./fft";

/**
 * Biased autocovariances of an already centered sequence for lags firstLag..lags−1, directly.
 *
 * Formula: γ_k = (1/N) Σ_{t=0}^{N−1−k} y_t y_{t+k}, y centered.
 *
 * Four lags per sweep (each y_t loaded once for all four): measured 2× faster than one lag per sweep.
 * O(N · lags); allocates nothing; validates nothing.
 *
 * @param N - sequence length
 * @param y - centered values, y[offsetY .. offsetY + N − 1]
 * @param offsetY - index of the first value
 * @param firstLag - first lag to compute
 * @param lags - one past the last lag to compute (≤ N)
 * @param out - γ_k written to out[offsetOut + k]
 * @param offsetOut - index of lag 0 in out
 */
export function autocovarianceDirectKernel(
  N: number,
  y: Float64Array,
  offsetY: number,
  firstLag: number,
  lags: number,
  out: Float64Array,
  offsetOut: number,
): void {
  let k = firstLag;
  for (; k + 4 <= lags; k += 4) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const stop = offsetY + N - k;
    let t = offsetY;
    for (; t < stop - 3; t++) {
      const v = y[t]!;
      const j = t + k;
      s0 += v * y[j]!;
      s1 += v * y[j + 1]!;
      s2 += v * y[j + 2]!;
      s3 += v * y[j + 3]!;
    }
    // The last three t have partners for the shorter lags only.
    for (; t < stop; t++) {
      const v = y[t]!;
      const j = t + k;
      s0 += v * y[j]!;
      if (t < stop - 1) s1 += v * y[j + 1]!;
      if (t < stop - 2) s2 += v * y[j + 2]!;
    }
    out[offsetOut + k] = s0 / N;
    out[offsetOut + k + 1] = s1 / N;
    out[offsetOut + k + 2] = s2 / N;
    out[offsetOut + k + 3] = s3 / N;
  }
  for (; k < lags; k++) {
    let sum = 0;
    const stop = offsetY + N - k;
    for (let t = offsetY; t < stop; t++) sum += y[t]! * y[t + k]!;
    out[offsetOut + k] = sum / N;
  }
}

/**
 * Biased autocovariances at all lags 0..N−1 of one or two centered sequences of length N at once, by
 * FFT: packing a + ib, one forward and one transform back of length n ≥ 2N (no wrap-around).
 *
 * Formula: γ = IDFT(|DFT(y)|²)[0..N−1] / N, zero-padded to n; the two spectra separate by
 * A_k = (Z_k + conj Z_{n−k})/2, B_k = (Z_k − conj Z_{n−k})/(2i); both power spectra are real and
 * even, so one transform of P_a + iP_b gives γ_a (real part) and γ_b (imaginary part).
 *
 * O(n log n); allocates nothing (plans cached per n); validates nothing.
 *
 * @param N - sequence length
 * @param a - first centered sequence at a[offsetA ..]
 * @param offsetA - index of its first value
 * @param b - second centered sequence at b[offsetB ..], or null
 * @param offsetB - index of its first value
 * @param outA - autocovariances of a, lag k at outA[offsetOutA + k]
 * @param offsetOutA - index of lag 0 in outA
 * @param outB - autocovariances of b (ignored when b is null)
 * @param offsetOutB - index of lag 0 in outB
 * @param data - scratch of length ≥ 2n
 * @param spectrum - scratch of length ≥ 2n
 * @param n - transform length: a power of two ≥ 2N
 */
export function autocovarianceFftKernel(
  N: number,
  a: Float64Array,
  offsetA: number,
  b: Float64Array | null,
  offsetB: number,
  outA: Float64Array,
  offsetOutA: number,
  outB: Float64Array,
  offsetOutB: number,
  data: Float64Array,
  spectrum: Float64Array,
  n: number,
): void {
  // fft.js works on the whole arrays it is given (its inverse divides every element by n).
  if (data.length !== 2 * n) data = data.subarray(0, 2 * n);
  if (spectrum.length !== 2 * n) spectrum = spectrum.subarray(0, 2 * n);
  for (let t = 0; t < N; t++) {
    data[2 * t] = a[offsetA + t]!;
    data[2 * t + 1] = b === null ? 0 : b[offsetB + t]!;
  }
  data.fill(0, 2 * N, 2 * n);
  fftKernel(n, spectrum, data, false);
  // Power spectra of a (into the real parts) and b (imaginary parts), both real and even.
  const r0 = spectrum[0]!;
  const i0 = spectrum[1]!;
  data[0] = r0 * r0;
  data[1] = i0 * i0;
  for (let k = 1; k <= n >> 1; k++) {
    const j = n - k;
    const rk = spectrum[2 * k]!;
    const ik = spectrum[2 * k + 1]!;
    const rj = spectrum[2 * j]!;
    const ij = spectrum[2 * j + 1]!;
    const powerA = ((rk + rj) * (rk + rj) + (ik - ij) * (ik - ij)) / 4;
    const powerB = ((ik + ij) * (ik + ij) + (rk - rj) * (rk - rj)) / 4;
    data[2 * k] = powerA;
    data[2 * k + 1] = powerB;
    data[2 * j] = powerA;
    data[2 * j + 1] = powerB;
  }
  fftKernel(n, spectrum, data, true);
  for (let k = 0; k < N; k++) outA[offsetOutA + k] = spectrum[2 * k]! / N;
  if (b !== null) for (let k = 0; k < N; k++) outB[offsetOutB + k] = spectrum[2 * k + 1]! / N;
}

/**
 * Whether computing `lags` lags directly costs more than all lags by FFT, for sequences of length N.
 * Measured (bench/diagnostics.bench.ts, "autocovariance: direct vs FFT"): one direct lag costs about
 * N multiply-adds; the FFT of one sequence (half of a packed pair) as much as ≈ 2·n·log2(n)/N lags
 * (crossover 34 lags at N = 500, 90 at N = 2,500, 141 at N = 10,000).
 */
export function fftPaysOff(N: number, lags: number): boolean {
  const n = nextPowerOfTwo(2 * N);
  return lags * N > 2 * n * Math.log2(n);
}

/** The mean of x[offset .. offset + N − 1] with R's second-pass correction (applied when finite, as R). */
export function meanKernel(N: number, x: Float64Array, offset: number): number {
  let sum = 0;
  for (let t = 0; t < N; t++) sum += x[offset + t]!;
  const m = sum / N;
  if (!Number.isFinite(m)) return m;
  let correction = 0;
  for (let t = 0; t < N; t++) correction += x[offset + t]! - m;
  return m + correction / N;
}

/**
 * The autocovariance function of one sequence (biased: every lag divided by N, Geyer 1992).
 *
 * Formula: γ_k = (1/N) Σ_{t=1}^{N−k} (x_t − x̄)(x_{t+k} − x̄), k = 0..maxLag.
 *
 * @param x - the sequence (one chain)
 * @param maxLag - the last lag (default N − 1; clipped to N − 1)
 * @returns γ_0..γ_maxLag; all 0 for a constant sequence (as posterior); all NaN if any value is not finite; empty for an empty sequence
 * @example autocovariance([1, 2, 3, 4]) // Float64Array [1.25, 0.3125, -0.375, -0.5625]
 * @see Geyer (1992) Practical Markov chain Monte Carlo, Statistical Science 7(4):473–483, doi:10.1214/ss/1177011137
 */
export function autocovariance(x: ArrayLike<number>, maxLag?: number): Float64Array {
  checkChainsArgument(x);
  checkNumberArgument(maxLag, "maxLag", "a number of lags");
  const N = x.length;
  const last = Math.min(maxLag === undefined ? N - 1 : Math.floor(maxLag), N - 1);
  const out = new Float64Array(Math.max(last + 1, 0));
  if (N === 0 || last < 0) return out;
  const y = Float64Array.from(x);
  for (let t = 0; t < N; t++)
    if (!Number.isFinite(y[t]!)) {
      out.fill(Number.NaN);
      return out;
    }
  const m = meanKernel(N, y, 0);
  for (let t = 0; t < N; t++) y[t] = y[t]! - m;
  if (fftPaysOff(N, last + 1)) {
    const n = nextPowerOfTwo(2 * N);
    const all = new Float64Array(N);
    autocovarianceFftKernel(
      N,
      y,
      0,
      null,
      0,
      all,
      0,
      all,
      0,
      new Float64Array(2 * n),
      new Float64Array(2 * n),
      n,
    );
    out.set(all.subarray(0, last + 1));
  } else autocovarianceDirectKernel(N, y, 0, 0, last + 1, out, 0);
  return out;
}

/**
 * The autocorrelation function of one sequence (for autocorrelation plots).
 *
 * Formula: ρ_k = γ_k / γ_0 with γ the biased autocovariance of {@link autocovariance}.
 *
 * @param x - the sequence (one chain)
 * @param maxLag - the last lag (default N − 1)
 * @returns ρ_0 = 1, ρ_1, ..., ρ_maxLag; all NaN for a constant sequence (0/0, as posterior) or one with non-finite values
 * @example autocorrelation([1, 2, 3, 4]) // Float64Array [1, 0.25, -0.3, -0.45]
 * @see Geyer (1992), doi:10.1214/ss/1177011137
 */
export function autocorrelation(x: ArrayLike<number>, maxLag?: number): Float64Array {
  checkChainsArgument(x);
  checkNumberArgument(maxLag, "maxLag", "a number of lags");
  const out = autocovariance(x, maxLag);
  const gamma0 = out[0]!;
  for (let k = 0; k < out.length; k++) out[k] = out[k]! / gamma0;
  return out;
}
