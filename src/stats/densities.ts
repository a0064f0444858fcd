/**
 * Log densities of the conjugate priors, normalized (the marginal likelihood needs every constant),
 * in the parametrizations of DESIGN.md:
 *     InvGamma(x; a, b)     = b^a / Γ(a) · x^-(a+1) exp(−b/x)
 *     InvWishart(Psi; ν, S) = |S|^(ν/2) / (2^(νq/2) Γ_q(ν/2)) · |Psi|^-(ν+q+1)/2 exp(−tr(S Psi⁻¹)/2)
 * with Γ_q(a) = π^(q(q−1)/4) Π_{j=1..q} Γ(a + (1 − j)/2). For q = 1, InvWishart(ν, s) is
 * InvGamma(ν/2, s/2), the form the sampler gives each variance of an uncorrelated term.
 *
 * Reference: Gelman, Carlin, Stern, Dunson, Vehtari & Rubin (2013) Bayesian Data Analysis, 3rd ed.,
 * Appendix A, doi:10.1201/b16018.
 */
import { logdetFromCholesky } from "../linalg/logdetFromCholesky";
import { potrf } from "../linalg/potrf";
import { potri } from "../linalg/potri";
import { logGamma } from "./distributions";

/**
 * log InvGamma(x; shape, scale).
 *
 * @returns the log density; −Infinity for x ≤ 0; NaN for a non-positive shape or scale
 * @example logInverseGammaDensity(1, 2, 1) // log(1 · e^-1) = −1
 */
export function logInverseGammaDensity(x: number, shape: number, scale: number): number {
  if (!(shape > 0) || !(scale > 0)) return Number.NaN;
  if (!(x > 0)) return Number.NEGATIVE_INFINITY;
  return shape * Math.log(scale) - logGamma(shape) - (shape + 1) * Math.log(x) - scale / x;
}

/**
 * log Γ_q(a), the multivariate gamma function.
 *
 * @example logMultivariateGamma(1.5, 1) // logGamma(1.5)
 */
export function logMultivariateGamma(a: number, q: number): number {
  let sum = ((q * (q - 1)) / 4) * Math.log(Math.PI);
  for (let j = 1; j <= q; j++) sum += logGamma(a + (1 - j) / 2);
  return sum;
}

/**
 * log InvWishart(Psi; df, scale) of a q × q block of row-major matrices.
 *
 * @param q - order
 * @param psi - Psi (lower triangle read)
 * @param offsetPsi - index of Psi[0, 0]; stride `stride` between rows
 * @param df - degrees of freedom ν > q − 1
 * @param scale - S (lower triangle read)
 * @param offsetScale - index of S[0, 0]
 * @param stride - row stride of both
 * @param work - scratch of 2 q² values
 * @returns the log density; −Infinity when Psi is not positive definite, NaN when S is not
 * @example logInverseWishartDensity(1, Float64Array.of(2), 0, 4, Float64Array.of(3), 0, 1, new Float64Array(2)) // = logInverseGammaDensity(2, 2, 1.5)
 */
export function logInverseWishartDensity(
  q: number,
  psi: Float64Array,
  offsetPsi: number,
  df: number,
  scale: Float64Array,
  offsetScale: number,
  stride: number,
  work: Float64Array,
): number {
  const qq = q * q;
  for (let a = 0; a < q; a++)
    for (let c = 0; c <= a; c++) {
      work[a * q + c] = psi[offsetPsi + a * stride + c]!;
      work[qq + a * q + c] = scale[offsetScale + a * stride + c]!;
    }
  if (potrf(q, work, q, 1, 0) !== 0) return Number.NEGATIVE_INFINITY;
  const logdetPsi = logdetFromCholesky(q, work, q, 1, 0);
  potri(q, work, q, 1, 0); // lower triangle of Psi⁻¹
  // tr(S Psi⁻¹) = Σ_ac S_ac (Psi⁻¹)_ca, both symmetric: diagonal + 2 × strict lower.
  let trace = 0;
  for (let a = 0; a < q; a++)
    for (let c = 0; c <= a; c++) trace += (a === c ? 1 : 2) * work[qq + a * q + c]! * work[a * q + c]!;
  if (potrf(q, work, q, 1, qq) !== 0) return Number.NaN;
  const logdetScale = logdetFromCholesky(q, work, q, 1, qq);
  return (
    (df / 2) * logdetScale -
    ((df * q) / 2) * Math.LN2 -
    logMultivariateGamma(df / 2, q) -
    ((df + q + 1) / 2) * logdetPsi -
    trace / 2
  );
}
