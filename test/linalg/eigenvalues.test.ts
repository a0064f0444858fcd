import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { symmetricEigenvalues } from "../../src/linalg/symmetricEigenvalues";
import { Random } from "../../src/random/generator";
import { extract, LAYOUTS, padIntact, randomRows, SIZES, transpose } from "./oracle";

// symmetricEigenvalues (Jacobi) against ml-matrix's EigenvalueDecomposition (tridiagonal QL, an
// independent method) on seeded random symmetric matrices with entries in (-1, 1): eigenvalues are
// O(sqrt(n)), and both methods are backward stable, so they agree to O(n eps ||A||) ≈ 1e-13 at n = 100;
// 1e-10 absolute leaves room while any wrong rotation or index gives O(1) errors.
const TOL = 1e-10;

function symmetric(rng: Random, n: number): number[][] {
  const b = randomRows(rng, n, n);
  const bt = transpose(b);
  return b.map((row, i) => row.map((v, j) => (v + bt[i]![j]!) / 2));
}

describe("symmetricEigenvalues (cyclic Jacobi)", () => {
  const rng = Random.fromSeed(1301);
  for (const n of SIZES)
    for (const layout of LAYOUTS)
      it(`n = ${n}, ${layout.name}: ml-matrix's eigenvalues, ascending; A and its padding untouched`, () => {
        const a = symmetric(rng, n);
        const A = layout.place(a);
        const before = A.buf.slice();
        const w = new Float64Array(2 * n + 1).fill(Number.NaN);
        const work = new Float64Array(n * n + 2);
        symmetricEigenvalues(n, A.buf, A.s1, A.s2, A.off, w, 2, 1, work, 2);
        const ours = Array.from({ length: n }, (_, i) => w[1 + 2 * i]!);
        const reference = [
          ...new EigenvalueDecomposition(new Matrix(a), { assumeSymmetric: true }).realEigenvalues,
        ].sort((x, y) => x - y);
        for (let i = 0; i < n; i++) expect(Math.abs(ours[i]! - reference[i]!)).toBeLessThan(TOL);
        for (let i = 1; i < n; i++) expect(ours[i]!).toBeGreaterThanOrEqual(ours[i - 1]!);
        for (let i = 0; i <= n; i++) expect(w[2 * i]).toBeNaN(); // nothing written between the strides
        expect(Array.from(A.buf)).toEqual(Array.from(before));
        expect(padIntact(A)).toBe(true);
        expect(extract(A)).toEqual(a);
      });

  it("known answers: [[2, 1], [1, 2]] has 1 and 3; a diagonal matrix its sorted diagonal; 1 × 1 itself", () => {
    const w = new Float64Array(2);
    symmetricEigenvalues(2, new Float64Array([2, 1, 1, 2]), 2, 1, 0, w, 1, 0, new Float64Array(4), 0);
    expect(Math.abs(w[0]! - 1)).toBeLessThan(1e-15);
    expect(Math.abs(w[1]! - 3)).toBeLessThan(1e-15);
    const d = new Float64Array(3);
    symmetricEigenvalues(
      3,
      new Float64Array([5, 0, 0, 0, -2, 0, 0, 0, 0.5]),
      3,
      1,
      0,
      d,
      1,
      0,
      new Float64Array(9),
      0,
    );
    expect(Array.from(d)).toEqual([-2, 0.5, 5]);
    const one = new Float64Array(1);
    symmetricEigenvalues(1, new Float64Array([-4]), 1, 1, 0, one, 1, 0, new Float64Array(1), 0);
    expect(one[0]).toBe(-4);
  });

  it("an indefinite Hessian-like matrix: the smallest eigenvalue's sign (what the REML check reads)", () => {
    // [[1, 2], [2, 1]]: eigenvalues -1 and 3.
    const w = new Float64Array(2);
    symmetricEigenvalues(2, new Float64Array([1, 2, 2, 1]), 2, 1, 0, w, 1, 0, new Float64Array(4), 0);
    expect(w[0]!).toBeCloseTo(-1, 14);
    expect(w[1]!).toBeCloseTo(3, 14);
  });
});
