/**
 * A data-driven starting theta for REML/ML when every random-effects term is a scalar intercept
 * `(1 | g)`: moment (ANOVA-type) estimates of the variance ratios, read from the blocked
 * cross-products the fit has already built — no pass over the rows.
 *
 * With r = y − X β̂ the residuals of the fixed effects alone (weighted least squares,
 * β̂ = (X'WX)⁻¹ X'Wy), term k's level j has weight w_kj = (Z_k'WZ_k)_jj (its row count without
 * weights) and residual mean r̄_kj = (Z_k'Wr)_j / w_kj = ((Z_k'Wy)_j − (Z_k'WX)_j β̂) / w_kj. Under the
 * model a level mean of term k carries τ_k², the share c_kl of every other term's variance left after
 * averaging over the level's rows, and σ² / w_kj; the total variance is σ² + Σ_k τ_k²:
 *
 *     V_k = var_j(r̄_kj) ≈ τ_k² + Σ_{l≠k} c_kl τ_l² + h_k σ²,   h_k = mean_j(1 / w_kj),
 *     c_kl = mean_j Σ_i (n_{kj,li} / w_kj)²   (n_{kj,li}: Z_k'WZ_l at level j of k and i of l),
 *     T   = RSS / (n − p) ≈ σ² + Σ_k τ_k²,
 *
 * K + 1 linear equations in (τ_1², ..., τ_K², σ²), solved directly; the start is θ_k = τ_k / σ. σ² is
 * kept within [T / 100, T] and θ_k within [0.1, 10] (a term whose estimate is ≤ 0 starts at 0.1:
 * the optimizer's asinh coordinates are linear there and reach a boundary fit without a stall).
 * Any other model (random slopes, correlated terms, a rank-deficient X) starts at lme4's θ = 1.
 */
import { potrf } from "../linalg/potrf";
import { potrs } from "../linalg/potrs";
import type { LmmModel } from "../model/types";
import type { BlockedSystem } from "./system";
import { initialTheta, type ThetaLayout } from "./theta";

/** The bounds of the moment start: θ_k within [MIN, MAX]. */
const MIN_THETA = 0.1;
const MAX_THETA = 10;

/**
 * The moment start of a model whose terms are all scalar intercepts, else lme4's θ = 1.
 *
 * @param model - the (centred) model the system was built from
 * @param system - its blocked cross-products
 * @param layout - its theta layout
 * @returns a new theta (layout.length elements)
 * @example
 * // mlmRev's star: (1 | id) + (1 | tch) + (1 | sch)
 * momentStart(model, system, layout); // ≈ [2.01, 1.11, 0.66] (lme4's optimum: 1.59, 0.86, 0.51)
 */
export function momentStart(model: LmmModel, system: BlockedSystem, layout: ThetaLayout): Float64Array {
  const theta = initialTheta(layout);
  const { terms } = model;
  if (!terms.every((t) => t.q === 1 && t.names.length === 1 && t.names[0] === "(Intercept)")) return theta;
  const { cp, n, p } = system;
  if (n - p < 2) return theta;
  // β̂ by Cholesky of X'WX (a rank-deficient X: lme4's start, the criterion reports it).
  const xx = cp.xx.slice();
  if (p > 0 && potrf(p, xx, p, 1, 0) !== 0) return theta;
  // A pivot that rounding alone kept positive (a column that is a combination of the others).
  for (let j = 0; j < p; j++) if (!(xx[j * p + j]! ** 2 > 1e-10 * cp.xx[j * p + j]!)) return theta;
  const beta = cp.xy.slice();
  if (p > 0) potrs(p, 1, xx, p, 1, 0, beta, 1, 1, 0);
  let rss = cp.yy;
  for (let j = 0; j < p; j++) rss -= beta[j]! * cp.xy[j]!;
  const total = rss / (n - p);
  if (!(total > 0) || !Number.isFinite(total)) return theta;
  const K = terms.length;
  // Rows 0..K-1: V_k = τ_k² + Σ_{l≠k} c_kl τ_l² + h_k σ²; row K: T = σ² + Σ_k τ_k². Unknowns (τ², σ²).
  const a = new Float64Array((K + 1) * (K + 2));
  const at = (r: number, c: number): number => r * (K + 2) + c;
  for (let k = 0; k < K; k++) {
    const m = cp.m[k]!;
    const zz = cp.zz[k]!;
    const zx = cp.zx[k]!;
    const zy = cp.zy[k]!;
    let count = 0;
    let mean = 0;
    let m2 = 0;
    let h = 0;
    for (let j = 0; j < m; j++) {
      const w = zz[j]!;
      if (!(w > 0)) continue;
      let s = zy[j]!;
      for (let c = 0; c < p; c++) s -= zx[j * p + c]! * beta[c]!;
      const r = s / w;
      count++;
      const delta = r - mean;
      mean += delta / count;
      m2 += delta * (r - mean);
      h += 1 / w;
    }
    if (count < 2) return theta;
    a[at(k, K + 1)] = m2 / (count - 1);
    a[at(k, k)] = 1;
    a[at(k, K)] = h / count;
    a[at(K, k)] = 1;
  }
  a[at(K, K)] = 1;
  a[at(K, K + 1)] = total;
  // c_kl = mean_j Σ_i (n_{kj,li} / n_kj)²: the share of term l's variance left in a level mean of k.
  for (const pair of cp.pairs) {
    const { a: ka, b: kb, ptr, idx, val } = pair;
    const za = cp.zz[ka]!;
    const zb = cp.zz[kb]!;
    const sqB = new Float64Array(cp.m[kb]!);
    let cab = 0;
    let levelsA = 0;
    for (let i = 0; i < cp.m[ka]!; i++) {
      const w = za[i]!;
      if (!(w > 0)) continue;
      levelsA++;
      let sq = 0;
      for (let e = ptr[i]!; e < ptr[i + 1]!; e++) {
        sq += val[e]! * val[e]!;
        sqB[idx[e]!]! += val[e]! * val[e]!;
      }
      cab += sq / (w * w);
    }
    let cba = 0;
    let levelsB = 0;
    for (let j = 0; j < sqB.length; j++) {
      const w = zb[j]!;
      if (!(w > 0)) continue;
      levelsB++;
      cba += sqB[j]! / (w * w);
    }
    a[at(ka, kb)] = cab / levelsA;
    a[at(kb, ka)] = cba / levelsB;
  }
  const x = solveSmall(K + 1, a);
  if (x === null) return theta;
  const sigma2 = Math.min(total, Math.max(total / 100, x[K]!));
  if (!Number.isFinite(sigma2)) return theta;
  for (let k = 0; k < K; k++) {
    const tau2 = x[k]!;
    const ratio = tau2 > 0 ? Math.sqrt(tau2 / sigma2) : MIN_THETA;
    theta[layout.offset[k]!] = Math.min(MAX_THETA, Math.max(MIN_THETA, ratio));
  }
  return theta;
}

/** Solves the N × N system [A | b] (row-major N × (N + 1)) by Gaussian elimination with partial pivoting; null if singular. */
function solveSmall(N: number, a: Float64Array): Float64Array | null {
  const w = N + 1;
  for (let c = 0; c < N; c++) {
    let pivot = c;
    for (let r = c + 1; r < N; r++) if (Math.abs(a[r * w + c]!) > Math.abs(a[pivot * w + c]!)) pivot = r;
    if (!(Math.abs(a[pivot * w + c]!) > 1e-12)) return null;
    if (pivot !== c)
      for (let j = 0; j < w; j++) {
        const t = a[c * w + j]!;
        a[c * w + j] = a[pivot * w + j]!;
        a[pivot * w + j] = t;
      }
    for (let r = c + 1; r < N; r++) {
      const f = a[r * w + c]! / a[c * w + c]!;
      if (f !== 0) for (let j = c; j < w; j++) a[r * w + j]! -= f * a[c * w + j]!;
    }
  }
  const x = new Float64Array(N);
  for (let r = N - 1; r >= 0; r--) {
    let s = a[r * w + N]!;
    for (let j = r + 1; j < N; j++) s -= a[r * w + j]! * x[j]!;
    x[r] = s / a[r * w + r]!;
  }
  return x;
}
