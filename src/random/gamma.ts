/**
 * Gamma, chi-square, inverse-gamma and beta variates, all from one Marsaglia–Tsang gamma sampler.
 *
 * Reference: Marsaglia & Tsang (2000) A simple method for generating gamma variables, ACM Trans. Math.
 * Softw. 26(3):363-372, doi:10.1145/358407.358414 (including the shape < 1 boost of their §6).
 */
import { log, pow } from "./elementary";
import type { Random } from "./generator";
import { normal } from "./normal";

/**
 * Writes one Gamma(shape, 1) variate (density x^(shape-1) e^-x / Γ(shape); mean = variance = shape)
 * into out[offset]. This is the one gamma sampler of the package: `gamma` below and the Gibbs
 * sampler's conditionals both call it. It writes into a Float64Array instead of returning the draw
 * because a double returned from a function V8 does not inline (this one, with its rejection loop, is
 * not) is boxed, a heap allocation per draw; a store into a typed array is not (`npm run bench --
 * random`, "Gamma(2.5)" rows).
 *
 * shape >= 1: d = shape - 1/3, c = 1/sqrt(9d); draw x ~ N(0,1), v = (1 + c x)^3 (redraw if v <= 0),
 * u ~ U(0,1); accept d v if u < 1 - 0.0331 x^4 (the squeeze) or log u < x²/2 + d (1 - v + log v).
 * shape < 1: Gamma(shape + 1) · U^(1/shape) (the gamma draw first, then the uniform).
 *
 * @param rng - the generator
 * @param shape - shape parameter, > 0
 * @param out - output array
 * @param offset - index of the element to write
 * @returns nothing; out[offset] is the draw (> 0; may underflow to 0 for shape far below 1: then
 *   U^(1/shape) < 1e-308), NaN when shape is not > 0 (or is NaN)
 * @example
 * const g = new Float64Array(1);
 * gammaInto(Random.fromSeed(1), 2.5, g, 0); // g[0] is a Gamma(2.5, 1) draw
 * @see Marsaglia & Tsang (2000) ACM Trans. Math. Softw. 26(3):363-372, doi:10.1145/358407.358414
 */
export function gammaInto(rng: Random, shape: number, out: Float64Array, offset: number): void {
  if (!(shape > 0)) {
    out[offset] = Number.NaN;
    return;
  }
  const boost = shape < 1;
  const d = (boost ? shape + 1 : shape) - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2 || log(u) < 0.5 * x2 + d * (1 - v + log(v))) {
      out[offset] = boost ? d * v * pow(rng.uniform(), 1 / shape) : d * v;
      return;
    }
  }
}

/** The slot `gamma` has `gammaInto` write into (read right after; no state is kept in it). */
const SLOT = new Float64Array(1);

/**
 * One Gamma(shape, 1) variate (density x^(shape-1) e^-x / Γ(shape); mean = variance = shape), by
 * `gammaInto` (Marsaglia–Tsang; shape < 1 boosted).
 *
 * @param rng - the generator
 * @param shape - shape parameter, > 0
 * @returns a draw (> 0; may underflow to 0 for shape far below 1: then U^(1/shape) < 1e-308); NaN
 *   when shape is not > 0 (or is NaN)
 * @example
 * gamma(Random.fromSeed(1), 2.5); // a Gamma(2.5, 1) draw
 */
export function gamma(rng: Random, shape: number): number {
  gammaInto(rng, shape, SLOT, 0);
  return SLOT[0]!;
}

/**
 * One chi-square variate with `df` degrees of freedom: 2 · Gamma(df/2, 1). Mean df, variance 2 df.
 *
 * @param rng - the generator
 * @param df - degrees of freedom, > 0 (need not be an integer)
 * @returns a draw; NaN when df is not > 0
 * @example
 * chiSquare(Random.fromSeed(1), 3); // a chi-square(3) draw
 */
export function chiSquare(rng: Random, df: number): number {
  return 2 * gamma(rng, 0.5 * df);
}

/**
 * One inverse-gamma variate in DESIGN.md's parametrization: density ∝ s^-(shape+1) exp(-scale/s), so
 * s = scale / Gamma(shape, 1); mean scale/(shape - 1) for shape > 1, variance
 * scale² / ((shape - 1)² (shape - 2)) for shape > 2. This is the prior and full conditional of sigma2.
 *
 * @param rng - the generator
 * @param shape - shape, > 0
 * @param scale - scale, > 0
 * @returns a draw; NaN when shape is not > 0; Infinity if the gamma draw underflows to 0 (shape ≪ 1)
 * @example
 * inverseGamma(Random.fromSeed(1), 3, 2); // a draw with mean 2 / (3 - 1) = 1
 */
export function inverseGamma(rng: Random, shape: number, scale: number): number {
  return scale / gamma(rng, shape);
}

/**
 * One Beta(a, b) variate, X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). Mean a / (a + b).
 *
 * @param rng - the generator
 * @param a - first shape, > 0
 * @param b - second shape, > 0
 * @returns a draw in [0, 1]; NaN when a or b is not > 0, or when both gamma draws underflow to 0
 *   (possible only for a, b far below 1)
 * @example
 * beta(Random.fromSeed(1), 2, 3); // a draw with mean 0.4
 */
export function beta(rng: Random, a: number, b: number): number {
  const x = gamma(rng, a);
  const y = gamma(rng, b);
  return x / (x + y);
}
