/**
 * aliasedColumns (Householder QR with dqrdc2's limited pivoting) against a naive oracle: greedy
 * left-to-right selection by the residual of least squares on the columns kept so far, computed by
 * twice-orthogonalized Gram–Schmidt on seeded random matrices with planted dependencies.
 */
import { describe, expect, it } from "vitest";
import { aliasedColumns, aliasedColumnsFromCrossproducts } from "../../src/design/rank";
import { Random } from "../../src/random/generator";

/** Oracle: residual norm of column j after projecting out the kept columns (Gram–Schmidt, twice). */
function naiveAliased(n: number, p: number, a: Float64Array, tol: number): number[] {
  const basis: Float64Array[] = [];
  const out: number[] = [];
  for (let j = 0; j < p; j++) {
    const v = a.slice(j * n, j * n + n);
    const norm0 = Math.hypot(...v) || 1;
    for (let pass = 0; pass < 2; pass++)
      for (const q of basis) {
        let s = 0;
        for (let i = 0; i < n; i++) s += q[i]! * v[i]!;
        for (let i = 0; i < n; i++) v[i] = v[i]! - s * q[i]!;
      }
    const r = Math.hypot(...v);
    if (r < tol * norm0) out.push(1);
    else {
      out.push(0);
      basis.push(v.map((x) => x / r));
    }
  }
  return out;
}

function randomMatrix(rng: Random, n: number, p: number): Float64Array {
  const a = new Float64Array(n * p);
  for (let k = 0; k < a.length; k++) a[k] = rng.uniform() * 2 - 1;
  return a;
}

describe("aliasedColumns", () => {
  it("finds a column equal to a combination of earlier ones, and a zero column", () => {
    // columns: 1, x, 2 + 3x (aliased), 0 (aliased), x^2
    const n = 5;
    const x = [0, 1, 2, 3, 4];
    const cols = [x.map(() => 1), x, x.map((v) => 2 + 3 * v), x.map(() => 0), x.map((v) => v * v)];
    const a = Float64Array.from(cols.flat());
    expect(Array.from(aliasedColumns(n, 5, a, 1e-7))).toEqual([0, 0, 1, 1, 0]);
  });

  it("keeps everything of a full-rank matrix and drops columns past rank n", () => {
    const rng = Random.fromSeed(1);
    expect(Array.from(aliasedColumns(6, 4, randomMatrix(rng, 6, 4), 1e-7))).toEqual([0, 0, 0, 0]);
    expect(Array.from(aliasedColumns(3, 5, randomMatrix(rng, 3, 5), 1e-7))).toEqual([0, 0, 0, 1, 1]);
  });

  it("agrees with the Gram–Schmidt oracle on 200 seeded matrices with planted dependencies", () => {
    const rng = Random.fromSeed(20261122);
    for (let trial = 0; trial < 200; trial++) {
      const n = 4 + Math.floor(rng.uniform() * 30);
      const p = 1 + Math.floor(rng.uniform() * 8);
      const a = randomMatrix(rng, n, p);
      // plant: some columns become combinations of earlier ones, some are scaled near-copies
      for (let j = 1; j < p; j++) {
        const u = rng.uniform();
        if (u < 0.3) {
          const k = Math.floor(rng.uniform() * j);
          const c = rng.uniform() * 4 - 2;
          for (let i = 0; i < n; i++) a[j * n + i] = a[k * n + i]! * c + (j > 1 ? a[(j - 1) * n + i]! : 0);
        } else if (u < 0.4) {
          for (let i = 0; i < n; i++) a[j * n + i] = 0;
        }
      }
      const expected = naiveAliased(n, p, a, 1e-7);
      expect(Array.from(aliasedColumns(n, p, a.slice(), 1e-7))).toEqual(expected);
    }
  });

  it("uses the tolerance relative to the column's own norm", () => {
    // second column = first + 1e-9 * e_0: relative residual ~1e-9 < 1e-7 → aliased; 1e-5 → kept
    const n = 4;
    const first = [1, 2, 3, 4];
    const near = (eps: number) => Float64Array.from([...first, first[0]! + eps, 2, 3, 4]);
    expect(Array.from(aliasedColumns(n, 2, near(1e-9), 1e-7))).toEqual([0, 1]);
    expect(Array.from(aliasedColumns(n, 2, near(1e-5), 1e-7))).toEqual([0, 0]);
    // scaling a column does not change the verdict
    const big = Float64Array.from([1, 2, 3, 4, 1e12, 2e12, 3e12, 4e12 + 1e-3]);
    expect(Array.from(aliasedColumns(n, 2, big, 1e-7))).toEqual([0, 1]);
  });
});

/** X'X (row-major p × p) of a column-major n × p matrix. */
function crossproducts(n: number, p: number, a: Float64Array): Float64Array {
  const g = new Float64Array(p * p);
  for (let r = 0; r < p; r++)
    for (let c = 0; c < p; c++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += a[r * n + i]! * a[c * n + i]!;
      g[r * p + c] = s;
    }
  return g;
}

describe("aliasedColumnsFromCrossproducts (the rank check of large designs, on X'X)", () => {
  it("agrees with the QR on 200 seeded matrices with planted dependencies", () => {
    const rng = Random.fromSeed(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 4 + Math.floor(rng.uniform() * 30);
      const p = 1 + Math.floor(rng.uniform() * 8);
      const a = randomMatrix(rng, n, p);
      for (let j = 1; j < p; j++) {
        const u = rng.uniform();
        if (u < 0.3) {
          const k = Math.floor(rng.uniform() * j);
          for (let i = 0; i < n; i++) a[j * n + i] = 3 * a[k * n + i]! - (j > 1 ? a[(j - 1) * n + i]! : 0);
        } else if (u < 0.4) for (let i = 0; i < n; i++) a[j * n + i] = 0;
      }
      const expected = Array.from(aliasedColumns(n, p, a.slice(), 1e-7));
      expect(Array.from(aliasedColumnsFromCrossproducts(p, crossproducts(n, p, a), 1e-7))).toEqual(expected);
    }
  });

  it("drops the level indicators aliased with the intercept, as the QR does", () => {
    // intercept, all three indicators of a factor (the third is aliased), x
    const n = 6;
    const codes = [0, 1, 2, 0, 1, 2];
    const cols = [
      codes.map(() => 1),
      ...[0, 1, 2].map((l) => codes.map((c) => (c === l ? 1 : 0))),
      [1, 4, 2, 8, 5, 7],
    ];
    const a = Float64Array.from(cols.flat());
    const qr = Array.from(aliasedColumns(n, 5, a.slice(), 1e-7));
    expect(qr).toEqual([0, 0, 0, 1, 0]);
    expect(Array.from(aliasedColumnsFromCrossproducts(5, crossproducts(n, 5, a), 1e-7))).toEqual(qr);
  });
});
