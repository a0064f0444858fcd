/**
 * `exp` and `log` that give the same double on every JavaScript engine. ECMA-262 leaves Math.exp,
 * Math.log and Math.pow "implementation-approximated", and engines differ in the last bit: Node 20's
 * V8 and Chromium 156's differ on a fraction of arguments for exp, log, pow and every other
 * transcendental function (measured: the same 200,000 arguments through each; only sqrt — correctly
 * rounded by the standard — agreed everywhere). The draws of the sampler pass through exp and log
 * (the ziggurat's tail and wedges and its table, the gamma sampler's acceptance test, dispersed
 * starting values), so with Math's functions the same seed gave other draws in a browser than in
 * Node. These use only +, −, ×, ÷ and bit operations on the double, which IEEE 754 and ECMA-262 fix
 * exactly, so "same seed, same draws" holds across engines, versions and threads.
 *
 * Method (the classical one, e.g. Cody & Waite 1980; Tang 1989): reduce the argument by ln 2 (split
 * into a high part with trailing zero bits and a low part, so that k ln 2 is subtracted exactly),
 * evaluate a short series on the reduced range, and scale by 2^k through the exponent bits. Accuracy:
 * within 1 ulp of the true value on the tested ranges (test/random/elementary.test.ts, against
 * Math.exp and Math.log, themselves within 1 ulp): a variate computed through them is as good as one
 * through Math's.
 *
 * References: Cody & Waite (1980) Software Manual for the Elementary Functions, Prentice-Hall. Tang
 * (1989) Table-driven implementation of the exponential function in IEEE floating-point arithmetic,
 * ACM TOMS 15(2):144-157, doi:10.1145/63522.214389.
 */

const BITS = /* @__PURE__ */ new Float64Array(1);
const WORDS = /* @__PURE__ */ new Int32Array(BITS.buffer);
/** Index of the high (sign, exponent, top of significand) 32-bit word of a double. */
const HI = /* @__PURE__ */ (() => (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0))();
const LO = 1 - HI;

/** ln 2 = LN2_HI + LN2_LO; LN2_HI has 32 trailing zero bits, so k × LN2_HI is exact for |k| < 2^20. */
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const INV_LN2 = Math.LOG2E;
const TWO_54 = 18014398509481984;
const SMALLEST_NORMAL = 2.2250738585072014e-308;
/** exp(x) overflows above this and is 0 below EXP_UNDERFLOW. */
const EXP_OVERFLOW = 709.782712893384;
const EXP_UNDERFLOW = -745.1332191019412;

/** 2/3, 2/5, ..., 2/21: log(1+f) = 2 atanh(s), s = f/(2+f), |s| ≤ 0.172, truncated below 2^-60 relative. */
const ATANH = /* @__PURE__ */ Array.from({ length: 10 }, (_, j) => 2 / (2 * j + 3));
/** 1/2!, 1/3!, ..., 1/14!: exp(r) on |r| ≤ ln2/2, truncated below 2^-60. */
const FACTORIAL_INVERSES = /* @__PURE__ */ (() => {
  const out: number[] = [];
  let f = 1;
  for (let n = 2; n <= 14; n++) {
    f *= n;
    out.push(1 / f);
  }
  return out;
})();

/** 2^k as a double, for an integer k in [-1022, 1023] (written into the exponent bits). */
function powerOfTwo(k: number): number {
  WORDS[HI] = (k + 1023) << 20;
  WORDS[LO] = 0;
  return BITS[0]!;
}

/**
 * The natural logarithm, the same double on every engine (see the file comment).
 *
 * x = 2^k m with m in [√2/2, √2), f = m − 1 (exact), s = f/(2+f):
 *     log x = k ln 2 + f − (f²/2 − s (f²/2 + R)),   R = s² (2/3 + 2s²/5 + ... + 2s^18/21)
 *
 * @param x - the argument
 * @returns log x; −Infinity for 0, NaN for x < 0 or NaN, Infinity for Infinity
 * @example log(Math.E) // 1
 */
export function log(x: number): number {
  if (!(x > 0)) return x === 0 ? Number.NEGATIVE_INFINITY : Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  let k = 0;
  if (x < SMALLEST_NORMAL) {
    x *= TWO_54;
    k = -54;
  }
  BITS[0] = x;
  const hi = WORDS[HI]!;
  k += (hi >> 20) - 1023;
  const significand = hi & 0x000fffff;
  // m >= √2 (significand bits >= 0x6a09e) is halved, so that m lies in [√2/2, √2).
  if (significand >= 0x6a09e) {
    WORDS[HI] = significand | 0x3fe00000;
    k += 1;
  } else WORDS[HI] = significand | 0x3ff00000;
  const f = BITS[0]! - 1;
  const s = f / (2 + f);
  const z = s * s;
  let poly = ATANH[9]!;
  for (let j = 8; j >= 0; j--) poly = ATANH[j]! + z * poly;
  const R = z * poly;
  const hfsq = 0.5 * f * f;
  return k * LN2_HI - (hfsq - (s * (hfsq + R) + k * LN2_LO) - f);
}

/**
 * The exponential function, the same double on every engine (see the file comment).
 *
 * x = k ln 2 + r with k = round(x / ln 2), |r| ≤ ln2/2 (r = (x − k LN2_HI) − k LN2_LO):
 *     exp x = 2^k (1 + r + r²/2! + ... + r^14/14!)
 *
 * @param x - the argument
 * @returns e^x; Infinity above 709.78, 0 below −745.13, NaN for NaN
 * @example exp(1) // 2.7182818284590455 (Math.E within 1 ulp)
 */
export function exp(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x > EXP_OVERFLOW) return Number.POSITIVE_INFINITY;
  if (x < EXP_UNDERFLOW) return 0;
  const k = Math.round(x * INV_LN2);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo;
  let poly = FACTORIAL_INVERSES[12]!;
  for (let j = 11; j >= 0; j--) poly = FACTORIAL_INVERSES[j]! + r * poly;
  const y = 1 + (hi + (r * r * poly - lo));
  if (k >= -1022 && k <= 1023) return y * powerOfTwo(k);
  // Beyond the normal exponents: scale in two exact steps and let the last one round.
  return k > 0 ? y * powerOfTwo(k - 1) * 2 : y * powerOfTwo(k + 1000) * powerOfTwo(-1000);
}

/**
 * x^y for x > 0 as exp(y log x), the same double on every engine. Its relative error grows with
 * |y log x| (about |y log x| × 2^-53): for the variates that need it (U^(1/shape)) it is far below
 * the resolution of the uniform draw.
 *
 * @param x - the base, > 0 (NaN otherwise, 0^y aside: 0 for y > 0)
 * @param y - the exponent
 * @returns x^y
 * @example pow(8, 1 / 3) // 2 (within 1 ulp)
 */
export function pow(x: number, y: number): number {
  if (x === 0 && y > 0) return 0;
  return exp(y * log(x));
}
