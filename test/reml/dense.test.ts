/**
 * Oracle tests of the dense kernels against the plain linalg ones on seeded random matrices, at sizes
 * that cross the 32-column panel boundary and both parities (the inverse pairs rows).
 */
import { describe, expect, it } from "vitest";
import { potrf } from "../../src/linalg/potrf";
import { Random } from "../../src/random/generator";
import { normal } from "../../src/random/normal";
import { potrfBlocked, potrfPanels, weightedInverse, weightedInversePanels } from "../../src/reml/dense";
import { restStructure } from "../../src/reml/ordering";

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

const SIZES = [1, 2, 3, 31, 32, 33, 64, 70, 129];

describe("potrfBlocked", () => {
  it.each(SIZES)("n = %i: same factor as linalg potrf", (n) => {
    const A = randomSpd(n, n);
    const ours = A.slice();
    const ref = A.slice();
    expect(potrfBlocked(n, ours, n, 0)).toBe(0);
    expect(potrf(n, ref, n, 1, 0)).toBe(0);
    let scale = 0;
    for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(ref[i * n + i]!));
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++)
        expect(Math.abs(ours[i * n + j]! - ref[i * n + j]!)).toBeLessThan(1e-12 * scale);
  });

  it("works on a submatrix (offset and leading dimension) and leaves the upper triangle alone", () => {
    const n = 40;
    const lda = 45;
    const A = randomSpd(n, 9);
    const big = new Float64Array(3 + lda * n).fill(7);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) big[3 + i * lda + j] = A[i * n + j]!;
    expect(potrfBlocked(n, big, lda, 3)).toBe(0);
    const ref = A.slice();
    potrf(n, ref, n, 1, 0);
    expect(big[3 + 5 * lda + 2]).toBeCloseTo(ref[5 * n + 2]!, 10);
    expect(big[3 + 2 * lda + 5]).toBe(A[2 * n + 5]); // upper triangle untouched
    expect(big[3 + 39 * lda + 40]).toBe(7); // padding untouched
  });

  it("returns the 1-based column of the first non-positive pivot", () => {
    const n = 50;
    const A = randomSpd(n, 3);
    // Make the leading 38 × 38 block singular: row/column 37 a copy of row/column 36.
    for (let k = 0; k < n; k++) {
      A[37 * n + k] = A[36 * n + k]!;
      A[k * n + 37] = A[k * n + 36]!;
    }
    A[37 * n + 37] = A[36 * n + 36]!;
    expect(potrfBlocked(n, A, n, 0)).toBe(38);
  });
});

describe("weightedInverse", () => {
  it.each(SIZES)("n = %i: L^{-T} diag(w) L^{-1} as a dense product", (n) => {
    const A = randomSpd(n, 100 + n);
    potrf(n, A, n, 1, 0);
    const rng = Random.fromSeed(n);
    const w = Float64Array.from({ length: n }, () => 2 * rng.uniform());
    const Z = new Float64Array(n * n);
    weightedInverse(n, A, n, 0, w, Z, n, 0, new Float64Array(2 * n));
    // Naive: V = L^{-1} column by column, then V' diag(w) V.
    const V = new Float64Array(n * n);
    for (let c = 0; c < n; c++)
      for (let i = c; i < n; i++) {
        let v = i === c ? 1 : 0;
        for (let k = c; k < i; k++) v -= A[i * n + k]! * V[k * n + c]!;
        V[i * n + c] = v / A[i * n + i]!;
      }
    let scale = 0;
    const ref = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let v = 0;
        for (let k = 0; k < n; k++) v += V[k * n + i]! * w[k]! * V[k * n + j]!;
        ref[i * n + j] = v;
        scale = Math.max(scale, Math.abs(v));
      }
    for (let i = 0; i < n * n; i++) expect(Math.abs(Z[i]! - ref[i]!)).toBeLessThan(1e-12 * scale);
  });

  it("with unit weights gives the inverse: A Z = I", () => {
    const n = 37;
    const A = randomSpd(n, 5);
    const L = A.slice();
    potrf(n, L, n, 1, 0);
    const Z = new Float64Array(n * n);
    weightedInverse(n, L, n, 0, new Float64Array(n).fill(1), Z, n, 0, new Float64Array(2 * n));
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
    "%i nodes, %i cliques, %i dense rows: the same factor and inverse as the dense kernels",
    (nodes, cl, dense, seed) => {
      const { N, A, st } = structured(nodes, cl, dense, seed);
      const ours = A.slice();
      expect(potrfPanels(ours, N, st.panelStart, st.panelRowPtr, st.panelRows)).toBe(0);
      const ref = A.slice();
      expect(potrfBlocked(N, ref, N, 0)).toBe(0);
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
      let work = 0;
      for (let p = 0; p + 1 < st.panelRowPtr.length; p++) {
        const u = st.panelRowPtr[p + 1]! - st.panelRowPtr[p]!;
        const np = st.panelStart[p + 1]! - st.panelStart[p]!;
        work = Math.max(work, (u + 2 * np) * u + np * np);
      }
      weightedInversePanels(
        ours,
        N,
        w,
        Zp,
        N,
        st.panelStart,
        st.panelRowPtr,
        st.panelRows,
        new Float64Array(work),
      );
      const Zd = new Float64Array(N * N);
      weightedInverse(N, ref, N, 0, w, Zd, N, 0, new Float64Array(2 * N));
      // Compare on the factor's structure (where L is nonzero) and on the diagonal.
      let zscale = 0;
      for (let i = 0; i < N * N; i++) zscale = Math.max(zscale, Math.abs(Zd[i]!));
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
