/**
 * Aliased (linearly dependent) columns of a design matrix, found as lme4 finds them: a Householder QR
 * with LINPACK `dqrdc2`'s limited column pivoting (R's `qr(X, tol = 1e-7, LAPACK = FALSE)`, used by
 * lme4's `chkRank.drop.cols`). Columns are taken left to right; a column whose norm, after removing
 * its projection on the columns kept before it, is below `tol` times its original norm is aliased
 * and moved aside. The kept columns stay in their original order.
 *
 * Differences from dqrdc2: the remaining norm is recomputed exactly at each step rather than
 * downdated, which can only matter for a column whose ratio lies within rounding of `tol`.
 *
 * Reference: Dongarra, Bunch, Moler & Stewart (1979) LINPACK Users' Guide, ch. 9 (dqrdc);
 * R's src/appl/dqrdc2.f.
 */

/**
 * Finds the columns of an n × p column-major matrix that are linear combinations of columns before
 * them. Overwrites `a` (with the Householder-reduced matrix).
 *
 * @param n - rows.
 * @param p - columns.
 * @param a - the matrix, column-major (column j at `a[j * n .. j * n + n - 1]`); overwritten.
 * @param tol - relative tolerance (lme4: 1e-7).
 * @returns a Uint8Array of length p: 1 where the column is aliased.
 * @example
 * aliasedColumns(3, 3, new Float64Array([1, 1, 1, 1, 2, 3, 2, 3, 4]), 1e-7) // Uint8Array [0, 0, 1]
 */
export function aliasedColumns(n: number, p: number, a: Float64Array, tol: number): Uint8Array {
  const aliased = new Uint8Array(p);
  const original = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const norm = norm2(n, a, j * n);
    original[j] = norm === 0 ? 1 : norm;
  }
  let l = 0; // rows 0..l-1 are reduced; l = number of kept columns
  for (let j = 0; j < p; j++) {
    const col = j * n;
    const norm = l < n ? norm2(n - l, a, col + l) : 0;
    if (norm < tol * original[j]!) {
      aliased[j] = 1;
      continue;
    }
    if (l === n - 1) {
      l++;
      continue;
    }
    // Householder vector v = x + sign(x_l) * ||x|| e_l over rows l..n-1 (stored in place).
    const xl = a[col + l]!;
    const alpha = xl >= 0 ? -norm : norm;
    a[col + l] = xl - alpha;
    let vtv = 0;
    for (let i = l; i < n; i++) vtv += a[col + i]! * a[col + i]!;
    if (vtv > 0) {
      for (let k = j + 1; k < p; k++) {
        const ck = k * n;
        let s = 0;
        for (let i = l; i < n; i++) s += a[col + i]! * a[ck + i]!;
        const f = (2 * s) / vtv;
        for (let i = l; i < n; i++) a[ck + i] = a[ck + i]! - f * a[col + i]!;
      }
    }
    l++;
  }
  return aliased;
}

/** Euclidean norm of `a[offset .. offset + n - 1]`, scaled to avoid overflow. */
function norm2(n: number, a: Float64Array, offset: number): number {
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(a[offset + i]!));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t = a[offset + i]! / scale;
    sum += t * t;
  }
  return scale * Math.sqrt(sum);
}

/**
 * The same decision from the cross-product matrix G = X'X: a Cholesky factorization taken left to
 * right in which a column whose remaining squared norm is below tol² times its own squared norm is
 * aliased and skipped (R_jj² = G_jj - sum_k R_kj² over the kept columns before it). For designs too
 * large for the QR (X'X is formed from the non-zeros of each row, so a factor with many levels costs
 * little); the squared norms carry rounding of order 1e-16 relative, so columns collinear to within
 * about 1e-7 of the tolerance could be judged differently than by the QR.
 *
 * @param p - columns.
 * @param G - X'X, row-major p × p (the lower triangle is read); overwritten.
 * @param tol - relative tolerance on the norm (lme4: 1e-7).
 * @returns a Uint8Array of length p: 1 where the column is aliased.
 * @example
 * aliasedColumnsFromCrossproducts(3, new Float64Array([3, 0, 0, 6, 14, 0, 9, 20, 29]), 1e-7) // Uint8Array [0, 0, 1]
 */
export function aliasedColumnsFromCrossproducts(p: number, G: Float64Array, tol: number): Uint8Array {
  const aliased = new Uint8Array(p);
  const diagonal = new Float64Array(p);
  for (let j = 0; j < p; j++) diagonal[j] = G[j * p + j]!;
  const tol2 = tol * tol;
  const column = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const d = G[j * p + j]!;
    const own = diagonal[j]! === 0 ? 1 : diagonal[j]!;
    if (!(d >= tol2 * own) || d <= 0) {
      aliased[j] = 1;
      continue;
    }
    const l = Math.sqrt(d);
    G[j * p + j] = l;
    // Column j of the factor, contiguous, then the right-looking update of the trailing triangle.
    for (let i = j + 1; i < p; i++) column[i] = G[i * p + j]! / l;
    for (let i = j + 1; i < p; i++) {
      const lij = column[i]!;
      if (lij === 0) continue;
      const row = i * p;
      for (let k = j + 1; k <= i; k++) G[row + k] = G[row + k]! - lij * column[k]!;
    }
  }
  return aliased;
}
