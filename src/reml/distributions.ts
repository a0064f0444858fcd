/**
 * The two distribution functions the REML output needs: the standard normal quantile (Wald
 * intervals) and the chi-square upper tail (likelihood-ratio tests).
 */

/**
 * log Gamma(x) for x > 0 (Lanczos approximation, g = 7, 9 terms; relative error below 1e-15).
 *
 * @param x - argument, > 0
 * @returns log Gamma(x); NaN for x ≤ 0 or NaN
 * @example
 * logGamma(5); // 3.1780538303479458 = log(24)
 * @see Lanczos (1964) SIAM J. Numer. Anal. B 1:86-96, doi:10.1137/0701008
 */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * The regularized upper incomplete gamma function Q(a, x) = Gamma(a, x) / Gamma(a): by its power
 * series when x < a + 1, else by its continued fraction (modified Lentz).
 *
 * @param a - shape, > 0
 * @param x - argument, ≥ 0
 * @returns Q(a, x) in [0, 1]; NaN for invalid arguments
 * @example
 * gammaUpperRegularized(1, 2); // 0.1353352832366127 = exp(-2)
 * @see Press, Teukolsky, Vetterling & Flannery (2007) Numerical Recipes, 3rd ed., §6.2.
 */
export function gammaUpperRegularized(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.min(1, Math.exp(logPrefix) * h);
}

/**
 * P(X > x) for X ~ chi-square(df) (R's `pchisq(x, df, lower.tail = FALSE)`).
 *
 *     P(X > x) = Q(df / 2, x / 2)
 *
 * @param x - the statistic
 * @param df - degrees of freedom, > 0
 * @returns the upper tail probability; 1 for x ≤ 0; NaN for invalid df or NaN x
 * @example
 * chiSquareUpperTail(3.841458820694124, 1); // 0.05
 */
export function chiSquareUpperTail(x: number, df: number): number {
  if (Number.isNaN(x) || !(df > 0)) return Number.NaN;
  if (x <= 0) return 1;
  return gammaUpperRegularized(df / 2, x / 2);
}

/**
 * The standard normal quantile (R's `qnorm(p)`), Wichura's algorithm AS 241 (PPND16, about 16
 * significant digits).
 *
 * @param p - probability
 * @returns z with Phi(z) = p; -Infinity at 0, Infinity at 1, NaN outside [0, 1]
 * @example
 * normalQuantile(0.975); // 1.959963984540054
 * @see Wichura (1988) Algorithm AS 241, Applied Statistics 37(3):477-484, doi:10.2307/2347330
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301227 + 33430.57558358813) * r + 67265.7709270087) * r + 45921.95393154987) *
          r +
          13731.69376550946) *
          r +
          1971.5909503065513) *
          r +
          133.14166789178438) *
          r +
          3.3871328727963665)) /
      (((((((r * 5226.495278852546 + 28729.085735721943) * r + 39307.89580009271) * r + 21213.794301586597) *
        r +
        5394.196021424751) *
        r +
        687.1870074920579) *
        r +
        42.31333070160091) *
        r +
        1)
    );
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value =
      (((((((r * 0.0007745450142783414 + 0.022723844989269184) * r + 0.2417807251774506) * r +
        1.2704582524523684) *
        r +
        3.6478483247632045) *
        r +
        5.769497221460691) *
        r +
        4.630337846156546) *
        r +
        1.4234371107496835) /
      (((((((r * 1.0507500716444169e-9 + 0.0005475938084995345) * r + 0.015198666563616457) * r +
        0.14810397642748008) *
        r +
        0.6897673349851) *
        r +
        1.6763848301838038) *
        r +
        2.053191626637759) *
        r +
        1);
  } else {
    r -= 5;
    value =
      (((((((r * 2.0103343992922881e-7 + 2.7115555687434876e-5) * r + 0.0012426609473880784) * r +
        0.026532189526576124) *
        r +
        0.29656057182850487) *
        r +
        1.7848265399172913) *
        r +
        5.463784911164114) *
        r +
        6.657904643501103) /
      (((((((r * 2.0442631033899397e-15 + 1.421511758316446e-7) * r + 1.8463183175100548e-5) * r +
        0.0007868691311456133) *
        r +
        0.014875361290850615) *
        r +
        0.1369298809227358) *
        r +
        0.599832206555888) *
        r +
        1);
  }
  return q < 0 ? -value : value;
}
