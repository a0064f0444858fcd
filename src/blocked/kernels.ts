/**
 * Dense kernels of the supernodal factor (./numeric, ./inverse): a supernode's block is rows × width,
 * row-major, its own columns' rows first. They allocate nothing and validate nothing (STYLE.md §5).
 * Inner loops are dot products over a row (contiguous), register-blocked 2 × 2 where the sizes allow:
 * in V8 about twice as fast as plain dot products.
 */

/**
 * Factors a supernode in place after all updates from its descendants: L_CC = chol(A_CC) on the first
 * `w` rows, then the rows below, L_UC = A_UC L_CC^{-T} (row by row, dot products over the row).
 *
 * @param L - values
 * @param base - where the block starts
 * @param w - width (columns)
 * @param nr - rows (w own rows, then the rows below)
 * @returns 0, or 1 + the local column whose pivot was not positive
 */
export function factorSupernode(L: Float64Array, base: number, w: number, nr: number): number {
  if (w === 1) {
    const d = L[base]!;
    if (!(d > 0)) return 1;
    const l = Math.sqrt(d);
    L[base] = l;
    const inv = 1 / l;
    for (let i = 1; i < nr; i++) L[base + i]! *= inv;
    return 0;
  }
  for (let i = 0; i < nr; i++) {
    const ri = base + i * w;
    const top = i < w ? i : w - 1;
    for (let j = 0; j <= top; j++) {
      const rj = base + j * w;
      let s = L[ri + j]!;
      let k = 0;
      let s2 = 0;
      for (; k + 1 < j; k += 2) {
        s -= L[ri + k]! * L[rj + k]!;
        s2 -= L[ri + k + 1]! * L[rj + k + 1]!;
      }
      if (k < j) s -= L[ri + k]! * L[rj + k]!;
      s += s2;
      if (j < i) L[ri + j] = s / L[rj + j]!;
      else {
        if (!(s > 0)) return i + 1;
        L[ri + i] = Math.sqrt(s);
      }
    }
  }
  return 0;
}

/**
 * The update of a target supernode by a descendant d (left-looking supernodal Cholesky): for the rows
 * a ≥ b of d from `i1` on, with b among d's rows in the target's columns (i1..i2),
 *
 *     T[rel[a - i1], col[b - i1]] -= L_d[a, :] · L_d[b, :]
 *
 * where `rel` maps d's rows to the target's local rows and `col` gives the target's local column.
 *
 * @param L - values (both blocks)
 * @param dBase - descendant's block start
 * @param wd - descendant's width
 * @param i1 - first row of d in the target's columns
 * @param i2 - first row of d past the target's columns
 * @param iEnd - d's row count
 * @param tBase - target's block start
 * @param wt - target's width
 * @param rel - rel[a - i1]: the target's local row of d's row a (a in i1..iEnd)
 * @param col - col[b - i1]: the target's local column of d's row b (b in i1..i2)
 */
export function updateFromDescendant(
  L: Float64Array,
  dBase: number,
  wd: number,
  i1: number,
  i2: number,
  iEnd: number,
  tBase: number,
  wt: number,
  rel: Int32Array,
  col: Int32Array,
): void {
  if (wd === 1) {
    for (let b = i1; b < i2; b++) {
      const lb = L[dBase + b]!;
      if (lb === 0) continue;
      const cb = tBase + col[b - i1]!;
      for (let a = b; a < iEnd; a++) L[cb + rel[a - i1]! * wt]! -= L[dBase + a]! * lb;
    }
    return;
  }
  let b = i1;
  for (; b + 1 < i2; b += 2) {
    const rb0 = dBase + b * wd;
    const rb1 = rb0 + wd;
    const cb0 = tBase + col[b - i1]!;
    const cb1 = tBase + col[b + 1 - i1]!;
    // Diagonal pair (b, b), (b+1, b), (b+1, b+1).
    {
      let s00 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let k = 0; k < wd; k++) {
        const x0 = L[rb0 + k]!;
        const x1 = L[rb1 + k]!;
        s00 += x0 * x0;
        s10 += x1 * x0;
        s11 += x1 * x1;
      }
      const t0 = rel[b - i1]! * wt;
      const t1 = rel[b + 1 - i1]! * wt;
      L[cb0 + t0]! -= s00;
      L[cb0 + t1]! -= s10;
      L[cb1 + t1]! -= s11;
    }
    let a = b + 2;
    for (; a + 1 < iEnd; a += 2) {
      const ra0 = dBase + a * wd;
      const ra1 = ra0 + wd;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let k = 0; k < wd; k++) {
        const x0 = L[ra0 + k]!;
        const x1 = L[ra1 + k]!;
        const y0 = L[rb0 + k]!;
        const y1 = L[rb1 + k]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      const t0 = rel[a - i1]! * wt;
      const t1 = rel[a + 1 - i1]! * wt;
      L[cb0 + t0]! -= s00;
      L[cb1 + t0]! -= s01;
      L[cb0 + t1]! -= s10;
      L[cb1 + t1]! -= s11;
    }
    if (a < iEnd) {
      const ra0 = dBase + a * wd;
      let s0 = 0;
      let s1 = 0;
      for (let k = 0; k < wd; k++) {
        const x0 = L[ra0 + k]!;
        s0 += x0 * L[rb0 + k]!;
        s1 += x0 * L[rb1 + k]!;
      }
      const t0 = rel[a - i1]! * wt;
      L[cb0 + t0]! -= s0;
      L[cb1 + t0]! -= s1;
    }
  }
  if (b < i2) {
    const rb = dBase + b * wd;
    const cb = tBase + col[b - i1]!;
    for (let a = b; a < iEnd; a++) {
      const ra = dBase + a * wd;
      let s = 0;
      for (let k = 0; k < wd; k++) s += L[ra + k]! * L[rb + k]!;
      L[cb + rel[a - i1]! * wt]! -= s;
    }
  }
}
