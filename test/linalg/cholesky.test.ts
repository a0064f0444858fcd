import { CholeskyDecomposition, determinant, inverse, Matrix, solve } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { lauum } from "../../src/linalg/lauum";
import { logdetFromCholesky } from "../../src/linalg/logdetFromCholesky";
import { potrf } from "../../src/linalg/potrf";
import { potrfBlockDiagonal } from "../../src/linalg/potrfBlockDiagonal";
import { potri } from "../../src/linalg/potri";
import { potrs } from "../../src/linalg/potrs";
import { symmetrize } from "../../src/linalg/symmetrize";
import { Random } from "../../src/random/generator";
import {
  extract,
  LAYOUTS,
  matmul,
  naiveCholesky,
  naiveInverse,
  padIntact,
  type Rows,
  randomRows,
  randomSpd,
  relativeError,
  SIZES,
  transpose,
  triangle,
} from "./oracle";

// Cholesky and what is built on it, against the textbook Cholesky, Gauss–Jordan inverses and
// ml-matrix (an independent implementation). Inputs are well conditioned (cond < 2.4, see randomSpd),
// so backward-stable results agree to O(n eps) ≈ 2e-14 at n = 100; the tolerance 1e-11 leaves room
// while still catching any wrong index (which gives O(1) errors).
const TOL = 1e-11;

function lowerOf(m: Rows): Rows {
  return triangle(m, "lower");
}

describe("potrf", () => {
  const rng = Random.fromSeed(808);
  for (const n of SIZES)
    for (const layout of LAYOUTS)
      it(`n=${n}, ${layout.name}: L L' = A, equals the textbook factor and ml-matrix's`, () => {
        const a = randomSpd(rng, n);
        // garbage in the strict upper triangle: potrf must neither read nor write it
        const garbage = randomRows(rng, n, n);
        const stored = a.map((row, i) => row.map((v, j) => (j > i ? 1e6 * garbage[i]![j]! : v)));
        const A = layout.place(stored);
        expect(potrf(n, A.buf, A.s1, A.s2, A.off)).toBe(0);
        const got = extract(A);
        const l = lowerOf(got);
        expect(relativeError(matmul(l, transpose(l)), a)).toBeLessThan(TOL);
        expect(relativeError(l, naiveCholesky(a)!)).toBeLessThan(TOL);
        const ml = new CholeskyDecomposition(new Matrix(a));
        expect(ml.isPositiveDefinite()).toBe(true);
        expect(relativeError(l, ml.lowerTriangularMatrix.to2DArray())).toBeLessThan(TOL);
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(got[i]![j]).toBe(stored[i]![j]);
        expect(padIntact(A)).toBe(true);
      });

  it("returns the 1-based failing column on matrices that are not positive definite", () => {
    // L L' with L = [[2, 0, 0], [1, 2, 0], [3, 1, 0]]: rank 2, and every step of the factorization is
    // exact in binary, so the pivot of column 3 is exactly 0
    const rankTwo = [
      [4, 2, 6],
      [2, 5, 5],
      [6, 5, 10],
    ];
    const cases: [Rows, number][] = [
      [[[-1]], 1],
      [[[0]], 1],
      [
        [
          [4, 2],
          [2, 1],
        ],
        2,
      ], // singular
      [
        [
          [1, 2],
          [2, 1],
        ],
        2,
      ], // indefinite
      [
        [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, -3],
        ],
        3,
      ],
      [rankTwo, 3],
      [[[Number.NaN]], 1],
    ];
    for (const [a, column] of cases) {
      const n = a.length;
      const A = new Float64Array(a.flat());
      expect(potrf(n, A, n, 1, 0)).toBe(column);
      // agrees with the textbook version about failing
      expect(naiveCholesky(a)).toBeNull();
    }
    // a large random matrix made indefinite at column 38
    const rng = Random.fromSeed(809);
    const a = randomSpd(rng, 50);
    a[37]![37] = -100;
    const A = new Float64Array(a.flat());
    expect(potrf(50, A, 50, 1, 0)).toBe(38);
  });

  it("reports every possible failing column, first or second of a column pair, odd or even n", () => {
    // A diagonal element set to -1 makes that column's pivot negative (it only subtracts squares)
    // while the columns before it stay positive definite.
    const rng = Random.fromSeed(810);
    for (const n of [1, 2, 5, 6, 9]) {
      const a = randomSpd(rng, n);
      for (let c = 1; c <= n; c++) {
        const bad = a.map((row) => [...row]);
        bad[c - 1]![c - 1] = -1;
        for (const layout of LAYOUTS) {
          const A = layout.place(bad);
          expect(potrf(n, A.buf, A.s1, A.s2, A.off)).toBe(c);
          expect(padIntact(A)).toBe(true);
        }
      }
    }
  });

  it("n = 0 succeeds and touches nothing", () => {
    const A = new Float64Array([Number.NaN]);
    expect(potrf(0, A, 0, 1, 0)).toBe(0);
    expect(Number.isNaN(A[0])).toBe(true);
  });
});

describe("potrs, potri, lauum, logdetFromCholesky, symmetrize", () => {
  const rng = Random.fromSeed(909);
  for (const n of SIZES)
    for (const layout of LAYOUTS)
      it(`n=${n}, ${layout.name}`, () => {
        const a = randomSpd(rng, n);
        const l = naiveCholesky(a)!;
        const L = layout.place(l);

        // potrs, several right-hand sides, against A X = B and ml-matrix's solve
        const b = randomRows(rng, n, 3);
        const B = LAYOUTS[(LAYOUTS.indexOf(layout) + 1) % LAYOUTS.length]!.place(b);
        potrs(n, 3, L.buf, L.s1, L.s2, L.off, B.buf, B.s1, B.s2, B.off);
        const x = extract(B);
        expect(relativeError(matmul(a, x), b)).toBeLessThan(TOL);
        expect(relativeError(x, solve(new Matrix(a), new Matrix(b)).to2DArray())).toBeLessThan(TOL);
        expect(padIntact(B)).toBe(true);

        // logdet against ml-matrix's determinant (LU) for sizes where it does not overflow
        const logdet = logdetFromCholesky(n, L.buf, L.s1, L.s2, L.off);
        expect(Math.abs(logdet - Math.log(determinant(new Matrix(a))))).toBeLessThan(1e-10 * n);

        // lauum: L'L
        const W = layout.place(l);
        lauum(n, W.buf, W.s1, W.s2, W.off);
        expect(relativeError(lowerOf(extract(W)), lowerOf(matmul(transpose(l), l)))).toBeLessThan(TOL);

        // potri: lower triangle of A^-1, upper untouched; symmetrize completes it
        const upperMark = l.map((row, i) => row.map((v, j) => (j > i ? 7 : v)));
        const P = layout.place(upperMark);
        expect(potri(n, P.buf, P.s1, P.s2, P.off)).toBe(0);
        const inv = naiveInverse(a);
        const got = extract(P);
        expect(relativeError(lowerOf(got), lowerOf(inv))).toBeLessThan(TOL);
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(got[i]![j]).toBe(7);
        symmetrize("lower", n, P.buf, P.s1, P.s2, P.off);
        expect(relativeError(extract(P), inverse(new Matrix(a)).to2DArray())).toBeLessThan(TOL);
        expect(padIntact(P)).toBe(true);

        // symmetrize from the upper triangle
        const U = layout.place(transpose(l));
        symmetrize("upper", n, U.buf, U.s1, U.s2, U.off);
        const sym = extract(U);
        expect(relativeError(sym, transpose(sym))).toBe(0);
        expect(relativeError(lowerOf(sym), l)).toBe(0);
      });
});

describe("potrfBlockDiagonal", () => {
  it("factors each block and reports the global failing column", () => {
    const rng = Random.fromSeed(1001);
    for (const q of [1, 2, 3, 5]) {
      const m = 7;
      const blocks = Array.from({ length: m }, () => randomSpd(rng, q));
      // blocks stored one after another, each column-major with padding 1 between blocks
      const strideBlock = q * q + 1;
      const A = new Float64Array(m * strideBlock).fill(Number.NaN);
      blocks.forEach((blk, b) => {
        for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) A[b * strideBlock + i + j * q] = blk[i]![j]!;
      });
      expect(potrfBlockDiagonal(m, q, A, strideBlock, 1, q, 0)).toBe(0);
      blocks.forEach((blk, b) => {
        const got = Array.from({ length: q }, (_, i) =>
          Array.from({ length: q }, (_, j) => (j <= i ? A[b * strideBlock + i + j * q]! : 0)),
        );
        expect(relativeError(got, naiveCholesky(blk)!)).toBeLessThan(TOL);
      });
      for (let b = 0; b < m; b++) expect(Number.isNaN(A[b * strideBlock + q * q])).toBe(true);

      // block 4 (0-based) made indefinite at its last column
      const bad = blocks.map((blk) => blk.map((r) => [...r]));
      bad[4]![q - 1]![q - 1] = -1;
      const B = new Float64Array(bad.flatMap((blk) => blk.flat()));
      expect(potrfBlockDiagonal(m, q, B, q * q, q, 1, 0)).toBe(4 * q + q);
    }
  });
});

describe("a blocked Cholesky composed from the kernels equals the dense one", () => {
  // The lme4/MixedModels.jl structure: A = [[A11, A21'], [A21, A22]] with A11 block-diagonal (m
  // blocks of order q). Then L11 = blockwise chol(A11), L21 = A21 L11^-T (trsm on the right, block by
  // block), L22 = chol(A22 - L21 L21') (syrk, potrf). This is the recipe src/reml follows.
  it("m = 12 blocks of order 2 plus a dense 5 × 5 block", async () => {
    const { trsm } = await import("../../src/linalg/trsm");
    const { syrk } = await import("../../src/linalg/syrk");
    const rng = Random.fromSeed(1101);
    const m = 12;
    const q = 2;
    const p = 5;
    const n1 = m * q;
    const n = n1 + p;
    // a positive definite matrix with block-diagonal leading block: Z'Z structure from random "rows"
    const full: Rows = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let b = 0; b < m; b++) {
      const zb = randomRows(rng, 4, q); // 4 observations of the q columns of level b
      const xb = randomRows(rng, 4, p);
      const zx = [...zb.map((r, i) => [...r, ...xb[i]!])];
      const cols = [
        ...Array.from({ length: q }, (_, k) => b * q + k),
        ...Array.from({ length: p }, (_, k) => n1 + k),
      ];
      const g = matmul(transpose(zx), zx);
      cols.forEach((ci, i) => {
        cols.forEach((cj, j) => {
          full[ci]![cj] = full[ci]![cj]! + g[i]![j]!;
        });
      });
    }
    for (let i = 0; i < n; i++) full[i]![i] = full[i]![i]! + 1;

    const A11 = new Float64Array(m * q * q);
    for (let b = 0; b < m; b++)
      for (let i = 0; i < q; i++)
        for (let j = 0; j < q; j++) A11[b * q * q + i * q + j] = full[b * q + i]![b * q + j]!;
    const A21 = new Float64Array(p * n1);
    for (let i = 0; i < p; i++) for (let j = 0; j < n1; j++) A21[i * n1 + j] = full[n1 + i]![j]!;
    const A22 = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) A22[i * p + j] = full[n1 + i]![n1 + j]!;

    expect(potrfBlockDiagonal(m, q, A11, q * q, q, 1, 0)).toBe(0);
    for (let b = 0; b < m; b++)
      trsm("right", "lower", "transpose", "non-unit", p, q, 1, A11, q, 1, b * q * q, A21, n1, 1, b * q);
    syrk("lower", "no-transpose", p, n1, -1, A21, n1, 1, 0, 1, A22, p, 1, 0);
    expect(potrf(p, A22, p, 1, 0)).toBe(0);

    const dense = naiveCholesky(full)!;
    const blocked: Rows = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let b = 0; b < m; b++)
      for (let i = 0; i < q; i++)
        for (let j = 0; j <= i; j++) blocked[b * q + i]![b * q + j] = A11[b * q * q + i * q + j]!;
    for (let i = 0; i < p; i++) for (let j = 0; j < n1; j++) blocked[n1 + i]![j] = A21[i * n1 + j]!;
    for (let i = 0; i < p; i++) for (let j = 0; j <= i; j++) blocked[n1 + i]![n1 + j] = A22[i * p + j]!;
    expect(relativeError(blocked, dense)).toBeLessThan(TOL);
  });
});
