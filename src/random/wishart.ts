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
 * Psi^-1 = C^-T A A' C^-1 is Wishart(df, scale^-1), so Psi = (C A^-T)(C A^-T)': one triangular solve
 * T A' = C, then Psi = T T'. For q = 1, InvWishart(df, s) is InvGamma(df/2, s/2).
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
import { trsm } from "../linalg/trsm";
import { chiSquare } from "./gamma";
import type { Random } from "./generator";
import { normal } from "./normal";

/** Fills q × q row-major `A` (at offset) with a Bartlett factor: lower triangular, zeros above. */
function bartlett(rng: Random, q: number, df: number, A: Float64Array, offset: number): void {
  for (let i = 0; i < q; i++) {
    const row = offset + i * q;
    for (let j = 0; j < i; j++) A[row + j] = normal(rng);
    A[row + i] = Math.sqrt(chiSquare(rng, df - i));
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
  const a = offsetWork;
  const t = offsetWork + q * q;
  bartlett(rng, q, df, work, a);
  // T := C (lower triangle, zeros above), then solve T A' = C for T.
  for (let i = 0; i < q; i++)
    for (let j = 0; j < q; j++) work[t + i * q + j] = j <= i ? C[offsetC + i * strideC1 + j * strideC2]! : 0;
  trsm("right", "lower", "transpose", "non-unit", q, q, 1, work, q, 1, a, work, q, 1, t);
  syrk("lower", "no-transpose", q, q, 1, work, q, 1, t, 0, out, strideOut1, strideOut2, offsetOut);
  symmetrize("lower", q, out, strideOut1, strideOut2, offsetOut);
  return out;
}
