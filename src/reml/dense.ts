/**
 * Dense kernels for the Schur complement of the blocked Cholesky factor: a blocked Cholesky and a
 * weighted inverse, both on row-major storage with contiguous rows (`lda` apart), lower triangle.
 * They allocate nothing and validate nothing (STYLE.md §5). Register-blocked 2 × 2 inner loops: in
 * V8 this runs about twice as fast as plain dot products (1,128 × 1,128: 100 ms against 230 ms).
 *
 * Candidates for src/linalg once the REML code has settled (they are not REML-specific).
 */

const PANEL = 32;

/**
 * Cholesky factorization A = L L' in place, right-looking, blocked by panels of 32 columns with a
 * 2 × 2 register-blocked trailing update (LAPACK `dpotrf`, lower, row-major).
 *
 *     L[j,j] = sqrt(A[j,j] - sum_{k<j} L[j,k]^2),   L[i,j] = (A[i,j] - sum_{k<j} L[i,k] L[j,k]) / L[j,j]
 *
 * Reads and writes the lower triangle only.
 *
 * @param N - order of A
 * @param A - symmetric matrix, lower triangle overwritten by L
 * @param lda - distance between rows
 * @param offsetA - index of A[0,0]
 * @returns 0 on success, else the 1-based column whose pivot was not positive (or NaN)
 * @example
 * const A = new Float64Array([4, 0, 2, 5]);
 * potrfBlocked(2, A, 2, 0); // 0; A = [2, 0, 1, 2]
 * @see Golub & Van Loan (2013) Matrix Computations, 4th ed., §4.2.
 */
export function potrfBlocked(N: number, A: Float64Array, lda: number, offsetA: number): number {
  for (let k0 = 0; k0 < N; k0 += PANEL) {
    const k1 = Math.min(N, k0 + PANEL);
    // Panel: columns k0..k1-1 of rows k0..N-1 (already updated for columns < k0).
    for (let i = k0; i < N; i++) {
      const ri = offsetA + i * lda;
      const jmax = Math.min(i, k1 - 1);
      for (let j = k0; j <= jmax; j++) {
        const rj = offsetA + j * lda;
        let s = A[ri + j]!;
        for (let k = k0; k < j; k++) s -= A[ri + k]! * A[rj + k]!;
        if (j < i) A[ri + j] = s / A[rj + j]!;
        else {
          if (!(s > 0)) return i + 1;
          A[ri + i] = Math.sqrt(s);
        }
      }
    }
    // Trailing update: A[i,j] -= sum_{k0<=k<k1} L[i,k] L[j,k] for k1 <= j <= i.
    let i = k1;
    for (; i + 1 < N; i += 2) {
      const r0 = offsetA + i * lda;
      const r1 = r0 + lda;
      let j = k1;
      for (; j + 1 <= i; j += 2) {
        const c0 = offsetA + j * lda;
        const c1 = c0 + lda;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let k = k0; k < k1; k++) {
          const a0 = A[r0 + k]!;
          const a1 = A[r1 + k]!;
          const b0 = A[c0 + k]!;
          const b1 = A[c1 + k]!;
          s00 += a0 * b0;
          s01 += a0 * b1;
          s10 += a1 * b0;
          s11 += a1 * b1;
        }
        A[r0 + j]! -= s00;
        A[r0 + j + 1]! -= s01;
        A[r1 + j]! -= s10;
        A[r1 + j + 1]! -= s11;
      }
      for (; j <= i + 1; j++) {
        const c0 = offsetA + j * lda;
        let s0 = 0;
        let s1 = 0;
        for (let k = k0; k < k1; k++) {
          const b = A[c0 + k]!;
          s0 += A[r0 + k]! * b;
          s1 += A[r1 + k]! * b;
        }
        if (j <= i) A[r0 + j]! -= s0;
        A[r1 + j]! -= s1;
      }
    }
    for (; i < N; i++) {
      const r0 = offsetA + i * lda;
      for (let j = k1; j <= i; j++) {
        const c0 = offsetA + j * lda;
        let s = 0;
        for (let k = k0; k < k1; k++) s += A[r0 + k]! * A[c0 + k]!;
        A[r0 + j]! -= s;
      }
    }
  }
  return 0;
}

/**
 * Weighted inverse from a Cholesky factor: Z = L^{-T} diag(w) L^{-1}, all of it (both triangles),
 * by the Takahashi recurrence run from the last row up:
 *
 *     Z[a,b] = (δ_ab w_a / L[a,a] - sum_{k>a} L[k,a] Z[k,b]) / L[a,a]     for a ≤ b
 *
 * With w = 1 this is A^{-1}. It is the adjoint of sum_a 2 w_a log L[a,a] with respect to the
 * symmetric A = L L', which is what the gradient of the profiled criterion needs.
 * Rows are processed two at a time with a 2 × 2 register-blocked inner loop.
 *
 * @param N - order
 * @param L - Cholesky factor, lower triangle (row-major, `ldl` apart, from `offsetL`)
 * @param ldl - distance between rows of L
 * @param offsetL - index of L[0,0]
 * @param w - weights, length N (from index 0)
 * @param Z - output N × N, row-major, `ldz` apart, from `offsetZ`; fully overwritten
 * @param ldz - distance between rows of Z
 * @param offsetZ - index of Z[0,0]
 * @param work - scratch of length ≥ 2N
 * @example
 * const L = new Float64Array([2, 0, 1, 2]); // L L' = [[4, 2], [2, 5]]
 * const Z = new Float64Array(4);
 * weightedInverse(2, L, 2, 0, new Float64Array([1, 1]), Z, 2, 0, new Float64Array(4));
 * // Z = [0.3125, -0.125, -0.125, 0.25] = [[4, 2], [2, 5]]^{-1}
 * @see Takahashi, Fagan & Chen (1973); Murray (2016) Differentiation of the Cholesky decomposition, arXiv:1602.07527.
 */
export function weightedInverse(
  N: number,
  L: Float64Array,
  ldl: number,
  offsetL: number,
  w: Float64Array,
  Z: Float64Array,
  ldz: number,
  offsetZ: number,
  work: Float64Array,
): void {
  let a1 = N - 1;
  // Odd N: the last row alone, so the rest pairs up.
  if (N % 2 === 1) {
    const l = L[offsetL + a1 * ldl + a1]!;
    Z[offsetZ + a1 * ldz + a1] = w[a1]! / (l * l);
    a1--;
  }
  for (; a1 > 0; a1 -= 2) {
    const a0 = a1 - 1;
    const l11 = L[offsetL + a1 * ldl + a1]!;
    const l00 = L[offsetL + a0 * ldl + a0]!;
    const l10 = L[offsetL + a1 * ldl + a0]!;
    // work[0..N) = column a0 of L, work[N..2N) = column a1 of L (rows > a1).
    for (let k = a1 + 1; k < N; k++) {
      const rk = offsetL + k * ldl;
      work[k] = L[rk + a0]!;
      work[N + k] = L[rk + a1]!;
    }
    const za0 = offsetZ + a0 * ldz;
    const za1 = offsetZ + a1 * ldz;
    let b = a1 + 1;
    for (; b + 1 < N; b += 2) {
      const zb0 = offsetZ + b * ldz;
      const zb1 = zb0 + ldz;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let k = a1 + 1; k < N; k++) {
        const c0 = work[k]!;
        const c1 = work[N + k]!;
        const x0 = Z[zb0 + k]!;
        const x1 = Z[zb1 + k]!;
        s00 += c0 * x0;
        s01 += c0 * x1;
        s10 += c1 * x0;
        s11 += c1 * x1;
      }
      const v10 = -s10 / l11;
      const v11 = -s11 / l11;
      const v00 = -(s00 + l10 * v10) / l00;
      const v01 = -(s01 + l10 * v11) / l00;
      Z[za1 + b] = v10;
      Z[zb0 + a1] = v10;
      Z[za1 + b + 1] = v11;
      Z[zb1 + a1] = v11;
      Z[za0 + b] = v00;
      Z[zb0 + a0] = v00;
      Z[za0 + b + 1] = v01;
      Z[zb1 + a0] = v01;
    }
    for (; b < N; b++) {
      const zb = offsetZ + b * ldz;
      let s0 = 0;
      let s1 = 0;
      for (let k = a1 + 1; k < N; k++) {
        const x = Z[zb + k]!;
        s0 += work[k]! * x;
        s1 += work[N + k]! * x;
      }
      const v1 = -s1 / l11;
      const v0 = -(s0 + l10 * v1) / l00;
      Z[za1 + b] = v1;
      Z[zb + a1] = v1;
      Z[za0 + b] = v0;
      Z[zb + a0] = v0;
    }
    // Z[a1,a1], then Z[a0,a1], then Z[a0,a0].
    let d1 = 0;
    let d0 = 0;
    for (let k = a1 + 1; k < N; k++) {
      const x = Z[za1 + k]!;
      d1 += work[N + k]! * x;
      d0 += work[k]! * x;
    }
    const z11 = (w[a1]! / l11 - d1) / l11;
    Z[za1 + a1] = z11;
    const z01 = -(d0 + l10 * z11) / l00;
    Z[za0 + a1] = z01;
    Z[za1 + a0] = z01;
    let e0 = l10 * z01;
    for (let k = a1 + 1; k < N; k++) e0 += work[k]! * Z[za0 + k]!;
    Z[za0 + a0] = (w[a0]! / l00 - e0) / l00;
  }
}

/**
 * Cholesky factorization in place for a matrix whose factor has a known sparsity structure, stored
 * dense (row-major, lower triangle): columns are taken in panels, and for each panel only the rows
 * below it that can be nonzero (`rows[rowPtr[p]..rowPtr[p+1])`, sorted) are computed and updated,
 * with the same 2 × 2 register-blocked trailing update as `potrfBlocked`. The entries outside the
 * structure must be zero on entry; they stay zero. With every row listed it is `potrfBlocked`.
 *
 * @param A - matrix, lower triangle overwritten by L
 * @param lda - distance between rows
 * @param panelStart - panel boundaries (first column of each panel, then the order N)
 * @param rowPtr - per panel, the start of its rows in `rows`
 * @param rows - rows below each panel that can be nonzero (from ./ordering)
 * @returns 0 on success, else the 1-based column whose pivot was not positive
 * @see Ng & Peyton (1993) Block sparse Cholesky algorithms on advanced uniprocessor computers,
 *   SIAM J. Sci. Comput. 14(5), doi:10.1137/0914063
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
