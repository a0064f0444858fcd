/**
 * The FFT the autocovariance uses: fft.js (radix-4, MIT, no dependencies, 60 KB), one cached plan
 * per power-of-two size, on interleaved complex Float64Arrays [re0, im0, re1, im1, ...].
 *
 * Why a library: stdlib publishes no FFT; our own iterative radix-2 transform (kept out of the tree)
 * was 3.5× slower than fft.js at n = 1,024–32,768 (bench/diagnostics.bench.ts, "FFT").
 *
 * Reference: Cooley & Tukey (1965) An algorithm for the machine calculation of complex Fourier
 * series, Mathematics of Computation 19(90):297–301, doi:10.1090/S0025-5718-1965-0178586-1.
 */
import FFT from "fft.js";

const plans = new Map<number, FFT>();

/** The smallest power of two ≥ n and ≥ 2 (fft.js's smallest size). */
export function nextPowerOfTwo(n: number): number {
  let p = 2;
  while (p < n) p *= 2;
  return p;
}

/**
 * Discrete Fourier transform of n complex values (n a power of two ≥ 2), interleaved.
 *
 * Formula: X_j = Σ_k x_k e^{−2πi jk/n} (forward); the inverse uses e^{+2πi jk/n} and divides by n.
 *
 * Allocates nothing after the first call for a given n (the plan is cached); validates nothing.
 *
 * @param n - number of complex values, a power of two ≥ 2
 * @param out - the transform, 2n numbers (must not be `input`)
 * @param input - the values, 2n numbers: re0, im0, re1, im1, ...
 * @param inverse - true for the inverse transform (divided by n)
 */
export function fftKernel(n: number, out: Float64Array, input: Float64Array, inverse: boolean): void {
  let plan = plans.get(n);
  if (plan === undefined) {
    if (plans.size > 16) plans.clear();
    plan = new FFT(n);
    plans.set(n, plan);
  }
  if (inverse) plan.inverseTransform(out, input);
  else plan.transform(out, input);
}
