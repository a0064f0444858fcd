import { describe, expect, it } from "vitest";
import { gemm } from "../../src/linalg/gemm";
import { potri } from "../../src/linalg/potri";
import { syrk } from "../../src/linalg/syrk";
import { trmm } from "../../src/linalg/trmm";
import { trsm } from "../../src/linalg/trsm";
import { Random } from "../../src/random/generator";
import { matmul, naiveInverse, randomRows, relativeError, transpose, triangle } from "./oracle";

// Branches the random oracle tests rarely reach: exact zeros in the inputs (skipped multiply-adds),
// alpha = 0, beta = 1, and failure returns. Tolerances as in the oracle tests (1e-12 to 1e-11:
// well-conditioned inputs, O(n eps) errors).

/** A random matrix with about half its entries exactly 0 (as in sparse-ish design blocks). */
function sparseRows(rng: Random, rows: number, cols: number): number[][] {
  return randomRows(rng, rows, cols).map((r) => r.map((v) => (rng.uniform() < 0.5 ? 0 : v)));
}

describe("exact zeros and special scalars", () => {
  const rng = Random.fromSeed(1301);

  it("gemm with zeros in A and beta = 1 (accumulate)", () => {
    const a = sparseRows(rng, 6, 5);
    const b = randomRows(rng, 5, 4);
    const c = randomRows(rng, 6, 4);
    const C = new Float64Array(c.flat());
    gemm(
      "no-transpose",
      "no-transpose",
      6,
      4,
      5,
      2,
      new Float64Array(a.flat()),
      5,
      1,
      0,
      new Float64Array(b.flat()),
      4,
      1,
      0,
      1,
      C,
      4,
      1,
      0,
    );
    const want = matmul(a, b).map((r, i) => r.map((v, j) => 2 * v + c[i]![j]!));
    const got = Array.from({ length: 6 }, (_, i) => Array.from(C.subarray(i * 4, i * 4 + 4)));
    expect(relativeError(got, want)).toBeLessThan(1e-12);
  });

  it("syrk with zeros in A, and alpha = 0 (only beta C)", () => {
    const a = sparseRows(rng, 7, 4);
    const C = new Float64Array(16).fill(1);
    syrk("lower", "transpose", 4, 7, 1, new Float64Array(a.flat()), 4, 1, 0, 1, C, 4, 1, 0);
    const ata = matmul(transpose(a), a);
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) expect(C[i * 4 + j]).toBeCloseTo(j <= i ? ata[i]![j]! + 1 : 1, 12);
    const D = new Float64Array([1, 2, 3, 4]);
    syrk(
      "upper",
      "no-transpose",
      2,
      3,
      0,
      new Float64Array([Number.NaN, 1, 1, 1, 1, 1]),
      3,
      1,
      0,
      3,
      D,
      2,
      1,
      0,
    );
    expect(Array.from(D)).toEqual([3, 6, 3, 12]);
  });

  it("trsm and trmm with zeros in the triangle, and trmm with alpha = 0", () => {
    const n = 6;
    const t = triangle(sparseRows(rng, n, n), "lower").map((r, i) =>
      r.map((v, j) => (i === j ? 1 + Math.abs(v) : v)),
    );
    const b = randomRows(rng, n, 3);
    const X = new Float64Array(b.flat());
    trsm(
      "left",
      "lower",
      "no-transpose",
      "non-unit",
      n,
      3,
      1,
      new Float64Array(t.flat()),
      n,
      1,
      0,
      X,
      3,
      1,
      0,
    );
    const x = Array.from({ length: n }, (_, i) => Array.from(X.subarray(i * 3, i * 3 + 3)));
    expect(relativeError(x, matmul(naiveInverse(t), b))).toBeLessThan(1e-11);
    const Y = new Float64Array(b.flat());
    trmm(
      "left",
      "lower",
      "no-transpose",
      "non-unit",
      n,
      3,
      1,
      new Float64Array(t.flat()),
      n,
      1,
      0,
      Y,
      3,
      1,
      0,
    );
    const y = Array.from({ length: n }, (_, i) => Array.from(Y.subarray(i * 3, i * 3 + 3)));
    expect(relativeError(y, matmul(t, b))).toBeLessThan(1e-12);
    const Z = new Float64Array([Number.NaN, 1, 2, 3]);
    trmm("right", "upper", "transpose", "unit", 2, 2, 0, new Float64Array([1, 5, 0, 1]), 2, 1, 0, Z, 2, 1, 0);
    expect(Array.from(Z)).toEqual([0, 0, 0, 0]);
  });

  it("potri reports a zero diagonal of the factor (1-based) and leaves it unchanged", () => {
    const L = new Float64Array([1, 0, 0, 2, 0, 0, 3, 4, 5]);
    expect(potri(3, L, 3, 1, 0)).toBe(2);
    expect(Array.from(L)).toEqual([1, 0, 0, 2, 0, 0, 3, 4, 5]);
  });
});
