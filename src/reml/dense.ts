/**
 * Kernels for the rest block of the blocked Cholesky factor (the Schur complement after block 1): a
 * Cholesky factorization and a weighted selected inverse that follow a known sparsity structure
 * (panels of columns and the rows below each that can be nonzero, from ./ordering) on dense
 * row-major storage (rows `lda` apart, lower triangle). They allocate nothing and validate nothing
 * (STYLE.md §5). Register-blocked 2 × 2 inner loops: in V8 about twice as fast as plain dot products
 * (a dense 1,128 × 1,128 factor: 100 ms against 230 ms). With every row listed they are dense kernels.
 *
 * Why these are not src/linalg's `potrf` / `potri`: those are dense kernels and know no structure.
 * On a dense matrix `potrfPanels` (every row listed) does the same work as `potrf` at about the same
 * speed (random SPD of order 300 and 1,159: potrf/potrfPanels time ratio 0.74–1.05 over two runs),
 * but on the structure REML meets it skips the rows that stay zero: InstEval's rest block (1,159
 * columns) factors 3.1–3.3× faster than with `potrf` on the same matrix (38 against 127 ms in one
 * run, 60 against 187 ms in a busier one; `npm run bench -- cholesky`). The weighted selected
 * inverse L^{-T} diag(w) L^{-1} on the structure has no dense counterpart at all (`potri` gives the
 * whole unweighted inverse, O(n³) and dense).
 */

/**
 * Cholesky factorization in place for a matrix whose factor has a known sparsity structure, stored
 * dense (row-major, lower triangle): columns are taken in panels, and for each panel only the rows
 * below it that can be nonzero (`rows[rowPtr[p]..rowPtr[p+1])`, sorted) are computed and updated,
 * with a 2 × 2 register-blocked trailing update. The entries outside the structure must be zero on
 * entry; they stay zero. With every row listed it is a dense right-looking blocked Cholesky.
 *
 * @param A - matrix, lower triangle overwritten by L
 * @param lda - distance between rows
 * @param panelStart - panel boundaries (first column of each panel, then the order N)
 * @param rowPtr - per panel, the start of its rows in `rows`
 * @param rows - rows below each panel that can be nonzero (from ./ordering)
 * @returns 0 on success, else the 1-based column whose pivot was not positive
 * @see Ng & Peyton (1993) Block sparse Cholesky algorithms on advanced uniprocessor computers,
 *   SIAM J. Sci. Comput. 14(5), doi:10.1137/0914063
 * @example
 * // [[4, 2], [2, 5]] as one panel: L = [[2, 0], [1, 2]].
 * const A = new Float64Array([4, 0, 2, 5]);
 * potrfPanels(A, 2, new Int32Array([0, 2]), new Int32Array([0, 0]), new Int32Array(0)); // 0; A = [2, 0, 1, 2]
 */
export function potrfPanels(
  A: Float64Array,
  lda: number,
  panelStart: Int32Array,
  rowPtr: Int32Array,
  rows: Int32Array,
): number {
  const panels = panelStart.length - 1;
  for (let p = 0; p < panels; p++) {
    const k0 = panelStart[p]!;
    const k1 = panelStart[p + 1]!;
    const r0 = rowPtr[p]!;
    const r1 = rowPtr[p + 1]!;
    // The panel's diagonal block.
    for (let i = k0; i < k1; i++) {
      const ri = i * lda;
      for (let j = k0; j <= i; j++) {
        const rj = j * lda;
        let s = A[ri + j]!;
        for (let k = k0; k < j; k++) s -= A[ri + k]! * A[rj + k]!;
        if (j < i) A[ri + j] = s / A[rj + j]!;
        else {
          if (!(s > 0)) return i + 1;
          A[ri + i] = Math.sqrt(s);
        }
      }
    }
    // The panel's columns in the listed rows.
    for (let t = r0; t < r1; t++) {
      const ri = rows[t]! * lda;
      for (let j = k0; j < k1; j++) {
        const rj = j * lda;
        let s = A[ri + j]!;
        for (let k = k0; k < j; k++) s -= A[ri + k]! * A[rj + k]!;
        A[ri + j] = s / A[rj + j]!;
      }
    }
    // Trailing update on listed rows × listed rows (lower triangle).
    let ta = r0;
    for (; ta + 1 < r1; ta += 2) {
      const ia = rows[ta]!;
      const ib = rows[ta + 1]!;
      const ra = ia * lda;
      const rb = ib * lda;
      let tb = r0;
      for (; tb + 1 <= ta; tb += 2) {
        const ja = rows[tb]!;
        const jb = rows[tb + 1]!;
        const ca = ja * lda;
        const cb = jb * lda;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let k = k0; k < k1; k++) {
          const a0 = A[ra + k]!;
          const a1 = A[rb + k]!;
          const b0 = A[ca + k]!;
          const b1 = A[cb + k]!;
          s00 += a0 * b0;
          s01 += a0 * b1;
          s10 += a1 * b0;
          s11 += a1 * b1;
        }
        A[ra + ja]! -= s00;
        A[ra + jb]! -= s01;
        A[rb + ja]! -= s10;
        A[rb + jb]! -= s11;
      }
      for (; tb <= ta + 1; tb++) {
        const j = rows[tb]!;
        const cj = j * lda;
        let s0 = 0;
        let s1 = 0;
        for (let k = k0; k < k1; k++) {
          const b = A[cj + k]!;
          s0 += A[ra + k]! * b;
          s1 += A[rb + k]! * b;
        }
        if (tb <= ta) A[ra + j]! -= s0;
        A[rb + j]! -= s1;
      }
    }
    for (; ta < r1; ta++) {
      const ia = rows[ta]!;
      const ra = ia * lda;
      for (let tb = r0; tb <= ta; tb++) {
        const j = rows[tb]!;
        const cj = j * lda;
        let s = 0;
        for (let k = k0; k < k1; k++) s += A[ra + k]! * A[cj + k]!;
        A[ra + j]! -= s;
      }
    }
  }
  return 0;
}

/**
 * The weighted inverse Z = L^{-T} diag(w) L^{-1} on the structure of L (a selected inverse): for each
 * panel P (last to first) with listed rows U, Z[P, U] and Z[P, P] from the Takahashi recurrence
 *
 *     Z[a, b] = (δ_ab w_a / L[a,a] - sum_{k > a} L[k,a] Z[k,b]) / L[a,a],
 *
 * whose sum runs over the structure of column a (inside P and U), so it needs Z[U, U] only — known
 * from later panels because U is a clique of L's structure. The product with Z[U, U] is one dense
 * 2 × 2-blocked pass over a gathered copy. Entries of Z outside the structure are not written.
 *
 * @param L - factor (lower triangle, row-major, `ldl` apart)
 * @param ldl - distance between rows of L
 * @param w - weights (one per row)
 * @param Z - output (row-major, `ldz` apart): both triangles written on the structure
 * @param ldz - distance between rows of Z
 * @param panelStart - panel boundaries
 * @param rowPtr - per panel, the start of its rows in `rows`
 * @param rows - rows below each panel that can be nonzero
 * @param work - scratch of length ≥ (u + 2 np) u + np² for every panel (u rows, np columns)
 * @example
 * const L = new Float64Array([2, 0, 1, 2]); // L L' = [[4, 2], [2, 5]]
 * const Z = new Float64Array(4);
 * weightedInversePanels(L, 2, new Float64Array([1, 1]), Z, 2, new Int32Array([0, 2]), new Int32Array([0, 0]),
 *   new Int32Array(0), new Float64Array(8));
 * // Z = [0.3125, -0.125, -0.125, 0.25] = [[4, 2], [2, 5]]^{-1}
 */
export function weightedInversePanels(
  L: Float64Array,
  ldl: number,
  w: Float64Array,
  Z: Float64Array,
  ldz: number,
  panelStart: Int32Array,
  rowPtr: Int32Array,
  rows: Int32Array,
  work: Float64Array,
): void {
  const panels = panelStart.length - 1;
  for (let p = panels - 1; p >= 0; p--) {
    const k0 = panelStart[p]!;
    const k1 = panelStart[p + 1]!;
    const np = k1 - k0;
    const r0 = rowPtr[p]!;
    const u = rowPtr[p + 1]! - r0;
    // Scratch: G = Z[U,U] (u × u), C = L[U, P]' (np × u), ZPU = Z[P, U] (np × u), ZPP (np × np).
    const G = 0;
    const C = u * u;
    const ZPU = C + np * u;
    const ZPP = ZPU + np * u;
    for (let s = 0; s < u; s++) {
      const zs = rows[r0 + s]! * ldz;
      const gs = G + s * u;
      for (let t = 0; t < u; t++) work[gs + t] = Z[zs + rows[r0 + t]!]!;
    }
    for (let t = 0; t < u; t++) {
      const lt = rows[r0 + t]! * ldl;
      for (let a = 0; a < np; a++) work[C + a * u + t] = L[lt + k0 + a]!;
    }
    // ZPU[a, :] = C[a, :] G (so far: Y = C G; G symmetric, so rows of G are its columns).
    let a = 0;
    for (; a + 1 < np; a += 2) {
      const c0 = C + a * u;
      const c1 = c0 + u;
      let b = 0;
      for (; b + 1 < u; b += 2) {
        const g0 = G + b * u;
        const g1 = g0 + u;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let t = 0; t < u; t++) {
          const x0 = work[c0 + t]!;
          const x1 = work[c1 + t]!;
          const y0 = work[g0 + t]!;
          const y1 = work[g1 + t]!;
          s00 += x0 * y0;
          s01 += x0 * y1;
          s10 += x1 * y0;
          s11 += x1 * y1;
        }
        work[ZPU + a * u + b] = s00;
        work[ZPU + a * u + b + 1] = s01;
        work[ZPU + (a + 1) * u + b] = s10;
        work[ZPU + (a + 1) * u + b + 1] = s11;
      }
      for (; b < u; b++) {
        const g0 = G + b * u;
        let s0 = 0;
        let s1 = 0;
        for (let t = 0; t < u; t++) {
          const y = work[g0 + t]!;
          s0 += work[c0 + t]! * y;
          s1 += work[c1 + t]! * y;
        }
        work[ZPU + a * u + b] = s0;
        work[ZPU + (a + 1) * u + b] = s1;
      }
    }
    for (; a < np; a++) {
      const c0 = C + a * u;
      for (let b = 0; b < u; b++) {
        const g0 = G + b * u;
        let s = 0;
        for (let t = 0; t < u; t++) s += work[c0 + t]! * work[g0 + t]!;
        work[ZPU + a * u + b] = s;
      }
    }
    // Recurrence inside the panel, last column first.
    for (let i = np - 1; i >= 0; i--) {
      const ai = k0 + i;
      const lii = L[ai * ldl + ai]!;
      const zi = ZPU + i * u;
      // Z[ai, U] = -(Y[i, :] + sum_{k in (i, np)} L[k0+k, ai] Z[k0+k, U]) / L[ai, ai]
      for (let k = i + 1; k < np; k++) {
        const lki = L[(k0 + k) * ldl + ai]!;
        if (lki === 0) continue;
        const zk = ZPU + k * u;
        for (let b = 0; b < u; b++) work[zi + b]! += lki * work[zk + b]!;
      }
      for (let b = 0; b < u; b++) work[zi + b] = -work[zi + b]! / lii;
      // Z[ai, k0+j] for j ≥ i: (δ w / L - sum_{k in (i,np)} L[k,ai] Z[k,j] - sum_t C[i,t] Z[j,U_t]) / L
      for (let j = np - 1; j >= i; j--) {
        let s = i === j ? w[ai]! / lii : 0;
        for (let k = i + 1; k < np; k++) {
          const zkj = k <= j ? work[ZPP + k * np + j]! : work[ZPP + j * np + k]!;
          s -= L[(k0 + k) * ldl + ai]! * zkj;
        }
        const cj = C + i * u;
        const zj = ZPU + j * u;
        for (let t = 0; t < u; t++) s -= work[cj + t]! * work[zj + t]!;
        work[ZPP + i * np + j] = s / lii;
      }
    }
    // Scatter to Z (both triangles).
    for (let i = 0; i < np; i++) {
      const ai = k0 + i;
      const za = ai * ldz;
      for (let j = i; j < np; j++) {
        const v = work[ZPP + i * np + j]!;
        Z[za + k0 + j] = v;
        Z[(k0 + j) * ldz + ai] = v;
      }
      for (let b = 0; b < u; b++) {
        const r = rows[r0 + b]!;
        const v = work[ZPU + i * u + b]!;
        Z[za + r] = v;
        Z[r * ldz + ai] = v;
      }
    }
  }
}
