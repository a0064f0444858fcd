import { describe, expect, it } from "vitest";
import { axpy } from "../../src/linalg/axpy";
import { copy } from "../../src/linalg/copy";
import { dot } from "../../src/linalg/dot";
import { scal } from "../../src/linalg/scal";
import { Random } from "../../src/random/generator";
import { placeVector, readVector, SIZES, VECTOR_STRIDES, vectorPadIntact } from "./oracle";

// Level-1 kernels against plain loops over number[]; every stride (1, 2, negative) and size.
// Tolerance: a sum of n products has rounding error <= n eps sum|x_i y_i| (Higham 2002, §3.1);
// with |x_i|, |y_i| <= 1 and n <= 100 that is < 3e-14, so 1e-13 absolute.
const TOL = 1e-13;

function vec(rng: Random, n: number): number[] {
  return Array.from({ length: n }, () => 2 * rng.uniform() - 1);
}

describe("level-1 kernels against plain loops", () => {
  const rng = Random.fromSeed(101);
  for (const n of SIZES) {
    for (const sx of VECTOR_STRIDES) {
      for (const sy of VECTOR_STRIDES) {
        it(`n=${n}, strideX=${sx}, strideY=${sy}`, () => {
          const x = vec(rng, n);
          const y = vec(rng, n);
          const alpha = 2 * rng.uniform() - 1;
          const X = placeVector(x, sx);
          const Y = placeVector(y, sy);

          let expectDot = 0;
          for (let i = 0; i < n; i++) expectDot += x[i]! * y[i]!;
          expect(Math.abs(dot(n, X.buf, sx, X.off, Y.buf, sy, Y.off) - expectDot)).toBeLessThan(TOL);

          axpy(n, alpha, X.buf, sx, X.off, Y.buf, sy, Y.off);
          const got = readVector(Y);
          for (let i = 0; i < n; i++) expect(Math.abs(got[i]! - (y[i]! + alpha * x[i]!))).toBeLessThan(TOL);
          expect(vectorPadIntact(Y)).toBe(true);
          expect(readVector(X)).toEqual(x);

          const Z = placeVector(new Array<number>(n).fill(0), sy);
          copy(n, X.buf, sx, X.off, Z.buf, sy, Z.off);
          expect(readVector(Z)).toEqual(x);
          scal(n, alpha, Z.buf, sy, Z.off);
          expect(readVector(Z)).toEqual(x.map((v) => alpha * v));
          expect(vectorPadIntact(Z)).toBe(true);
        });
      }
    }
  }

  it("scal by 0 clears NaN and axpy by 0 leaves y alone; N = 0 touches nothing", () => {
    const z = new Float64Array([Number.NaN, 1]);
    expect(Array.from(scal(2, 0, z, 1, 0))).toEqual([0, 0]);
    const y = new Float64Array([1, 2]);
    axpy(2, 0, new Float64Array([Number.NaN, Number.NaN]), 1, 0, y, 1, 0);
    expect(Array.from(y)).toEqual([1, 2]);
    expect(dot(0, y, 1, 0, y, 1, 0)).toBe(0);
  });
});
