import { describe, expect, it } from "vitest";
import { trmm } from "../../src/linalg/trmm";
import { trmv } from "../../src/linalg/trmv";
import { trsm } from "../../src/linalg/trsm";
import { trsv } from "../../src/linalg/trsv";
import { trtri } from "../../src/linalg/trtri";
import type { Diag, Side, Transpose, Uplo } from "../../src/linalg/types";
import { Random } from "../../src/random/generator";
import {
  column,
  extract,
  LAYOUTS,
  matmul,
  naiveCholesky,
  naiveInverse,
  padIntact,
  placeVector,
  type Rows,
  randomRows,
  randomSpd,
  readVector,
  relativeError,
  SIZES,
  transpose,
  triangle,
  vectorPadIntact,
} from "./oracle";

// Triangular kernels against naive products and Gauss–Jordan inverses, for every combination of
// side, triangle, transpose and unit diagonal, on three storage layouts.
//
// The triangles are Cholesky factors of well-conditioned SPD matrices (see randomSpd), with the other
// triangle filled with garbage (a kernel that reads it fails). Their condition number is below
// sqrt(2.4) ≈ 1.6, so backward-stable substitution has relative error O(n eps) ≈ 2e-14 at n = 100;
// 1e-11 leaves room. The unit-diagonal variants use the same strict triangle with diagonal 1:
// still well conditioned because the strict part of such a factor is small relative to 1.
const TOL = 1e-11;
const UPLO: readonly Uplo[] = ["lower", "upper"];
const TRANS: readonly Transpose[] = ["no-transpose", "transpose"];
const DIAG: readonly Diag[] = ["non-unit", "unit"];
const SIDE: readonly Side[] = ["left", "right"];

/** A stored matrix whose `uplo` triangle is a well-conditioned triangular matrix and the rest garbage. */
function randomTriangular(
  rng: Random,
  n: number,
  uplo: Uplo,
): { stored: Rows; tri: (unit: boolean) => Rows } {
  const l = naiveCholesky(randomSpd(rng, n))!;
  const t = uplo === "lower" ? l : transpose(l);
  const garbage = randomRows(rng, n, n);
  const stored = t.map((row, i) =>
    row.map((v, j) => ((uplo === "lower" ? j <= i : j >= i) ? v : 1e3 * garbage[i]![j]!)),
  );
  return { stored, tri: (unit) => triangle(stored, uplo, unit) };
}

function op(a: Rows, t: Transpose): Rows {
  return t === "transpose" ? transpose(a) : a;
}

describe("trsv and trmv", () => {
  const rng = Random.fromSeed(505);
  for (const n of SIZES)
    for (const uplo of UPLO)
      for (const trans of TRANS)
        for (const diag of DIAG)
          for (const layout of LAYOUTS)
            it(`n=${n}, ${uplo}, ${trans}, ${diag}, ${layout.name}`, () => {
              const { stored, tri } = randomTriangular(rng, n, uplo);
              const t = op(tri(diag === "unit"), trans);
              const b = randomRows(rng, n, 1).map((r) => r[0]!);
              const A = layout.place(stored);

              const X = placeVector(b, -2);
              trsv(uplo, trans, diag, n, A.buf, A.s1, A.s2, A.off, X.buf, X.stride, X.off);
              const x = readVector(X);
              // residual and forward error against Gauss–Jordan
              expect(relativeError(matmul(t, column(x)), column(b))).toBeLessThan(TOL);
              expect(relativeError(column(x), matmul(naiveInverse(t), column(b)))).toBeLessThan(TOL);
              expect(vectorPadIntact(X)).toBe(true);

              const Y = placeVector(b, 3);
              trmv(uplo, trans, diag, n, A.buf, A.s1, A.s2, A.off, Y.buf, Y.stride, Y.off);
              expect(relativeError(column(readVector(Y)), matmul(t, column(b)))).toBeLessThan(TOL);
              expect(vectorPadIntact(Y)).toBe(true);
              expect(extract(A)).toEqual(stored);
            });
});

describe("trsm and trmm", () => {
  const rng = Random.fromSeed(606);
  for (const n of SIZES)
    for (const side of SIDE)
      for (const uplo of UPLO)
        for (const trans of TRANS)
          for (const diag of DIAG) {
            const layouts = n === 100 ? LAYOUTS.slice(0, 2) : LAYOUTS;
            for (const layout of layouts)
              it(`n=${n}, ${side}, ${uplo}, ${trans}, ${diag}, ${layout.name}`, () => {
                const { stored, tri } = randomTriangular(rng, n, uplo);
                const t = op(tri(diag === "unit"), trans);
                // B is not square: M × N with the triangle's order on the multiplied side
                const other = (n % 5) + 2;
                const M = side === "left" ? n : other;
                const N = side === "left" ? other : n;
                const b = randomRows(rng, M, N);
                const alpha = -1.5;
                const A = layout.place(stored);

                const X = LAYOUTS[(LAYOUTS.indexOf(layout) + 1) % LAYOUTS.length]!.place(b);
                trsm(
                  side,
                  uplo,
                  trans,
                  diag,
                  M,
                  N,
                  alpha,
                  A.buf,
                  A.s1,
                  A.s2,
                  A.off,
                  X.buf,
                  X.s1,
                  X.s2,
                  X.off,
                );
                const x = extract(X);
                const ab = b.map((r) => r.map((v) => alpha * v));
                const check = side === "left" ? matmul(t, x) : matmul(x, t);
                expect(relativeError(check, ab)).toBeLessThan(TOL);
                const ti = naiveInverse(t);
                expect(relativeError(x, side === "left" ? matmul(ti, ab) : matmul(ab, ti))).toBeLessThan(TOL);
                expect(padIntact(X)).toBe(true);

                const Y = layout.place(b);
                trmm(
                  side,
                  uplo,
                  trans,
                  diag,
                  M,
                  N,
                  alpha,
                  A.buf,
                  A.s1,
                  A.s2,
                  A.off,
                  Y.buf,
                  Y.s1,
                  Y.s2,
                  Y.off,
                );
                const prod = side === "left" ? matmul(t, b) : matmul(b, t);
                expect(
                  relativeError(
                    extract(Y),
                    prod.map((r) => r.map((v) => alpha * v)),
                  ),
                ).toBeLessThan(TOL);
                expect(padIntact(Y)).toBe(true);
                expect(extract(A)).toEqual(stored);
              });
          }

  it("alpha = 0 sets B to zero (no NaN from B survives)", () => {
    const B = new Float64Array([Number.NaN, 1, 2, 3]);
    trsm(
      "left",
      "lower",
      "no-transpose",
      "non-unit",
      2,
      2,
      0,
      new Float64Array([1, 0, 1, 1]),
      2,
      1,
      0,
      B,
      2,
      1,
      0,
    );
    expect(Array.from(B)).toEqual([0, 0, 0, 0]);
  });
});

describe("trtri", () => {
  const rng = Random.fromSeed(707);
  for (const n of SIZES)
    for (const uplo of UPLO)
      for (const diag of DIAG)
        for (const layout of LAYOUTS)
          it(`n=${n}, ${uplo}, ${diag}, ${layout.name}`, () => {
            const { stored, tri } = randomTriangular(rng, n, uplo);
            const A = layout.place(stored);
            expect(trtri(uplo, diag, n, A.buf, A.s1, A.s2, A.off)).toBe(0);
            const got = extract(A);
            const inSide = (i: number, j: number) => (uplo === "lower" ? j <= i : j >= i);
            const want = naiveInverse(tri(diag === "unit"));
            // inverse in the triangle (diagonal untouched for "unit"), other triangle untouched
            const expected = want.map((row, i) =>
              row.map((v, j) =>
                i === j && diag === "unit" ? stored[i]![i]! : inSide(i, j) ? v : stored[i]![j]!,
              ),
            );
            expect(relativeError(got, expected)).toBeLessThan(TOL);
            expect(padIntact(A)).toBe(true);
          });

  it("returns the 1-based index of a zero diagonal element and leaves A unchanged", () => {
    const A = new Float64Array([2, 0, 0, 1, 0, 0, 1, 1, 3]);
    const before = Array.from(A);
    expect(trtri("lower", "non-unit", 3, A, 3, 1, 0)).toBe(2);
    expect(Array.from(A)).toEqual(before);
  });
});
