import { describe, expect, it } from "vitest";
import { toRows } from "../../src/linalg/matrix";
import { cholesky, inverseSpd } from "../../src/linalg/spd";
import { gamma } from "../../src/random/gamma";
import { Random } from "../../src/random/generator";
import { mvnormCanonical, mvnormCovariance, mvnormPrecision } from "../../src/random/multivariateNormal";
import { normal } from "../../src/random/normal";
import { inverseWishart, inverseWishartWithInverse, wishart } from "../../src/random/wishart";
import { Z } from "./stats";

// Multivariate draws against closed-form means and covariances. Each sample moment is compared with
// its true value within Z = 5 standard errors, with the SE estimated from the draws themselves
// (SE of a mean = sd / sqrt(n); SE of a sample covariance entry = sd of the products / sqrt(n)),
// which is valid for these n (>= 100,000) because all the needed moments exist (df chosen so).

const S = [
  [2, 0.6, -0.3],
  [0.6, 1, 0.2],
  [-0.3, 0.2, 0.5],
];
const MU = [1, -2, 0.5];

/** Sample mean of values with its standard error sd / sqrt(n). */
function meanSe(values: Float64Array): { mean: number; se: number } {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - mean) ** 2;
  return { mean, se: Math.sqrt(ss / (n - 1) / n) };
}

/** Entry k of each flattened matrix-valued draw, with its sample mean and standard error. */
function entryStats(draws: Float64Array[], k: number): { mean: number; se: number; values: Float64Array } {
  const values = Float64Array.from(draws, (d) => d[k]!);
  return { ...meanSe(values), values };
}

/**
 * |sample variance - true variance| of an entry's draws in standard errors, the SE from the draws'
 * fourth central moment: sqrt((m4 - m2²) / n).
 */
function varianceGap(e: { mean: number; values: Float64Array }, variance: number): number {
  const n = e.values.length;
  let m2 = 0;
  let m4 = 0;
  for (const v of e.values) {
    const d = v - e.mean;
    m2 += d * d;
    m4 += d ** 4;
  }
  m2 /= n - 1;
  m4 /= n;
  return Math.abs(m2 - variance) / Math.sqrt((m4 - m2 * m2) / n);
}

/** Checks mean vector and covariance of vector draws against mu and S (entries within Z SE). */
function checkMeanCov(draws: Float64Array[], mu: number[], cov: number[][]): string[] {
  const q = mu.length;
  const n = draws.length;
  const problems: string[] = [];
  const means = mu.map((_, i) => entryStats(draws, i));
  means.forEach((m, i) => {
    if (!(Math.abs(m.mean - mu[i]!) <= Z * m.se)) problems.push(`mean[${i}] ${m.mean} vs ${mu[i]}`);
  });
  for (let i = 0; i < q; i++)
    for (let j = 0; j <= i; j++) {
      const prod = new Float64Array(n);
      for (let t = 0; t < n; t++) prod[t] = (draws[t]![i]! - mu[i]!) * (draws[t]![j]! - mu[j]!);
      const s = entryStats(
        [...prod].map((v) => new Float64Array([v])),
        0,
      );
      if (!(Math.abs(s.mean - cov[i]![j]!) <= Z * s.se))
        problems.push(`cov[${i}][${j}] ${s.mean} vs ${cov[i]![j]}`);
    }
  return problems;
}

describe("multivariate normal draws", () => {
  const n = 100_000;
  const q = 3;

  it("mvnormCovariance: N(mu, S) from the Cholesky factor of S", () => {
    const rng = Random.fromSeed(21);
    const L = cholesky(S).data;
    const mu = new Float64Array(MU);
    const draws = Array.from({ length: n }, () =>
      mvnormCovariance(rng, q, mu, 1, 0, L, q, 1, 0, new Float64Array(q), 1, 0),
    );
    expect(checkMeanCov(draws, MU, S)).toEqual([]);
  });

  it("mvnormPrecision: N(mu, Q^-1) from the Cholesky factor of the precision Q", () => {
    const rng = Random.fromSeed(22);
    const Q = toRows(inverseSpd(S)); // so the covariance is S
    const L = cholesky(Q).data;
    // strided output and mean: stride 2, offset 1
    const mu = new Float64Array([Number.NaN, MU[0]!, Number.NaN, MU[1]!, Number.NaN, MU[2]!]);
    let padding = 0;
    const draws = Array.from({ length: n }, () => {
      const out = new Float64Array(7).fill(Number.NaN);
      mvnormPrecision(rng, q, mu, 2, 1, L, q, 1, 0, out, 2, 1);
      if (!(Number.isNaN(out[0]!) && Number.isNaN(out[2]!) && Number.isNaN(out[4]!) && Number.isNaN(out[6]!)))
        padding++;
      return new Float64Array([out[1]!, out[3]!, out[5]!]);
    });
    expect(padding).toBe(0);
    expect(checkMeanCov(draws, MU, S)).toEqual([]);
  });

  it("mvnormCanonical: N(Q^-1 b, Q^-1) from b and the factor of Q, in place on b", () => {
    const rng = Random.fromSeed(23);
    const Q = toRows(inverseSpd(S));
    const L = cholesky(Q).data;
    const b = Q.map((row) => row.reduce((s, v, j) => s + v * MU[j]!, 0)); // b = Q mu
    const draws = Array.from({ length: n }, () => {
      const x = new Float64Array(b);
      return mvnormCanonical(rng, q, x, 1, 0, L, q, 1, 0, x, 1, 0);
    });
    expect(checkMeanCov(draws, MU, S)).toEqual([]);
  });

  it("null mean is zero; the same seed gives the same draws", () => {
    const L = cholesky(S).data;
    const a = mvnormCovariance(Random.fromSeed(5), q, null, 1, 0, L, q, 1, 0, new Float64Array(q), 1, 0);
    const b = mvnormCovariance(Random.fromSeed(5), q, null, 1, 0, L, q, 1, 0, new Float64Array(q), 1, 0);
    expect(a).toEqual(b);
  });
});

describe("Wishart and inverse-Wishart (Bartlett), DESIGN.md's parametrization", () => {
  const n = 200_000;
  const q = 3;

  it("Wishart(df, S): E[W] = df S, Var(W_ij) = df (S_ij² + S_ii S_jj)", () => {
    const rng = Random.fromSeed(31);
    const df = 6.5;
    const C = cholesky(S).data;
    const work = new Float64Array(q * q);
    const draws = Array.from({ length: n }, () =>
      wishart(rng, q, df, C, q, 1, 0, new Float64Array(q * q), q, 1, 0, work, 0),
    );
    for (let i = 0; i < q; i++)
      for (let j = 0; j < q; j++) {
        const e = entryStats(draws, i * q + j);
        expect(Math.abs(e.mean - df * S[i]![j]!)).toBeLessThan(Z * e.se);
        const variance = df * (S[i]![j]! ** 2 + S[i]![i]! * S[j]![j]!);
        expect(varianceGap(e, variance)).toBeLessThan(Z);
        expect(draws[0]![i * q + j]).toBe(draws[0]![j * q + i]);
      }
  });

  it("InvWishart(df, scale): E = scale/(df-q-1), Var(Psi_ij) = ((df-q+1) s_ij² + (df-q-1) s_ii s_jj) / ((df-q)(df-q-1)²(df-q-3))", () => {
    const rng = Random.fromSeed(32);
    const df = 25; // moments of order < (df - q + 1)/2 = 11.5 exist, enough for the SE of the variance
    const C = cholesky(S).data;
    const work = new Float64Array(2 * q * q + 3).fill(Number.NaN);
    const draws = Array.from({ length: n }, () =>
      inverseWishart(rng, q, df, C, q, 1, 0, new Float64Array(q * q), q, 1, 0, work, 3),
    );
    expect(Number.isNaN(work[0]!) && Number.isNaN(work[2]!)).toBe(true);
    const a = df - q;
    for (let i = 0; i < q; i++)
      for (let j = 0; j < q; j++) {
        const e = entryStats(draws, i * q + j);
        expect(Math.abs(e.mean - S[i]![j]! / (df - q - 1))).toBeLessThan(Z * e.se);
        const variance =
          ((a + 1) * S[i]![j]! ** 2 + (a - 1) * S[i]![i]! * S[j]![j]!) / (a * (a - 1) ** 2 * (a - 3));
        expect(varianceGap(e, variance)).toBeLessThan(Z);
      }
  });

  it("q = 1: InvWishart(df, s) is InvGamma(df/2, s/2) (the uncorrelated-term prior of DESIGN.md)", async () => {
    const { default: invgammaCdf } = await import("@stdlib/stats-base-dists-invgamma-cdf");
    const { ksPValue, ksStatistic } = await import("./stats");
    const rng = Random.fromSeed(33);
    const df = 3;
    const s = 2.5;
    const C = new Float64Array([Math.sqrt(s)]);
    const out = new Float64Array(1);
    const work = new Float64Array(2);
    const x = new Float64Array(n);
    for (let t = 0; t < n; t++) x[t] = inverseWishart(rng, 1, df, C, 1, 1, 0, out, 1, 1, 0, work, 0)[0]!;
    expect(
      ksPValue(
        ksStatistic(x, (v) => invgammaCdf(v, df / 2, s / 2)),
        n,
      ),
    ).toBeGreaterThan(1e-4);
  });

  it("df <= q - 1 gives NaN, not a hang or a throw", () => {
    const C = cholesky(S).data;
    const out = inverseWishart(
      Random.fromSeed(1),
      q,
      1.5,
      C,
      q,
      1,
      0,
      new Float64Array(9),
      q,
      1,
      0,
      new Float64Array(18),
      0,
    );
    expect(out.some((v) => Number.isNaN(v))).toBe(true);
  });

  it("inverseWishartWithInverse: the same Psi as inverseWishart from the same state, and its inverse", () => {
    const C = cholesky(S).data;
    const a = Random.fromSeed(34);
    const b = Random.fromSeed(34);
    const work = new Float64Array(2 * q * q);
    const inv = new Float64Array(q * q);
    for (let t = 0; t < 200; t++) {
      const one = inverseWishart(a, q, 7, C, q, 1, 0, new Float64Array(q * q), q, 1, 0, work, 0);
      const two = inverseWishartWithInverse(
        b,
        q,
        7,
        C,
        q,
        1,
        0,
        new Float64Array(q * q),
        q,
        1,
        0,
        inv,
        q,
        1,
        0,
        work,
        0,
      );
      expect(Array.from(two)).toEqual(Array.from(one));
      // inv Psi = I to rounding (Psi's condition number here stays below 1e4 for these draws).
      for (let i = 0; i < q; i++)
        for (let j = 0; j < q; j++) {
          let v = 0;
          for (let k = 0; k < q; k++) v += inv[i * q + k]! * two[k * q + j]!;
          expect(Math.abs(v - (i === j ? 1 : 0))).toBeLessThan(1e-11);
          expect(inv[i * q + j]).toBe(inv[j * q + i]);
        }
    }
  });

  it("the Bartlett draws come in the documented order: lower normals row by row, then the chi-squares", () => {
    // Rebuild the draw from scalar normal() and gamma() on the same stream and form
    // Psi = C A^-T A^-1 C' densely (inverseSpd of A A', then C (.) C'): equal to rounding.
    const C = cholesky(S).data;
    const df = 6.5;
    const ours = inverseWishart(
      Random.fromSeed(35),
      q,
      df,
      C,
      q,
      1,
      0,
      new Float64Array(q * q),
      q,
      1,
      0,
      new Float64Array(2 * q * q),
      0,
    );
    const rng = Random.fromSeed(35);
    const A = new Float64Array(q * q);
    for (let i = 1; i < q; i++) for (let j = 0; j < i; j++) A[i * q + j] = normal(rng);
    for (let i = 0; i < q; i++) A[i * q + i] = Math.sqrt(2 * gamma(rng, (df - i) / 2));
    const AAt = Array.from({ length: q }, (_, i) =>
      Array.from({ length: q }, (_, j) => {
        let v = 0;
        for (let k = 0; k < q; k++) v += A[i * q + k]! * A[j * q + k]!;
        return v;
      }),
    );
    const W = inverseSpd(AAt).data;
    for (let i = 0; i < q; i++)
      for (let j = 0; j < q; j++) {
        let v = 0;
        for (let k = 0; k < q; k++)
          for (let l = 0; l < q; l++) v += C[i * q + k]! * W[k * q + l]! * C[j * q + l]!;
        expect(Math.abs(ours[i * q + j]! - v)).toBeLessThan(1e-12 * Math.max(1, Math.abs(v)));
      }
  });

  it("inverseWishartWithInverse writes a block of a larger matrix through strides and offsets, nothing else", () => {
    // The sampler's use: a 2 × 2 diagonal block at (1, 1) of a 4 × 4 Psi and its precision.
    const C = new Float64Array([1.5, Number.NaN, 0.3, 0.8]); // upper triangle never read
    const psi = new Float64Array(16).fill(-7);
    const prec = new Float64Array(16).fill(-7);
    inverseWishartWithInverse(
      Random.fromSeed(36),
      2,
      5,
      C,
      2,
      1,
      0,
      psi,
      4,
      1,
      5,
      prec,
      4,
      1,
      5,
      new Float64Array(8),
      0,
    );
    const block = [5, 6, 9, 10];
    for (let k = 0; k < 16; k++) {
      if (block.includes(k)) {
        expect(Number.isFinite(psi[k]!) && Number.isFinite(prec[k]!)).toBe(true);
      } else {
        expect(psi[k]).toBe(-7);
        expect(prec[k]).toBe(-7);
      }
    }
    const det = psi[5]! * psi[10]! - psi[6]! * psi[9]!;
    expect(Math.abs(prec[5]! - psi[10]! / det)).toBeLessThan(1e-12 * Math.abs(prec[5]!));
  });

  it("inverseWishartWithInverse: df <= q - 1 gives NaN in both outputs", () => {
    const C = cholesky(S).data;
    const inv = new Float64Array(9);
    const out = inverseWishartWithInverse(
      Random.fromSeed(1),
      q,
      1.5,
      C,
      q,
      1,
      0,
      new Float64Array(9),
      q,
      1,
      0,
      inv,
      q,
      1,
      0,
      new Float64Array(18),
      0,
    );
    expect(out.some((v) => Number.isNaN(v))).toBe(true);
    expect(inv.some((v) => Number.isNaN(v))).toBe(true);
  });
});
