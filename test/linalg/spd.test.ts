import { CholeskyDecomposition, inverse, Matrix } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { ArgumentError, LmmError } from "../../src/errors";
import { toDenseMatrix, toRows } from "../../src/linalg/matrix";
import { cholesky, inverseSpd, logDetSpd, NotPositiveDefiniteError, solveSpd } from "../../src/linalg/spd";
import { Random } from "../../src/random/generator";
import { matmul, randomRows, randomSpd, relativeError, SIZES, transpose } from "./oracle";

// The validated wrappers against ml-matrix; tolerance as in cholesky.test.ts (well-conditioned
// inputs, O(n eps) agreement expected, 1e-11 allowed).
const TOL = 1e-11;

describe("cholesky, solveSpd, inverseSpd, logDetSpd against ml-matrix", () => {
  const rng = Random.fromSeed(1201);
  for (const n of SIZES)
    it(`n=${n}`, () => {
      const a = randomSpd(rng, n);
      const l = toRows(cholesky(a));
      expect(
        relativeError(l, new CholeskyDecomposition(new Matrix(a)).lowerTriangularMatrix.to2DArray()),
      ).toBeLessThan(TOL);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l[i]![j]).toBe(0);

      const b = randomRows(rng, n, 1).map((r) => r[0]!);
      const x = solveSpd(a, b);
      expect(x).toBeInstanceOf(Float64Array);
      expect(
        relativeError(
          matmul(
            a,
            Array.from(x, (v) => [v]),
          ),
          b.map((v) => [v]),
        ),
      ).toBeLessThan(TOL);
      const B = randomRows(rng, n, 2);
      const X = toRows(solveSpd(a, B));
      expect(relativeError(matmul(a, X), B)).toBeLessThan(TOL);

      const inv = toRows(inverseSpd(a));
      expect(relativeError(inv, inverse(new Matrix(a)).to2DArray())).toBeLessThan(TOL);
      expect(relativeError(inv, transpose(inv))).toBe(0);

      let logdet = 0;
      for (let i = 0; i < n; i++) logdet += 2 * Math.log(l[i]![i]!);
      expect(logDetSpd(a)).toBeCloseTo(logdet, 12);
    });

  it("accepts a DenseMatrix and never aliases or changes the input", () => {
    const data = new Float64Array([4, 2, 2, 5]);
    const l = cholesky({ rows: 2, cols: 2, data });
    expect(Array.from(l.data)).toEqual([2, 0, 1, 2]);
    expect(Array.from(data)).toEqual([4, 2, 2, 5]);
    expect(
      Array.from(
        solveSpd(
          [
            [4, 2],
            [2, 5],
          ],
          [6, 7],
        ),
      ),
    ).toEqual([1, 1]);
    expect(
      Array.from(
        inverseSpd([
          [4, 2],
          [2, 5],
        ]).data,
      ),
    ).toEqual([0.3125, -0.125, -0.125, 0.25]);
    expect(
      logDetSpd([
        [4, 2],
        [2, 5],
      ]),
    ).toBeCloseTo(Math.log(16), 14);
  });
});

describe("errors", () => {
  it("a matrix that is not positive definite: NOT_POSITIVE_DEFINITE naming the argument and column", () => {
    const a = [
      [1, 0, 0],
      [0, 2, 0],
      [0, 0, -1],
    ];
    let error: unknown;
    try {
      cholesky(a, "priors.psi.Subject.scale");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NotPositiveDefiniteError);
    expect(error).toBeInstanceOf(LmmError);
    const e = error as NotPositiveDefiniteError;
    expect(e.code).toBe("NOT_POSITIVE_DEFINITE");
    expect(e.column).toBe(3);
    expect(e.matrix).toBe("priors.psi.Subject.scale");
    expect(e.message).toContain("`priors.psi.Subject.scale` is not positive definite");
    expect(e.message).toContain("column 3");
    expect(() => inverseSpd([[0]])).toThrow(NotPositiveDefiniteError);
    expect(() => solveSpd([[-2]], [1])).toThrow(NotPositiveDefiniteError);
    expect(() =>
      logDetSpd([
        [1, 2],
        [2, 1],
      ]),
    ).toThrow(/column 2/);
  });

  it("malformed input: ArgumentError naming what is wrong", () => {
    expect(() => cholesky([[1, 2, 3]], "S")).toThrow(ArgumentError);
    expect(() => cholesky([[1, 2, 3]], "S")).toThrow(/`S` must be a square matrix, not 1 × 3/);
    expect(() => cholesky([[1, 2], [3]], "S")).toThrow(/equally long/);
    expect(() =>
      cholesky(
        [
          [1, 2],
          [2.5, 1],
        ],
        "S",
      ),
    ).toThrow(/must be symmetric, but element \[1\]\[0\] is 2.5/);
    expect(() =>
      cholesky(
        [
          [1, Number.NaN],
          [Number.NaN, 1],
        ],
        "S",
      ),
    ).toThrow(/`S\[0\]\[1\]` must be a finite number/);
    expect(() => cholesky([], "S")).toThrow(ArgumentError);
    expect(() =>
      cholesky(
        [
          [1, "2" as unknown as number],
          [2, 1],
        ],
        "S",
      ),
    ).toThrow(/`S\[0\]\[1\]` must be a number/);
    expect(() => solveSpd([[1]], [1, 2])).toThrow(/`b` must have 1 elements/);
    expect(() => solveSpd([[1]], [[1], [2]])).toThrow(/`b` must have 1 rows/);
    expect(() => solveSpd([[1]], [Number.POSITIVE_INFINITY])).toThrow(/`b\[0\]` must be a finite number/);
    expect(() => toDenseMatrix({ rows: 2, cols: 2, data: new Float64Array(3) }, "M")).toThrow(ArgumentError);
    expect(() => toDenseMatrix(42, "M")).toThrow(/`M` must be a matrix/);
  });

  it("tiny asymmetry from rounding is accepted", () => {
    const a = [
      [2, 1 + 1e-14],
      [1, 2],
    ];
    expect(() => cholesky(a)).not.toThrow();
  });
});
