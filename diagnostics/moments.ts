/**
 * Mean and variance that do not overflow: draws near 1e307 have a finite mean and sd, but their sum
 * (4 × 5,000 of them) and their squared deviations overflow double precision. The plain two-pass
 * formulas are used when they are finite (every ordinary case, bit for bit as before); otherwise the
 * draws are divided by a power of two near their largest magnitude — exact, so nothing is lost —
 * and the result is scaled back.
 */

/** 2^⌊log2 max|x|⌋ over x[offset .. offset + N), or 1 when all are 0 (or not finite). */
export function powerOfTwoScale(N: number, x: ArrayLike<number>, offset = 0): number {
  let largest = 0;
  for (let t = 0; t < N; t++) largest = Math.max(largest, Math.abs(x[offset + t]!));
  return largest > 0 && Number.isFinite(largest) ? 2 ** Math.floor(Math.log2(largest)) : 1;
}

/**
 * Mean of x[offset .. offset + N) with R's second-pass correction, computed on scaled values when
 * the plain sum overflows.
 *
 * Formula: x̄ = s · (1/N) Σ (x_t / s) (+ the correction), s a power of two (1 when not needed).
 *
 * @returns the mean; NaN for N = 0 or a NaN value; ±Infinity only when a value is infinite
 * @example stableMean(2, Float64Array.of(1.5e308, 1.7e308)) // 1.6e308 (the plain sum overflows)
 */
export function stableMean(N: number, x: ArrayLike<number>, offset = 0): number {
  if (N === 0) return Number.NaN;
  const plain = twoPassMean(N, x, offset, 1);
  if (Number.isFinite(plain) || Number.isNaN(plain)) return plain;
  for (let t = 0; t < N; t++) if (!Number.isFinite(x[offset + t]!)) return plain;
  const s = powerOfTwoScale(N, x, offset);
  return twoPassMean(N, x, offset, s) * s;
}

function twoPassMean(N: number, x: ArrayLike<number>, offset: number, s: number): number {
  let sum = 0;
  for (let t = 0; t < N; t++) sum += x[offset + t]! / s;
  const m = sum / N;
  if (!Number.isFinite(m)) return m;
  let correction = 0;
  for (let t = 0; t < N; t++) correction += x[offset + t]! / s - m;
  return m + correction / N;
}

/**
 * Sample variance (denominator N − 1) as `scale² · value`, so that the sd `scale · √value` is
 * finite even when the variance itself is beyond double precision.
 *
 * @param mean - the mean of the values (stableMean)
 * @returns { scale, value }; value NaN for N < 2 or a non-finite value
 * @example
 * const v = stableVariance(2, Float64Array.of(-1e200, 1e200), 0, 0);
 * v.scale * Math.sqrt(v.value); // 1.414e200 (the variance, 2e400, is beyond double precision)
 */
export function stableVariance(
  N: number,
  x: ArrayLike<number>,
  offset: number,
  mean: number,
): { scale: number; value: number } {
  if (N < 2) return { scale: 1, value: Number.NaN };
  const plain = sumOfSquares(N, x, offset, mean, 1) / (N - 1);
  // Plain is right unless it overflowed, or underflowed (squares of deviations below 2^-1000 lose
  // digits, and are 0 for draws near 1e-300 that do vary; constant draws give 0 either way).
  const ordinary = Number.isNaN(plain) || (Number.isFinite(plain) && plain >= 2 ** -1000);
  if (ordinary || !Number.isFinite(mean)) return { scale: 1, value: plain };
  const s = powerOfTwoScale(N, x, offset);
  return { scale: s, value: sumOfSquares(N, x, offset, mean / s, s) / (N - 1) };
}

function sumOfSquares(N: number, x: ArrayLike<number>, offset: number, mean: number, s: number): number {
  let sum = 0;
  for (let t = 0; t < N; t++) {
    const d = x[offset + t]! / s - mean;
    sum += d * d;
  }
  return sum;
}
