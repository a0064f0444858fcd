/**
 * A small complex FFT (iterative radix-2 Cooley–Tukey, in place) — all the autocovariance needs.
 * stdlib publishes no FFT; the npm FFT packages measured here were no faster for the sizes used
 * (2^10–2^16) and would add a dependency, so this file keeps its own 60 lines.
 *
 * Reference: Cooley & Tukey (1965) An algorithm for the machine calculation of complex Fourier
 * series, Mathematics of Computation 19(90):297–301, doi:10.1090/S0025-5718-1965-0178586-1.
 */

/** Twiddle factors cos(2πk/n), sin(2πk/n), k < n/2, cached per size. */
const twiddleCache = new Map<number, { cos: Float64Array; sin: Float64Array }>();

function twiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  let t = twiddleCache.get(n);
  if (t === undefined) {
    const half = n >> 1;
    const cos = new Float64Array(half);
    const sin = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      cos[k] = Math.cos((2 * Math.PI * k) / n);
      sin[k] = Math.sin((2 * Math.PI * k) / n);
    }
    t = { cos, sin };
    if (twiddleCache.size > 16) twiddleCache.clear();
    twiddleCache.set(n, t);
  }
  return t;
}

/** The smallest power of two ≥ n (and ≥ 1). */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * In-place discrete Fourier transform of the complex sequence (re[k], im[k]), k < n, n a power of two.
 *
 * Formula: X_j = Σ_k x_k e^{∓2πi jk/n} (− forward, + inverse); the inverse is not divided by n.
 *
 * Allocates nothing after the first call for a given n (twiddles are cached); validates nothing.
 *
 * @param n - length, a power of two
 * @param re - real parts (overwritten)
 * @param im - imaginary parts (overwritten)
 * @param inverse - true for the (unscaled) inverse transform
 */
export function fftKernel(n: number, re: Float64Array, im: Float64Array, inverse: boolean): void {
  if (n <= 1) return;
  // Bit-reversal permutation.
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = re[i]!;
      re[i] = re[j]!;
      re[j] = tr;
      const ti = im[i]!;
      im[i] = im[j]!;
      im[j] = ti;
    }
  }
  const { cos, sin } = twiddles(n);
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= n; size *= 2) {
    const half = size >> 1;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0, w = 0; k < half; k++, w += step) {
        const wr = cos[w]!;
        const wi = sign * sin[w]!;
        const a = start + k;
        const b = a + half;
        const br = re[b]!;
        const bi = im[b]!;
        const tr = br * wr - bi * wi;
        const ti = br * wi + bi * wr;
        const ar = re[a]!;
        const ai = im[a]!;
        re[b] = ar - tr;
        im[b] = ai - ti;
        re[a] = ar + tr;
        im[a] = ai + ti;
      }
    }
  }
}
