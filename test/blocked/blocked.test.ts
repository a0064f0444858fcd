/**
 * src/blocked against dense linear algebra on seeded random designs: crossed and nested blocks with
 * q = 1 and 2, X with two columns, random T_k and extra terms. The factor's determinants and PRSS,
 * the back-substitution and the selected inverse equal those of the dense Omega (src/linalg's potrf);
 * cells give the rows' cross-products; the ordering is a permutation that cuts fill.
 */
import { describe, expect, it } from "vitest";
import { approximateMinimumDegree } from "../../src/blocked/amd";
import {
  type CrossProducts,
  crossProductsFromCells,
  crossProductsFromRows,
  type RandomBlock,
} from "../../src/blocked/crossproducts";
import { inverseWork, selectedInverse } from "../../src/blocked/inverse";
import { determinants, factorize, factorWork } from "../../src/blocked/numeric";
import { backSolve, responseRow } from "../../src/blocked/solve";
import { analyze } from "../../src/blocked/symbolic";
import { potrf } from "../../src/linalg/potrf";
import { inverseSpd } from "../../src/linalg/spd";
import { Random } from "../../src/random/generator";
import { normal } from "../../src/random/normal";

interface Design {
  blocks: RandomBlock[];
  X: Float64Array;
  p: number;
  y: Float64Array;
}

function design(seed: number, n: number, spec: { q: number; m: number }[], nestedIn?: number[]): Design {
  const rng = Random.fromSeed(seed);
  const blocks: RandomBlock[] = [];
  spec.forEach((s, k) => {
    const refs = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const parent = nestedIn?.[k];
      // nested: the level follows the first block's level (several levels of block 0 per level here)
      refs[i] =
        parent !== undefined && parent >= 0
          ? blocks[parent]!.refs[i]! % s.m
          : Math.floor(rng.uniform() * s.m);
    }
    const values = new Float64Array(n * s.q);
    for (let i = 0; i < n; i++) {
      values[i * s.q] = 1;
      for (let a = 1; a < s.q; a++) values[i * s.q + a] = normal(rng);
    }
    blocks.push({ q: s.q, m: s.m, refs, values });
  });
  const p = 2;
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    X[i * p] = 1;
    X[i * p + 1] = normal(rng);
    y[i] = 3 + normal(rng);
  }
  return { blocks, X, p, y };
}

/** Dense Omega (d × d with y last) in natural block order, and each block's column offset. */
function denseOmega(
  d: Design,
  T: Float64Array[],
  extraXX: Float64Array | null,
): { omega: Float64Array; dim: number; offsets: number[] } {
  const offsets: number[] = [];
  let dim = 0;
  for (const b of d.blocks) {
    offsets.push(dim);
    dim += b.m * b.q;
  }
  const xo = dim;
  dim += d.p + 1;
  const n = d.y.length;
  const W = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    d.blocks.forEach((b, k) => {
      // Row of Z_k Lambda_k: z' T_k.
      for (let c = 0; c < b.q; c++) {
        let v = 0;
        for (let a = c; a < b.q; a++) v += b.values[i * b.q + a]! * T[k]![a * b.q + c]!;
        W[i * dim + offsets[k]! + b.refs[i]! * b.q + c] = v;
      }
    });
    for (let t = 0; t < d.p; t++) W[i * dim + xo + t] = d.X[i * d.p + t]!;
    W[i * dim + xo + d.p] = d.y[i]!;
  }
  const omega = new Float64Array(dim * dim);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < dim; a++) {
      const wa = W[i * dim + a]!;
      if (wa === 0) continue;
      for (let b = 0; b < dim; b++) omega[a * dim + b]! += wa * W[i * dim + b]!;
    }
  for (let a = 0; a < xo; a++) omega[a * dim + a]! += 1;
  if (extraXX !== null)
    for (let a = 0; a < d.p; a++)
      for (let b = 0; b < d.p; b++) omega[(xo + a) * dim + xo + b]! += extraXX[a * d.p + b]!;
  return { omega, dim, offsets };
}

function randomT(rng: Random, q: number): Float64Array {
  const T = new Float64Array(q * q);
  for (let a = 0; a < q; a++) {
    T[a * q + a] = 0.3 + rng.uniform();
    for (let c = 0; c < a; c++) T[a * q + c] = 0.5 * normal(rng);
  }
  return T;
}

const CASES: { name: string; n: number; spec: { q: number; m: number }[]; nested?: number[] }[] = [
  { name: "one factor, q = 2", n: 120, spec: [{ q: 2, m: 15 }] },
  {
    name: "two crossed, q = 1",
    n: 200,
    spec: [
      { q: 1, m: 40 },
      { q: 1, m: 12 },
    ],
  },
  {
    name: "three crossed, q = 2, 1, 1",
    n: 300,
    spec: [
      { q: 2, m: 50 },
      { q: 1, m: 20 },
      { q: 1, m: 6 },
    ],
  },
  {
    name: "crossed with q = 2 in the rest",
    n: 250,
    spec: [
      { q: 1, m: 60 },
      { q: 2, m: 25 },
      { q: 1, m: 5 },
    ],
  },
  {
    name: "nested (block 2 within block 1)",
    n: 240,
    spec: [
      { q: 1, m: 70 },
      { q: 1, m: 30 },
      { q: 1, m: 10 },
    ],
    nested: [-1, -1, 1],
  },
];

describe("the blocked factor equals the dense one", () => {
  for (const c of CASES)
    it(c.name, () => {
      const d = design(7, c.n, c.spec, c.nested);
      const rng = Random.fromSeed(11);
      const T = c.spec.map((s) => randomT(rng, s.q));
      const cp = crossProductsFromRows(d.blocks, d.X, d.p, d.y, null);
      const st = analyze(cp);
      const L = new Float64Array(st.size);
      const extra = { xx: new Float64Array([2, 0.5, 0.5, 1]), xy: new Float64Array([0.3, -0.2]), yy: 0.7 };
      expect(factorize(st, cp, cp, T, extra, L, factorWork(st))).toBe(0);
      const { omega, dim, offsets } = denseOmega(d, T, extra.xx);
      const xo = dim - d.p - 1;
      for (let t = 0; t < d.p; t++) omega[(xo + t) * dim + dim - 1]! += extra.xy[t]!;
      for (let t = 0; t < d.p; t++) omega[(dim - 1) * dim + xo + t]! += extra.xy[t]!;
      omega[dim * dim - 1]! += extra.yy;
      // Dense factor in the natural order: the determinants of the Z block, X's Schur part, and r².
      const Ld = omega.slice();
      expect(potrf(dim, Ld, dim, 1, 0)).toBe(0);
      let logZ = 0;
      let logX = 0;
      for (let a = 0; a < xo; a++) logZ += 2 * Math.log(Ld[a * dim + a]!);
      for (let a = xo; a < dim - 1; a++) logX += 2 * Math.log(Ld[a * dim + a]!);
      const r2 = Ld[dim * dim - 1]! ** 2;
      const det = determinants(st, L);
      expect(det.logdetZ).toBeCloseTo(logZ, 8);
      expect(det.logdetX).toBeCloseTo(logX, 8);
      expect(det.prss / r2).toBeCloseTo(1, 10);
      // Back-substitution: Omega_M x = rhs.
      const x = backSolve(st, L, responseRow(st, L, new Float64Array(st.N - 1)));
      const M = dim - 1;
      const OmegaM = new Float64Array(M * M);
      for (let a = 0; a < M; a++) for (let b = 0; b < M; b++) OmegaM[a * M + b] = omega[a * dim + b]!;
      const inv = inverseSpd({ rows: M, cols: M, data: OmegaM }, "Omega").data;
      const toDense = (k: number, l: number, a: number): number => offsets[k]! + l * c.spec[k]!.q + a;
      c.spec.forEach((s, k) => {
        for (let l = 0; l < s.m; l++)
          for (let a = 0; a < s.q; a++) {
            let v = 0;
            const row = toDense(k, l, a);
            for (let b = 0; b < M; b++) v += inv[row * M + b]! * omega[b * dim + dim - 1]!;
            expect(x[st.levelColumn[k]![l]! + a]).toBeCloseTo(v, 8);
          }
      });
      // Selected inverse with w = 1 everywhere is Omega^{-1}: its diagonal blocks.
      const Z = new Float64Array(st.size);
      selectedInverse(st, L, 1, 1, 1, Z, inverseWork(st));
      const full = inverseSpd({ rows: dim, cols: dim, data: omega }, "Omega").data;
      c.spec.forEach((s, k) => {
        for (let l = 0; l < s.m; l++) {
          const col = st.levelColumn[k]![l]!;
          const sn = st.colSuper[col]!;
          const w = st.colStart[sn + 1]! - st.colStart[sn]!;
          const local = col - st.colStart[sn]!;
          for (let a = 0; a < s.q; a++)
            for (let b = 0; b <= a; b++)
              expect(Z[st.valPtr[sn]! + (local + a) * w + local + b]).toBeCloseTo(
                full[toDense(k, l, a) * dim + toDense(k, l, b)]!,
                9,
              );
        }
      });
      // Weighted (w = 1 on Z, 0.5 on X, 3 on y): every entry L's structure holds equals
      // L^{-T} diag(w) L^{-1} of the dense factor (the leaves' rows below too: the gradient reads them).
      const weight = (a: number): number => (a < xo ? 1 : a < dim - 1 ? 0.5 : 3);
      const Linv = new Float64Array(dim * dim); // lower triangular, row-major
      for (let c0 = 0; c0 < dim; c0++)
        for (let a = c0; a < dim; a++) {
          let v = a === c0 ? 1 : 0;
          for (let b = c0; b < a; b++) v -= Ld[a * dim + b]! * Linv[b * dim + c0]!;
          Linv[a * dim + c0] = v / Ld[a * dim + a]!;
        }
      const zbar = (r: number, cc: number): number => {
        let v = 0;
        for (let a = Math.max(r, cc); a < dim; a++) v += Linv[a * dim + r]! * weight(a) * Linv[a * dim + cc]!;
        return v;
      };
      const denseOf = new Int32Array(st.N);
      c.spec.forEach((s, k) => {
        for (let l = 0; l < s.m; l++)
          for (let a = 0; a < s.q; a++) denseOf[st.levelColumn[k]![l]! + a] = toDense(k, l, a);
      });
      for (let t = 0; t <= d.p; t++) denseOf[st.xStart + t] = xo + t;
      const Zw = new Float64Array(st.size);
      selectedInverse(st, L, 1, 0.5, 3, Zw, inverseWork(st));
      for (let sn = 0; sn < st.supernodes; sn++) {
        const w = st.colStart[sn + 1]! - st.colStart[sn]!;
        const nr = st.rowPtr[sn + 1]! - st.rowPtr[sn]!;
        for (let i = 0; i < nr; i++)
          for (let j = 0; j < Math.min(w, i + 1); j++) {
            const expected = zbar(denseOf[st.rows[st.rowPtr[sn]! + i]!]!, denseOf[st.colStart[sn]! + j]!);
            expect(Zw[st.valPtr[sn]! + i * w + j]! - expected).toBeCloseTo(0, 9);
          }
      }
    });
});

describe("WebAssembly SIMD kernels", () => {
  it("a dense remainder (wide supernodes) factors to the same numbers with and without WebAssembly", () => {
    // 150 levels of block 0, each touching 60 of 120 levels of block 1: the remainder fills in.
    const rng = Random.fromSeed(21);
    const n = 150 * 60;
    const r0 = new Int32Array(n);
    const r1 = new Int32Array(n);
    let i = 0;
    for (let j = 0; j < 150; j++) {
      const seen = new Set<number>();
      while (seen.size < 60) seen.add(Math.floor(rng.uniform() * 120));
      for (const l of seen) {
        r0[i] = j;
        r1[i++] = l;
      }
    }
    const ones = new Float64Array(n).fill(1);
    const y = Float64Array.from({ length: n }, () => normal(rng));
    const cp = crossProductsFromRows(
      [
        { q: 1, m: 150, refs: r0, values: ones },
        { q: 1, m: 120, refs: r1, values: ones },
      ],
      ones,
      1,
      y,
      null,
    );
    const st = analyze(cp);
    expect(st.maxWidth).toBeGreaterThanOrEqual(32);
    const T = [new Float64Array([0.7]), new Float64Array([1.3])];
    const a = new Float64Array(st.size);
    const b = new Float64Array(st.size);
    const withWasm = factorWork(st);
    expect(factorize(st, cp, cp, T, null, a, withWasm)).toBe(0);
    expect(factorize(st, cp, cp, T, null, b, factorWork(st, { wasm: false }))).toBe(0);
    let worst = 0;
    for (let t = 0; t < a.length; t++)
      worst = Math.max(worst, Math.abs(a[t]! - b[t]!) / (1 + Math.abs(b[t]!)));
    expect(worst).toBeLessThan(1e-10);
    // The WebAssembly path ran where the engine has it (Node 20 does).
    expect(withWasm.wasm).not.toBeNull();
  });
});

describe("cross-products", () => {
  it("from cell sums equal those from the rows behind them", () => {
    const d = design(3, 400, [
      { q: 2, m: 8 },
      { q: 1, m: 5 },
    ]);
    const rows = crossProductsFromRows(d.blocks, d.X, d.p, d.y, null);
    // Cells: rows sharing both levels; each cell's packed sum of v v'.
    const dim = 2 + 1 + d.p + 1;
    const key = (i: number): number => d.blocks[0]!.refs[i]! * 5 + d.blocks[1]!.refs[i]!;
    const index = new Map<number, number>();
    const levels: number[][] = [[], []];
    const sums: number[] = [];
    for (let i = 0; i < 400; i++) {
      let c = index.get(key(i));
      if (c === undefined) {
        c = index.size;
        index.set(key(i), c);
        levels[0]!.push(d.blocks[0]!.refs[i]!);
        levels[1]!.push(d.blocks[1]!.refs[i]!);
        for (let t = 0; t < (dim * (dim + 1)) / 2; t++) sums.push(0);
      }
      const v = [
        d.blocks[0]!.values[2 * i]!,
        d.blocks[0]!.values[2 * i + 1]!,
        1,
        d.X[2 * i]!,
        d.X[2 * i + 1]!,
        d.y[i]!,
      ];
      let t = 0;
      for (let r = 0; r < dim; r++) for (let s = 0; s <= r; s++) sums[c * 21 + t++]! += v[r]! * v[s]!;
    }
    const cells: CrossProducts = crossProductsFromCells({
      n: 400,
      p: d.p,
      q: [2, 1],
      m: [8, 5],
      count: index.size,
      levels: levels.map((l) => Int32Array.from(l)),
      sums: Float64Array.from(sums),
    });
    const same = (a: Float64Array, b: Float64Array): void => {
      expect(a.length).toBe(b.length);
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i]!, 9);
    };
    rows.zz.forEach((z, k) => {
      same(z, cells.zz[k]!);
    });
    rows.zx.forEach((z, k) => {
      same(z, cells.zx[k]!);
    });
    rows.zy.forEach((z, k) => {
      same(z, cells.zy[k]!);
    });
    same(rows.pairs[0]!.val, cells.pairs[0]!.val);
    expect(Array.from(rows.pairs[0]!.idx)).toEqual(Array.from(cells.pairs[0]!.idx));
    same(rows.xx, cells.xx);
    same(rows.xy, cells.xy);
    expect(cells.yy).toBeCloseTo(rows.yy, 9);
  });
  it("row weights: W = diag(w) scales each row's contribution", () => {
    const d = design(5, 50, [{ q: 1, m: 4 }]);
    const w = Float64Array.from({ length: 50 }, (_, i) => (i % 3) + 0.5);
    const cp = crossProductsFromRows(d.blocks, d.X, d.p, d.y, w);
    let yy = 0;
    for (let i = 0; i < 50; i++) yy += w[i]! * d.y[i]! ** 2;
    expect(cp.yy).toBeCloseTo(yy, 9);
  });
});

describe("approximate minimum degree", () => {
  /** Fill (entries of L) of a graph eliminated in `order`. */
  function fill(n: number, adj: number[][], order: Int32Array): number {
    const pos = new Int32Array(n);
    order.forEach((v, i) => {
      pos[v] = i;
    });
    const sets = adj.map((a) => new Set(a));
    let nnz = 0;
    const done = new Uint8Array(n);
    for (const v of order) {
      const later = [...sets[v]!].filter((u) => done[u] === 0);
      nnz += later.length;
      for (const a of later) for (const b of later) if (a !== b) sets[a]!.add(b);
      done[v] = 1;
    }
    return nnz;
  }
  it("a 12 × 12 grid: a permutation with far less fill than the natural order", () => {
    const k = 12;
    const n = k * k;
    const adj: number[][] = Array.from({ length: n }, () => []);
    for (let r = 0; r < k; r++)
      for (let c = 0; c < k; c++) {
        const v = r * k + c;
        if (c + 1 < k) {
          adj[v]!.push(v + 1);
          adj[v + 1]!.push(v);
        }
        if (r + 1 < k) {
          adj[v]!.push(v + k);
          adj[v + k]!.push(v);
        }
      }
    const ptr = new Int32Array(n + 1);
    adj.forEach((a, v) => {
      ptr[v + 1] = ptr[v]! + a.length;
    });
    const order = approximateMinimumDegree(
      n,
      new Int32Array(n).fill(1),
      ptr,
      Int32Array.from(adj.flat()),
      new Int32Array([0]),
      new Int32Array(0),
    );
    expect(new Set(order).size).toBe(n);
    const natural = Int32Array.from({ length: n }, (_, i) => i);
    expect(fill(n, adj, order)).toBeLessThan(0.75 * fill(n, adj, natural));
  });
  it("initial elements count as cliques: a star of cliques keeps its centre last", () => {
    // Elements {0, c} for c = 1..9: node 0 is in all; minimum degree eliminates it last.
    const elemPtr = Int32Array.from({ length: 10 }, (_, e) => 2 * e);
    const elemIdx = Int32Array.from({ length: 18 }, (_, t) => (t % 2 === 0 ? 0 : t / 2 + 0.5));
    const order = approximateMinimumDegree(
      10,
      new Int32Array(10).fill(1),
      new Int32Array(11),
      new Int32Array(0),
      elemPtr,
      elemIdx,
    );
    expect(new Set(order).size).toBe(10);
    expect(order.indexOf(0)).toBeGreaterThanOrEqual(8);
  });
});
