import { describe, expect, it } from "vitest";
import { gemm } from "../../src/linalg/gemm";
import { gemv } from "../../src/linalg/gemv";
import { syrk } from "../../src/linalg/syrk";
import type { Transpose, Uplo } from "../../src/linalg/types";
import { Random } from "../../src/random/generator";
import {
  column,
  extract,
  LAYOUTS,
  matmul,
  padIntact,
  placeVector,
  randomRows,
  readVector,
  relativeError,
  SIZES,
  transpose,
  vectorPadIntact,
} from "./oracle";

// gemv, gemm, syrk against naive nested-array products. Entries are uniform(-1, 1) and inner
// dimensions <= 100, so each computed element has absolute error <= K eps K (Higham 2002, §3.5):
// < 3e-12 relative to 1 + max|result|; 1e-12 is used (observed ~1e-15).
const TOL = 1e-12;
const TRANS: readonly Transpose[] = ["no-transpose", "transpose"];

function op(a: number[][], t: Transpose): number[][] {
  return t === "transpose" ? transpose(a) : a;
}

describe("gemv: y := alpha op(A) x + beta y", () => {
  const rng = Random.fromSeed(202);
  for (const n of SIZES) {
    for (const trans of TRANS) {
      for (const layout of LAYOUTS) {
        it(`${n + 1} × ${n}, ${trans}, ${layout.name}`, () => {
          const M = n + 1; // not square, so swapped dimensions are caught
          const a = randomRows(rng, M, n);
          const rows = trans === "no-transpose" ? M : n;
          const cols = trans === "no-transpose" ? n : M;
          const x = randomRows(rng, cols, 1).map((r) => r[0]!);
          const y = randomRows(rng, rows, 1).map((r) => r[0]!);
          const alpha = 1.5;
          const beta = -0.5;
          const A = layout.place(a);
          const X = placeVector(x, 2);
          const Y = placeVector(y, -1);
          gemv(trans, M, n, alpha, A.buf, A.s1, A.s2, A.off, X.buf, 2, X.off, beta, Y.buf, -1, Y.off);
          const ax = matmul(op(a, trans), column(x));
          const want = ax.map((r, i) => [alpha * r[0]! + beta * y[i]!]);
          expect(relativeError(column(readVector(Y)), want)).toBeLessThan(TOL);
          expect(vectorPadIntact(Y)).toBe(true);
          // beta = 0 does not read y (NaN there does not survive)
          const Z = placeVector(new Array<number>(rows).fill(Number.NaN), 1);
          gemv(trans, M, n, 1, A.buf, A.s1, A.s2, A.off, X.buf, 2, X.off, 0, Z.buf, 1, Z.off);
          expect(relativeError(column(readVector(Z)), ax)).toBeLessThan(TOL);
        });
      }
    }
  }
});

describe("gemm: C := alpha op(A) op(B) + beta C", () => {
  const rng = Random.fromSeed(303);
  for (const n of SIZES) {
    for (const ta of TRANS) {
      for (const tb of TRANS) {
        for (const layout of LAYOUTS) {
          it(`M=${n}, N=${n + 2}, K=${n + 1}, ${ta}/${tb}, ${layout.name}`, () => {
            const M = n;
            const N = n + 2;
            const K = n + 1;
            const a = ta === "no-transpose" ? randomRows(rng, M, K) : randomRows(rng, K, M);
            const b = tb === "no-transpose" ? randomRows(rng, K, N) : randomRows(rng, N, K);
            const c = randomRows(rng, M, N);
            const A = layout.place(a);
            const B = LAYOUTS[(LAYOUTS.indexOf(layout) + 1) % LAYOUTS.length]!.place(b);
            const C = layout.place(c);
            const alpha = 0.75;
            const beta = 2;
            gemm(
              ta,
              tb,
              M,
              N,
              K,
              alpha,
              A.buf,
              A.s1,
              A.s2,
              A.off,
              B.buf,
              B.s1,
              B.s2,
              B.off,
              beta,
              C.buf,
              C.s1,
              C.s2,
              C.off,
            );
            const ab = matmul(op(a, ta), op(b, tb));
            const want = ab.map((row, i) => row.map((v, j) => alpha * v + beta * c[i]![j]!));
            expect(relativeError(extract(C), want)).toBeLessThan(TOL);
            expect(padIntact(C)).toBe(true);
            expect(padIntact(A) && padIntact(B)).toBe(true);
          });
        }
      }
    }
  }

  it("beta = 0 does not read C", () => {
    const C = new Float64Array([Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
    const I = new Float64Array([1, 0, 0, 1]);
    gemm(
      "no-transpose",
      "no-transpose",
      2,
      2,
      2,
      1,
      I,
      2,
      1,
      0,
      new Float64Array([1, 2, 3, 4]),
      2,
      1,
      0,
      0,
      C,
      2,
      1,
      0,
    );
    expect(Array.from(C)).toEqual([1, 2, 3, 4]);
  });
});

describe("syrk: one triangle of alpha A A' or alpha A'A, plus beta C", () => {
  const rng = Random.fromSeed(404);
  const UPLO: readonly Uplo[] = ["lower", "upper"];
  for (const n of SIZES) {
    for (const trans of TRANS) {
      for (const uplo of UPLO) {
        for (const layout of LAYOUTS) {
          it(`N=${n}, K=${n + 3}, ${uplo}, ${trans}, ${layout.name}`, () => {
            const K = n + 3;
            const a = trans === "no-transpose" ? randomRows(rng, n, K) : randomRows(rng, K, n);
            const c = randomRows(rng, n, n);
            const A = layout.place(a);
            const C = layout.place(c);
            syrk(uplo, trans, n, K, -1.25, A.buf, A.s1, A.s2, A.off, 0.5, C.buf, C.s1, C.s2, C.off);
            const prod = trans === "no-transpose" ? matmul(a, transpose(a)) : matmul(transpose(a), a);
            const got = extract(C);
            // the referenced triangle is the update; the other one is untouched
            const want = c.map((row, i) =>
              row.map((v, j) => ((uplo === "lower" ? j <= i : j >= i) ? -1.25 * prod[i]![j]! + 0.5 * v : v)),
            );
            expect(relativeError(got, want)).toBeLessThan(TOL);
            expect(padIntact(C)).toBe(true);
          });
        }
      }
    }
  }
});
