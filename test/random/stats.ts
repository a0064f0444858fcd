/**
 * Statistical checks for the random tests: one-sample Kolmogorov–Smirnov and moment tolerances
 * derived from the sample size.
 *
 * Every test draws from a fixed seed, so each check is deterministic; the thresholds are chosen so
 * that a correct sampler passes with overwhelming probability over seeds (a KS p-value below 1e-4,
 * or a moment more than 5 standard errors off, has probability < 1e-4 and < 6e-7 for a correct
 * sampler), while a wrong one (a variance off by 1% at n = 200,000) fails.
 */

/** One-sample KS statistic D = sup |F_n(x) - F(x)| of `sample` against the CDF `cdf`. */
export function ksStatistic(sample: Float64Array, cdf: (x: number) => number): number {
  const x = Float64Array.from(sample).sort();
  const n = x.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(x[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/**
 * Asymptotic p-value of the KS statistic, P(D_n >= d) ≈ Q_KS((sqrt(n) + 0.12 + 0.11/sqrt(n)) d) with
 * Q_KS(t) = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k² t²) (Stephens 1970, J. R. Stat. Soc. B 32(1):115-122).
 */
export function ksPValue(d: number, n: number): number {
  const sn = Math.sqrt(n);
  const t = (sn + 0.12 + 0.11 / sn) * d;
  if (t < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * t * t);
    sum += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-16) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** Sample mean and the four central moments' estimates used for standard errors. */
export function moments(x: Float64Array): { mean: number; variance: number; m4: number } {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean;
    const d2 = d * d;
    m2 += d2;
    m4 += d2 * d2;
  }
  return { mean, variance: m2 / (n - 1), m4: m4 / n };
}

/** Number of standard errors allowed for a moment (two-sided normal tail probability 5.7e-7). */
export const Z = 5;

/**
 * Checks a sample's mean and variance against the true values, each within Z standard errors:
 * SE(mean) = sigma / sqrt(n), SE(variance) = sqrt((mu4 - sigma^4) / n) with mu4 the true fourth
 * central moment (Cramér 1946, §27.4). Returns a description of the failures ("" when none).
 */
export function checkMoments(
  x: Float64Array,
  trueMean: number,
  trueVariance: number,
  trueMu4: number,
): string {
  const n = x.length;
  const { mean, variance } = moments(x);
  const seMean = Math.sqrt(trueVariance / n);
  const seVar = Math.sqrt((trueMu4 - trueVariance * trueVariance) / n);
  const problems: string[] = [];
  if (!(Math.abs(mean - trueMean) <= Z * seMean))
    problems.push(`mean ${mean} vs ${trueMean} (${((mean - trueMean) / seMean).toFixed(1)} SE)`);
  if (!(Math.abs(variance - trueVariance) <= Z * seVar))
    problems.push(
      `variance ${variance} vs ${trueVariance} (${((variance - trueVariance) / seVar).toFixed(1)} SE)`,
    );
  return problems.join("; ");
}

/** Fills a Float64Array with n draws. */
export function sample(n: number, draw: () => number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = draw();
  return x;
}

/**
 * Pearson chi-square goodness-of-fit statistic over the bins delimited by `edges` (plus the two
 * open-ended bins outside them), with expected counts n (F(b) - F(a)). Under the null it is
 * approximately chi-square with (edges.length) degrees of freedom (number of bins - 1). More powerful
 * than KS against local errors in a density (e.g. a wrong ziggurat layer).
 */
export function chiSquareGof(
  sample: Float64Array,
  cdf: (x: number) => number,
  edges: readonly number[],
): { statistic: number; df: number } {
  const counts = new Float64Array(edges.length + 1);
  for (const v of sample) {
    // binary search for the first edge > v
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid]! > v) hi = mid;
      else lo = mid + 1;
    }
    counts[lo] = counts[lo]! + 1;
  }
  const n = sample.length;
  let statistic = 0;
  for (let b = 0; b <= edges.length; b++) {
    const lower = b === 0 ? 0 : cdf(edges[b - 1]!);
    const upper = b === edges.length ? 1 : cdf(edges[b]!);
    const expected = n * (upper - lower);
    statistic += (counts[b]! - expected) ** 2 / expected;
  }
  return { statistic, df: edges.length };
}
