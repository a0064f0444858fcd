/**
 * src/blocked/crossproducts' row sums visit only a row's nonzero X columns, and src/blocked/sort's
 * `sortRange` sorts the analysis' short lists: the sums must equal, bit for bit, the dense sums over
 * every column (written out here, in the same order of rows and the same products), also with
 * weights and with a non-finite value; the sort must agree with Array.prototype.sort.
 */
import { describe, expect, it } from "vitest";
import { type CrossProducts, crossProductsFromRows, type RandomBlock } from "../../src/blocked/crossproducts";
import { sortRange } from "../../src/blocked/sort";
import { Random } from "../../src/random/generator";

interface Rows {
  blocks: RandomBlock[];
  X: Float64Array;
  p: number;
  y: Float64Array;
}

/** Three crossed blocks (q = 2, 1, 1) and an X of an intercept, a numeric column and dummies. */
function rows(seed: number, n: number): Rows {
  const rng = Random.fromSeed(seed);
  const spec = [
    { q: 2, m: 30 },
    { q: 1, m: 7 },
    { q: 1, m: 3 },
  ];
  const blocks = spec.map(({ q, m }) => {
    const refs = new Int32Array(n);
    const values = new Float64Array(n * q);
    for (let i = 0; i < n; i++) {
      refs[i] = Math.floor(rng.uniform() * m);
      values[i * q] = 1;
      for (let r = 1; r < q; r++) values[i * q + r] = rng.uniform() - 0.5;
    }
    return { q, m, refs, values };
  });
  const p = 7;
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    X[i * p] = 1;
    X[i * p + 1] = rng.uniform() < 0.2 ? 0 : rng.uniform() * 3 - 1;
    // Two factors' treatment contrasts: at most one 1 among columns 2..4 and among 5..6.
    const f = Math.floor(rng.uniform() * 4);
    if (f > 0) X[i * p + 1 + f] = 1;
    const g = Math.floor(rng.uniform() * 3);
    if (g > 0) X[i * p + 4 + g] = 1;
  }
  const y = Float64Array.from({ length: n }, () => rng.uniform() * 10);
  return { blocks, X, p, y };
}

/** The dense sums: every entry of every row's w v v', in row order. */
function denseSums(d: Rows, weights: Float64Array | null): CrossProducts {
  const { blocks, X, p, y } = d;
  const n = y.length;
  const K = blocks.length;
  const q = blocks.map((b) => b.q);
  const m = blocks.map((b) => b.m);
  const offset: number[] = [];
  let o = 0;
  for (const qk of q) {
    offset.push(o);
    o += qk;
  }
  const xo = o;
  const yo = o + p;
  const zz = q.map((qk, k) => new Float64Array(m[k]! * qk * qk));
  const zx = q.map((qk, k) => new Float64Array(m[k]! * qk * p));
  const zy = q.map((qk, k) => new Float64Array(m[k]! * qk));
  const pairs: CrossProducts["pairs"][number][] = [];
  const pairVal: Map<number, number>[] = [];
  for (let a = 0; a < K; a++) for (let b = a + 1; b < K; b++) pairVal.push(new Map());
  const xx = new Float64Array(p * p);
  const xy = new Float64Array(p);
  let yy = 0;
  for (let i = 0; i < n; i++) {
    const v: number[] = [];
    blocks.forEach((b) => {
      for (let r = 0; r < b.q; r++) v.push(b.values[i * b.q + r]!);
    });
    for (let t = 0; t < p; t++) v.push(X[i * p + t]!);
    v.push(y[i]!);
    const w = weights === null ? 1 : weights[i]!;
    const wv = v.map((x) => w * x);
    blocks.forEach((b, k) => {
      const lev = b.refs[i]!;
      const qk = b.q;
      for (let r = 0; r < qk; r++)
        for (let s = 0; s <= r; s++) {
          const val = wv[offset[k]! + r]! * v[offset[k]! + s]!;
          zz[k]![lev * qk * qk + r * qk + s]! += val;
          if (s !== r) zz[k]![lev * qk * qk + s * qk + r]! += val;
        }
      for (let r = 0; r < qk; r++) {
        for (let t = 0; t < p; t++) zx[k]![lev * qk * p + r * p + t]! += wv[xo + t]! * v[offset[k]! + r]!;
        zy[k]![lev * qk + r]! += wv[yo]! * v[offset[k]! + r]!;
      }
    });
    let e = 0;
    for (let a = 0; a < K; a++)
      for (let b = a + 1; b < K; b++, e++) {
        const key = blocks[a]!.refs[i]! * m[b]! + blocks[b]!.refs[i]!;
        for (let r = 0; r < q[a]!; r++)
          for (let s = 0; s < q[b]!; s++) {
            const at = key * 64 + r * q[b]! + s;
            pairVal[e]!.set(at, (pairVal[e]!.get(at) ?? 0) + wv[offset[b]! + s]! * v[offset[a]! + r]!);
          }
      }
    for (let r = 0; r < p; r++) {
      for (let s = 0; s <= r; s++) xx[r * p + s]! += wv[xo + r]! * v[xo + s]!;
      xy[r]! += wv[yo]! * v[xo + r]!;
    }
    yy += wv[yo]! * v[yo]!;
  }
  for (let r = 0; r < p; r++) for (let s = 0; s < r; s++) xx[s * p + r] = xx[r * p + s]!;
  // Pairs in the layout of CrossProducts (by level of a, ascending levels of b).
  let e = 0;
  for (let a = 0; a < K; a++)
    for (let b = a + 1; b < K; b++, e++) {
      const keys = [...new Set([...pairVal[e]!.keys()].map((at) => Math.floor(at / 64)))].sort(
        (x, z) => x - z,
      );
      const ptr = new Int32Array(m[a]! + 1);
      for (const key of keys) ptr[Math.floor(key / m[b]!) + 1]!++;
      for (let i = 0; i < m[a]!; i++) ptr[i + 1]! += ptr[i]!;
      const idx = Int32Array.from(keys, (key) => key % m[b]!);
      const val = new Float64Array(keys.length * q[a]! * q[b]!);
      keys.forEach((key, t) => {
        for (let r = 0; r < q[a]!; r++)
          for (let s = 0; s < q[b]!; s++)
            val[t * q[a]! * q[b]! + r * q[b]! + s] = pairVal[e]!.get(key * 64 + r * q[b]! + s)!;
      });
      pairs.push({ a, b, ptr, idx, val });
    }
  return { n, p, q, m, zz, pairs, zx, zy, xx, xy, yy };
}

/** Bit-for-bit equality (Object.is per entry: NaN equals NaN, +0 differs from -0). */
function expectIdentical(a: CrossProducts, b: CrossProducts): void {
  const same = (x: ArrayLike<number>, z: ArrayLike<number>): void => {
    expect(x.length).toBe(z.length);
    for (let i = 0; i < x.length; i++) expect(Object.is(x[i], z[i])).toBe(true);
  };
  for (let k = 0; k < a.zz.length; k++) {
    same(a.zz[k]!, b.zz[k]!);
    same(a.zx[k]!, b.zx[k]!);
    same(a.zy[k]!, b.zy[k]!);
  }
  a.pairs.forEach((pr, e) => {
    same(pr.ptr, b.pairs[e]!.ptr);
    same(pr.idx, b.pairs[e]!.idx);
    same(pr.val, b.pairs[e]!.val);
  });
  same(a.xx, b.xx);
  same(a.xy, b.xy);
  expect(Object.is(a.yy, b.yy)).toBe(true);
}

describe("row sums skip zeros of X without changing a bit", () => {
  it("equal the dense sums over every column (dummy columns, three crossed blocks)", () => {
    const d = rows(11, 600);
    expectIdentical(crossProductsFromRows(d.blocks, d.X, d.p, d.y, null), denseSums(d, null));
  });
  it("with row weights", () => {
    const d = rows(12, 500);
    const w = Float64Array.from({ length: 500 }, (_, i) => 0.25 + (i % 7) * 0.5);
    expectIdentical(crossProductsFromRows(d.blocks, d.X, d.p, d.y, w), denseSums(d, w));
  });
  it("a row with an infinite value still puts 0 · ∞ = NaN where the dense sums do", () => {
    const d = rows(13, 200);
    const i = 17;
    d.blocks[0]!.values[i * 2 + 1] = Number.POSITIVE_INFINITY;
    const cp = crossProductsFromRows(d.blocks, d.X, d.p, d.y, null);
    const zeroColumn = [...Array(d.p).keys()].find((t) => d.X[i * d.p + t] === 0)!;
    const lev = d.blocks[0]!.refs[i]!;
    expect(cp.zx[0]![lev * 2 * d.p + d.p + zeroColumn]).toBeNaN();
    expectIdentical(cp, denseSums(d, null));
  });
});

describe("sortRange", () => {
  it("sorts a range in place, short (insertion) and long (typed sort), leaving the rest", () => {
    const rng = Random.fromSeed(21);
    for (let trial = 0; trial < 200; trial++) {
      const len = Math.floor(rng.uniform() * 80);
      const a = Int32Array.from({ length: len + 6 }, () => Math.floor(rng.uniform() * 50) - 10);
      const from = 3;
      const to = 3 + len;
      const expected = [
        ...a.subarray(0, from),
        ...[...a.subarray(from, to)].sort((x, z) => x - z),
        ...a.subarray(to),
      ];
      sortRange(a, from, to);
      expect([...a]).toEqual(expected);
    }
  });
});
