/**
 * Wishart and inverse-Wishart draws by the Bartlett decomposition, into caller buffers with caller
 * workspace (nothing allocated). Parametrizations exactly as DESIGN.md:
 *
 *   W ~ Wishart(df, S):          density ∝ |W|^((df-q-1)/2) exp(-tr(S^-1 W)/2),   E[W] = df S
 *   Psi ~ InvWishart(df, scale): density ∝ |Psi|^(-(df+q+1)/2) exp(-tr(scale Psi^-1)/2),
 *                                E[Psi] = scale / (df - q - 1)  (df > q + 1)
 *   Psi ~ InvWishart(df, scale)  <=>  Psi^-1 ~ Wishart(df, scale^-1).
 *
 * Bartlett: with A lower triangular, A_ii = sqrt(chi²(df - i)) (i = 0..q-1), A_ij ~ N(0, 1) for i > j,
 * and S = C C', W = (C A)(C A)' ~ Wishart(df, S). For the inverse, with scale = C C',
 * Psi^-1 = C^-T A A' C^-1 is Wishart(df, scale^-1), so Psi = H H' with H = C A^-T (row r of H solves
 * A h = C[r, :]' by forward substitution) and Psi^-1 = K K' with K = C^-T A (column c of K solves
 * C' k = A[:, c] by back substitution). For q = 1, InvWishart(df, s) is InvGamma(df/2, s/2).
 *
 * These are the Gibbs sampler's draws of each Psi_k (samplers/drawPsi.ts calls
 * `inverseWishartWithInverse`), so they are written for small q: plain loops, no flags, divisions
 * by the diagonals (not multiplications by their reciprocals), into caller buffers.
 *
 * Real-valued df > q - 1 is required (each chi² needs df - i > 0); otherwise the result is NaN.
 *
 * Reference: Bartlett (1933) On the theory of statistical regression, Proc. R. Soc. Edinburgh 53:260-283;
 * Smith & Hocking (1972) Algorithm AS 53: Wishart variate generator, J. R. Stat. Soc. C 21(3):341-345,
 * doi:10.2307/2346290.
 */
import { symmetrize } from "../linalg/symmetrize";
import { syrk } from "../linalg/syrk";
import { trmm } from "../linalg/trmm";
import { gammaInto } from "./gamma";
import type { Random } from "./generator";
import { fillNormal } from "./normal";

/**
 * Fills q × q row-major `A` (at offset) with a Bartlett factor: lower triangular, zeros above. The
 * draws come in this order: the strictly lower normals row by row, then the diagonal's chi-squares
 * sqrt(chi²(df - i)) = sqrt(2 Gamma((df - i)/2)) for i = 0..q-1.
 */
function bartlett(rng: Random, q: number, df: number, A: Float64Array, offset: number): void {
  for (let i = 1; i < q; i++) fillNormal(rng, i, A, 1, offset + i * q);
  for (let i = 0; i < q; i++) {
    const row = offset + i * q;
    gammaInto(rng, (df - i) / 2, A, row + i);
    A[row + i] = Math.sqrt(2 * A[row + i]!);
    for (let j = i + 1; j < q; j++) A[row + j] = 0;
  }
}

/**
 * Draws W ~ Wishart(df, S) given the lower Cholesky factor C of S (S = C C'); E[W] = df S.
 *
 * @param rng - the generator
 * @param q - order of the matrices
 * @param df - degrees of freedom, > q - 1
 * @param C - lower Cholesky factor of S (strict upper triangle not read)
 * @param strideC1 - stride between rows of C
 * @param strideC2 - stride between columns of C
 * @param offsetC - index of C[0, 0]
 * @param out - q × q output, written in full (symmetric)
 * @param strideOut1 - stride between rows of `out`
 * @param strideOut2 - stride between columns of `out`
 * @param offsetOut - index of out[0, 0]
 * @param work - workspace of at least q² elements from `offsetWork` (must not overlap the others)
 * @param offsetWork - index of the workspace's first element
 * @returns `out`; NaN entries when df <= q - 1
 * @example
 * // q = 1: Wishart(df, s) is s · chi²(df)
 * wishart(rng, 1, 5, new Float64Array([Math.sqrt(2)]), 1, 1, 0, out, 1, 1, 0, work, 0); // 2 · chi²(5)
 */
export function wishart(
  rng: Random,
  q: number,
  df: number,
  C: Float64Array,
  strideC1: number,
  strideC2: number,
  offsetC: number,
  out: Float64Array,
  strideOut1: number,
  strideOut2: number,
  offsetOut: number,
  work: Float64Array,
  offsetWork: number,
): Float64Array {
  bartlett(rng, q, df, work, offsetWork);
  // work := C A (lower times lower is lower)
  trmm(
    "left",
    "lower",
    "no-transpose",
    "non-unit",
    q,
    q,
    1,
    C,
    strideC1,
    strideC2,
    offsetC,
    work,
    q,
    1,
    offsetWork,
  );
  syrk("lower", "no-transpose", q, q, 1, work, q, 1, offsetWork, 0, out, strideOut1, strideOut2, offsetOut);
  symmetrize("lower", q, out, strideOut1, strideOut2, offsetOut);
  return out;
}

/**
 * Draws Psi ~ InvWishart(df, scale) given the lower Cholesky factor C of scale (scale = C C');
 * E[Psi] = scale / (df - q - 1). The Gibbs update of a random-effects covariance is
 * InvWishart(df0 + m, scale0 + sum_j b_j b_j').
 *
 * @param rng - the generator
 * @param q - order of the matrices
 * @param df - degrees of freedom, > q - 1
 * @param C - lower Cholesky factor of the scale matrix (strict upper triangle not read)
 * @param strideC1 - stride between rows of C
 * @param strideC2 - stride between columns of C
 * @param offsetC - index of C[0, 0]
 * @param out - q × q output, written in full (symmetric)
 * @param strideOut1 - stride between rows of `out`
 * @param strideOut2 - stride between columns of `out`
 * @param offsetOut - index of out[0, 0]
 * @param work - workspace of at least 2 q² elements from `offsetWork` (must not overlap the others)
 * @param offsetWork - index of the workspace's first element
 * @returns `out`; NaN entries when df <= q - 1
 * @example
 * // q = 1: InvWishart(df, s) is InvGamma(df/2, s/2), i.e. s / chi²(df)
 * inverseWishart(rng, 1, 5, new Float64Array([Math.sqrt(2)]), 1, 1, 0, out, 1, 1, 0, work, 0); // 2 / chi²(5)
 */
export function inverseWishart(
  rng: Random,
  q: number,
  df: number,
  C: Float64Array,
  strideC1: number,
  strideC2: number,
  offsetC: number,
  out: Float64Array,
  strideOut1: number,
  strideOut2: number,
  offsetOut: number,
  work: Float64Array,
  offsetWork: number,
): Float64Array {
  drawInverseWishart(
    rng,
    q,
    df,
    C,
    strideC1,
    strideC2,
    offsetC,
    out,
    strideOut1,
    strideOut2,
    offsetOut,
    null,
    0,
    0,
    0,
    work,
    offsetWork,
  );
  return out;
}

/**
 * Draws Psi ~ InvWishart(df, scale) as `inverseWishart` does (the same draws from the same generator
 * state), and also writes its inverse Psi^-1 = K K', K = C^-T A, computed from the Bartlett factor
 * rather than by inverting Psi. The Gibbs sampler needs both (Psi for the output, Psi^-1 for the
 * location draw's precision).
 *
 * @param rng - the generator
 * @param q - order of the matrices
 * @param df - degrees of freedom, > q - 1
 * @param C - lower Cholesky factor of the scale matrix (strict upper triangle not read)
 * @param strideC1 - stride between rows of C
 * @param strideC2 - stride between columns of C
 * @param offsetC - index of C[0, 0]
 * @param out - q × q output Psi, written in full (symmetric)
 * @param strideOut1 - stride between rows of `out`
 * @param strideOut2 - stride between columns of `out`
 * @param offsetOut - index of out[0, 0]
 * @param inv - q × q output Psi^-1, written in full (symmetric)
 * @param strideInv1 - stride between rows of `inv`
 * @param strideInv2 - stride between columns of `inv`
 * @param offsetInv - index of inv[0, 0]
 * @param work - workspace of at least 2 q² elements from `offsetWork` (must not overlap the others)
 * @param offsetWork - index of the workspace's first element
 * @returns `out`; NaN entries in both outputs when df <= q - 1
 * @example
 * // q = 1: Psi = 2 / chi²(5) and inv[0] = 1 / Psi (to rounding)
 * inverseWishartWithInverse(rng, 1, 5, new Float64Array([Math.sqrt(2)]), 1, 1, 0, out, 1, 1, 0, inv, 1, 1, 0, work, 0);
 */
export function inverseWishartWithInverse(
  rng: Random,
  q: number,
  df: number,
  C: Float64Array,
  strideC1: number,
  strideC2: number,
  offsetC: number,
  out: Float64Array,
  strideOut1: number,
  strideOut2: number,
  offsetOut: number,
  inv: Float64Array,
  strideInv1: number,
  strideInv2: number,
  offsetInv: number,
  work: Float64Array,
  offsetWork: number,
): Float64Array {
  drawInverseWishart(
    rng,
    q,
    df,
    C,
    strideC1,
    strideC2,
    offsetC,
    out,
    strideOut1,
    strideOut2,
    offsetOut,
    inv,
    strideInv1,
    strideInv2,
    offsetInv,
    work,
    offsetWork,
  );
  return out;
}

/** Both inverse-Wishart draws: Psi = H H' (H = C A^-T), and Psi^-1 = K K' (K = C^-T A) when `inv` is given. */
function drawInverseWishart(
  rng: Random,
  q: number,
  df: number,
  C: Float64Array,
  sc1: number,
  sc2: number,
  oc: number,
  out: Float64Array,
  so1: number,
  so2: number,
  oo: number,
  inv: Float64Array | null,
  si1: number,
  si2: number,
  oi: number,
  work: Float64Array,
  offsetWork: number,
): void {
  const a = offsetWork;
  const h = offsetWork + q * q;
  bartlett(rng, q, df, work, a);
  // H = C A^-T: row r of H solves A h = C[r, :]' (forward substitution; C lower, so C[r, i] = 0 for i > r).
  for (let r = 0; r < q; r++) {
    const hr = h + r * q;
    for (let i = 0; i < q; i++) {
      let v = i <= r ? C[oc + r * sc1 + i * sc2]! : 0;
      const ai = a + i * q;
      for (let t = 0; t < i; t++) v -= work[ai + t]! * work[hr + t]!;
      work[hr + i] = v / work[ai + i]!;
    }
  }
  crossProduct(q, work, h, out, so1, so2, oo);
  if (inv === null) return;
  // K = C^-T A: column c of K solves C' k = A[:, c] (back substitution; A lower). K overwrites H.
  for (let c = 0; c < q; c++) {
    for (let i = q - 1; i >= 0; i--) {
      let v = i >= c ? work[a + i * q + c]! : 0;
      for (let t = i + 1; t < q; t++) v -= C[oc + t * sc1 + i * sc2]! * work[h + t * q + c]!;
      work[h + i * q + c] = v / C[oc + i * (sc1 + sc2)]!;
    }
  }
  crossProduct(q, work, h, inv, si1, si2, oi);
}

/** out := H H' for row-major q × q H at work[h..], both triangles written. */
function crossProduct(
  q: number,
  work: Float64Array,
  h: number,
  out: Float64Array,
  s1: number,
  s2: number,
  o: number,
): void {
  for (let r = 0; r < q; r++)
    for (let c = 0; c <= r; c++) {
      let v = 0;
      for (let t = 0; t < q; t++) v += work[h + r * q + t]! * work[h + c * q + t]!;
      out[o + r * s1 + c * s2] = v;
      out[o + c * s1 + r * s2] = v;
    }
}
