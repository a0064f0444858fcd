/**
 * Oracle tests of the panel kernels on seeded random matrices: against linalg's potrf and a naive
 * weighted inverse, with every row listed (dense) at sizes that cross panel boundaries and both
 * parities, and on fill-reducing orders of random sparse structures.
 */
import { describe, expect, it } from "vitest";
import { potrf } from "../../src/linalg/potrf";
import { Random } from "../../src/random/generator";
import { normal } from "../../src/random/normal";
import { potrfPanels, weightedInversePanels } from "../../src/reml/dense";
import { type RestStructure, restStructure } from "../../src/reml/ordering";

function randomSpd(n: number, seed: number): Float64Array {
  const rng = Random.fromSeed(seed);
  const B = Float64Array.from({ length: n * n }, () => normal(rng));
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let v = i === j ? n : 0;
      for (let k = 0; k < n; k++) v += B[i * n + k]! * B[j * n + k]!;
      A[i * n + j] = v;
      A[j * n + i] = v;
    }
  return A;
}

/** Panels of `width` columns, every row below listed: a dense structure. */
function densePanels(
  N: number,
  width: number,
): Pick<RestStructure, "panelStart" | "panelRowPtr" | "panelRows"> {
  const start: number[] = [];
  const ptr: number[] = [0];
  const rows: number[] = [];
  for (let k0 = 0; k0 < N; k0 += width) {
    start.push(k0);
    for (let r = Math.min(N, k0 + width); r < N; r++) rows.push(r);
    ptr.push(rows.length);
  }
  start.push(N);
  return {
    panelStart: Int32Array.from(start),
    panelRowPtr: Int32Array.from(ptr),
    panelRows: Int32Array.from(rows),
  };
}

function workSize(st: Pick<RestStructure, "panelStart" | "panelRowPtr">): number {
  let work = 1;
  for (let p = 0; p + 1 < st.panelRowPtr.length; p++) {
    const u = st.panelRowPtr[p + 1]! - st.panelRowPtr[p]!;
    const np = st.panelStart[p + 1]! - st.panelStart[p]!;
    work = Math.max(work, (u + 2 * np) * u + np * np);
  }
  return work;
}

/** Naive L^{-T} diag(w) L^{-1}: V = L^{-1} column by column, then V' diag(w) V. */
function naiveWeightedInverse(n: number, L: Float64Array, w: Float64Array): Float64Array {
  const V = new Float64Array(n * n);
  for (let c = 0; c < n; c++)
    for (let i = c; i < n; i++) {
      let v = i === c ? 1 : 0;
      for (let k = c; k < i; k++) v -= L[i * n + k]! * V[k * n + c]!;
      V[i * n + c] = v / L[i * n + i]!;
    }
  const Z = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let v = 0;
      for (let k = 0; k < n; k++) v += V[k * n + i]! * w[k]! * V[k * n + j]!;
      Z[i * n + j] = v;
    }
  return Z;
}

const SIZES = [1, 2, 3, 15, 16, 17, 33, 64, 70, 129];

describe("potrfPanels with every row listed", () => {
  it.each(SIZES)("n = %i: the factor of linalg's potrf (panels of 8 and 32)", (n) => {
    const A = randomSpd(n, n);
    const ref = A.slice();
    expect(potrf(n, ref, n, 1, 0)).toBe(0);
    let scale = 0;
    for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(ref[i * n + i]!));
    for (const width of [8, 32]) {
      const st = densePanels(n, width);
      const ours = A.slice();
      expect(potrfPanels(ours, n, st.panelStart, st.panelRowPtr, st.panelRows)).toBe(0);
      for (let i = 0; i < n; i++)
        for (let j = 0; j <= i; j++)
          expect(Math.abs(ours[i * n + j]! - ref[i * n + j]!)).toBeLessThan(1e-12 * scale);
    }
  });

  it("works with a leading dimension larger than n and leaves the upper triangle alone", () => {
    const n = 40;
    const lda = 45;
    const A = randomSpd(n, 9);
    const big = new Float64Array(lda * n).fill(7);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) big[i * lda + j] = A[i * n + j]!;
    const st = densePanels(n, 16);
    expect(potrfPanels(big, lda, st.panelStart, st.panelRowPtr, st.panelRows)).toBe(0);
    const ref = A.slice();
    potrf(n, ref, n, 1, 0);
    expect(big[5 * lda + 2]).toBeCloseTo(ref[5 * n + 2]!, 10);
    expect(big[2 * lda + 5]).toBe(A[2 * n + 5]); // upper triangle untouched
    expect(big[39 * lda + 40]).toBe(7); // padding untouched
  });

  it("returns the 1-based column of the first non-positive pivot", () => {
    const n = 50;
    const A = randomSpd(n, 3);
    // Row/column 37 a copy of row/column 36: the leading 38 × 38 block is singular.
    for (let k = 0; k < n; k++) {
      A[37 * n + k] = A[36 * n + k]!;
      A[k * n + 37] = A[k * n + 36]!;
    }
    A[37 * n + 37] = A[36 * n + 36]!;
    const st = densePanels(n, 16);
    expect(potrfPanels(A, n, st.panelStart, st.panelRowPtr, st.panelRows)).toBe(38);
  });
});

describe("weightedInversePanels with every row listed", () => {
  it.each(SIZES)("n = %i: L^{-T} diag(w) L^{-1} as a dense product", (n) => {
    const L = randomSpd(n, 100 + n);
    potrf(n, L, n, 1, 0);
    const rng = Random.fromSeed(n);
    const w = Float64Array.from({ length: n }, () => 2 * rng.uniform());
    const ref = naiveWeightedInverse(n, L, w);
    let scale = 0;
    for (const v of ref) scale = Math.max(scale, Math.abs(v));
    for (const width of [8, 32]) {
      const st = densePanels(n, width);
      const Z = new Float64Array(n * n);
      weightedInversePanels(
        L,
        n,
        w,
        Z,
        n,
        st.panelStart,
        st.panelRowPtr,
        st.panelRows,
        new Float64Array(workSize(st)),
      );
      for (let i = 0; i < n * n; i++) expect(Math.abs(Z[i]! - ref[i]!)).toBeLessThan(1e-12 * scale);
    }
  });

  it("with unit weights gives the inverse: A Z = I", () => {
    const n = 37;
    const A = randomSpd(n, 5);
    const L = A.slice();
    potrf(n, L, n, 1, 0);
    const st = densePanels(n, 16);
    const Z = new Float64Array(n * n);
    weightedInversePanels(
      L,
      n,
      new Float64Array(n).fill(1),
      Z,
      n,
      st.panelStart,
      st.panelRowPtr,
      st.panelRows,
      new Float64Array(workSize(st)),
    );
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let v = 0;
        for (let k = 0; k < n; k++) v += A[i * n + k]! * Z[k * n + j]!;
        expect(Math.abs(v - (i === j ? 1 : 0))).toBeLessThan(1e-10);
      }
  });
});

describe("panel kernels on a fill-reducing order", () => {
  /** A random SPD matrix with the pattern of random cliques (dense rows appended), ordered and permuted. */
  function structured(nodes: number, cliqueCount: number, dense: number, seed: number) {
    const rng = Random.fromSeed(seed);
    const cliques: Int32Array[] = [];
    for (let c = 0; c < cliqueCount; c++) {
      const size = 2 + Math.floor(rng.uniform() * 4);
      cliques.push(
        Int32Array.from(new Set(Array.from({ length: size }, () => Math.floor(rng.uniform() * nodes)))),
      );
    }
    const N = nodes + dense;
    const A0 = new Float64Array(N * N);
    const add = (i: number, j: number, v: number): void => {
      A0[i * N + j]! += v;
      if (i !== j) A0[j * N + i]! += v;
    };
    for (let i = 0; i < N; i++) add(i, i, N);
    for (const clique of cliques) {
      const members = [...clique, ...Array.from({ length: dense }, (_, d) => nodes + d)];
      const x = members.map(() => normal(rng));
      members.forEach((a, s) => {
        members.forEach((b, t) => {
          if (a >= b) add(a, b, x[s]! * x[t]!);
        });
      });
    }
    const st = restStructure(new Int32Array(nodes).fill(1), cliques, dense);
    const perm = [...st.order, ...Array.from({ length: dense }, (_, d) => nodes + d)];
    const A = new Float64Array(N * N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) A[i * N + j] = A0[perm[i]! * N + perm[j]!]!;
    return { N, A, st };
  }

  it.each([
    [60, 40, 3, 1],
    [150, 200, 2, 2],
    [300, 120, 4, 3],
  ])(
    "%i nodes, %i cliques, %i dense rows: the dense factor and inverse on the structure",
    (nodes, cl, dense, seed) => {
      const { N, A, st } = structured(nodes, cl, dense, seed);
      const ours = A.slice();
      expect(potrfPanels(ours, N, st.panelStart, st.panelRowPtr, st.panelRows)).toBe(0);
      const ref = A.slice();
      expect(potrf(N, ref, N, 1, 0)).toBe(0);
      let scale = 0;
      for (let i = 0; i < N; i++) scale = Math.max(scale, ref[i * N + i]!);
      for (let i = 0; i < N; i++)
        for (let j = 0; j <= i; j++)
          expect(Math.abs(ours[i * N + j]! - ref[i * N + j]!)).toBeLessThan(1e-12 * scale);
      // The structure really skips work: fewer multiply-adds in trailing updates than a dense factor.
      let flops = 0;
      for (let p = 0; p + 1 < st.panelStart.length; p++) {
        const u = st.panelRowPtr[p + 1]! - st.panelRowPtr[p]!;
        flops += ((st.panelStart[p + 1]! - st.panelStart[p]!) * u * u) / 2;
      }
      expect(flops).toBeLessThan((0.5 * N ** 3) / 6);

      const w = Float64Array.from({ length: N }, (_, i) => 1 + (i % 3));
      const Zp = new Float64Array(N * N);
      weightedInversePanels(
        ours,
        N,
        w,
        Zp,
        N,
        st.panelStart,
        st.panelRowPtr,
        st.panelRows,
        new Float64Array(workSize(st)),
      );
      const Zd = naiveWeightedInverse(N, ref, w);
      // Compare on the factor's structure (where L is nonzero) and on the diagonal.
      let zscale = 0;
      for (const v of Zd) zscale = Math.max(zscale, Math.abs(v));
      let compared = 0;
      for (let i = 0; i < N; i++)
        for (let j = 0; j <= i; j++) {
          if (i !== j && ref[i * N + j] === 0) continue;
          compared++;
          expect(Math.abs(Zp[i * N + j]! - Zd[i * N + j]!)).toBeLessThan(1e-11 * zscale);
          expect(Zp[j * N + i]).toBe(Zp[i * N + j]);
        }
      expect(compared).toBeGreaterThan(N);
    },
  );
});
