/**
 * Random variates written into typed arrays, for the hot loops: a double returned from a function
 * that V8 does not inline is boxed (a heap allocation per draw); writing it into a Float64Array slot
 * from a small wrapper, which V8 inlines the variate into, is not. The variates themselves are
 * src/random's (ziggurat normal, Marsaglia–Tsang gamma).
 */
import { gamma } from "../src/random/gamma";
import type { Random } from "../src/random/generator";
import { normal } from "../src/random/normal";

/**
 * Writes `count` standard normal draws into out[offset..offset+count).
 *
 * @example fillNormal(rng, z, 0, 3) // z[0..2] ~ N(0, 1)
 */
export function fillNormal(rng: Random, out: Float64Array, offset: number, count: number): void {
  for (let i = 0; i < count; i++) out[offset + i] = normal(rng);
}

/**
 * Writes one Gamma(shape, 1) draw into out[index]: Marsaglia & Tsang's (2000) method as in
 * src/random/gamma.ts — the same algorithm, written out here so that no double crosses a function
 * return (src/random's `gamma` calls a helper that V8 does not inline, boxing every draw). Shapes
 * below 1 (never in the sampler's conditionals, whose shapes grow with n and m) go to src/random.
 *
 * @example gammaInto(rng, 2.5, scratch, 0) // scratch[0] ~ Gamma(2.5, 1)
 * @see Marsaglia & Tsang (2000) ACM Trans. Math. Softw. 26(3):363-372, doi:10.1145/358407.358414
 */
export function gammaInto(rng: Random, shape: number, out: Float64Array, index: number): void {
  if (!(shape >= 1)) {
    out[index] = gamma(rng, shape);
    return;
  }
  const d = shape - 1 / 3;
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
    if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
      out[index] = d * v;
      return;
    }
  }
}
