/**
 * The estimates at a given theta, read off the blocked factor L(theta) (./factor):
 *
 *     [u; beta] solves L_M' x = l_y  (l_y: y's row of L without its diagonal r),   b = Lambda u
 *     sigma² = r² / nu  (nu = n - p for REML, n for ML)
 *     vcov(beta) = sigma² (R_X R_X')^{-1}  (R_X: the X block of L)
 *     condVar(b_kl) = sigma² T_k [(Lambda'Z'Z Lambda + I)^{-1}]_{kl} T_k'
 *
 * (Bates et al. 2015, §3.4–3.6; lme4's `fixef`, `vcov`, `ranef(condVar = TRUE)`.)
 */
import type { LmmModel } from "../model/types";
import type { FactorWorkspace } from "./factor";
import { type InverseWorkspace, selectedInverse } from "./gradient";
import type { BlockedSystem } from "./system";

/** Estimates at theta. */
export interface Solution {
  readonly beta: Float64Array;
  /** Spherical random effects u, in Z's column order. */
  readonly u: Float64Array;
  /** Random effects b = Lambda u per term: m_k × q_k row-major. */
  readonly b: Float64Array[];
  /** Conditional variances per term: m_k × q_k (the diagonals of the level blocks). */
  readonly condVar: Float64Array[];
  readonly sigma2: number;
  /** p × p row-major covariance of beta. */
  readonly vcov: Float64Array;
  readonly fitted: Float64Array;
  readonly residuals: Float64Array;
}

/**
 * Estimates at the theta of the workspace's (successful) factorization.
 *
 * @param model - the model
 * @param sys - its blocked system
 * @param ws - the factor at theta
 * @param inv - inverse workspace (overwritten)
 * @param reml - REML (sigma² = r²/(n-p)) or ML (r²/n)
 * @returns the estimates
 * @example
 * factorize(sys, layout, theta, ws);
 * solution(model, sys, ws, inverseWorkspace(sys), true).beta; // REML fixed effects at theta
 */
export function solution(
  model: LmmModel,
  sys: BlockedSystem,
  ws: FactorWorkspace,
  inv: InverseWorkspace,
  reml: boolean,
): Solution {
  const { nr, q1, m1, colPtr, rowIdx, xOffset, yIndex, p, n } = sys;
  const { S, L11, L21, T } = ws;
  const ry = S[yIndex * nr + yIndex]!;
  const sigma2 = (ry * ry) / (reml ? n - p : n);

  // Rest part: L22[0..y, 0..y)' x_r = L22[y, 0..y).
  const xr = new Float64Array(yIndex);
  for (let a = yIndex - 1; a >= 0; a--) {
    let v = S[yIndex * nr + a]!;
    for (let k = a + 1; k < yIndex; k++) v -= S[k * nr + a]! * xr[k]!;
    xr[a] = v / S[a * nr + a]!;
  }
  // Block 1: L11_j' x_1j = l_y,1j - L21_j(-y)' x_r.
  const x1 = new Float64Array(m1 * q1);
  const rhs = new Float64Array(q1);
  for (let j = 0; j < m1; j++) {
    rhs.fill(0);
    for (let e = colPtr[j]!; e < colPtr[j + 1]!; e++) {
      const r = rowIdx[e]!;
      for (let t = 0; t < q1; t++) rhs[t]! += r === yIndex ? L21[e * q1 + t]! : -L21[e * q1 + t]! * xr[r]!;
    }
    const base = j * q1 * q1;
    for (let a = q1 - 1; a >= 0; a--) {
      let v = rhs[a]!;
      for (let k = a + 1; k < q1; k++) v -= L11[base + k * q1 + a]! * x1[j * q1 + k]!;
      x1[j * q1 + a] = v / L11[base + a * q1 + a]!;
    }
  }
  const beta = xr.slice(xOffset, yIndex);
  const u = new Float64Array(m1 * q1 + xOffset);
  u.set(x1);
  u.set(xr.subarray(0, xOffset), m1 * q1);

  // vcov = sigma² (R_X R_X')^{-1}: invert the p × p lower-triangular block, then V' V.
  const Rinv = new Float64Array(p * p);
  for (let c = 0; c < p; c++) {
    for (let a = c; a < p; a++) {
      let v = a === c ? 1 : 0;
      for (let k = c; k < a; k++) v -= S[(xOffset + a) * nr + xOffset + k]! * Rinv[k * p + c]!;
      Rinv[a * p + c] = v / S[(xOffset + a) * nr + xOffset + a]!;
    }
  }
  const vcov = new Float64Array(p * p);
  for (let a = 0; a < p; a++)
    for (let b = 0; b < p; b++) {
      let v = 0;
      for (let k = Math.max(a, b); k < p; k++) v += Rinv[k * p + a]! * Rinv[k * p + b]!;
      vcov[a * p + b] = sigma2 * v;
    }

  // b = Lambda u and conditional variances from (Lambda'Z'Z Lambda + I)^{-1}.
  selectedInverse(sys, ws, inv, 1, 0, 0);
  const b: Float64Array[] = [];
  const condVar: Float64Array[] = [];
  const blockU = new Float64Array(Math.max(...sys.q));
  const blockZ = new Float64Array(Math.max(...sys.q) ** 2);
  model.terms.forEach((term, k) => {
    const q = term.q;
    const Tk = T[k]!;
    const bk = new Float64Array(term.m * q);
    const vk = new Float64Array(term.m * q);
    for (let l = 0; l < term.m; l++) {
      // u block and inverse block of this level.
      if (k === 0) {
        for (let a = 0; a < q; a++) blockU[a] = x1[l * q + a]!;
        for (let a = 0; a < q * q; a++) blockZ[a] = inv.Z11[l * q * q + a]!;
      } else {
        const c0 = sys.levelStart[k]![l]!;
        for (let a = 0; a < q; a++) {
          blockU[a] = xr[c0 + a]!;
          for (let c = 0; c < q; c++) blockZ[a * q + c] = inv.Zrr[(c0 + a) * nr + c0 + c]!;
        }
      }
      for (let a = 0; a < q; a++) {
        let v = 0;
        for (let c = 0; c <= a; c++) v += Tk[a * q + c]! * blockU[c]!;
        bk[l * q + a] = v;
        // (T Z T')[a,a] = sum_{c,d ≤ a} T[a,c] Z[c,d] T[a,d]
        let w = 0;
        for (let c = 0; c <= a; c++)
          for (let d = 0; d <= a; d++) w += Tk[a * q + c]! * blockZ[c * q + d]! * Tk[a * q + d]!;
        vk[l * q + a] = sigma2 * w;
      }
    }
    b.push(bk);
    condVar.push(vk);
  });

  // Fitted values and residuals.
  const fitted = new Float64Array(model.n);
  for (let i = 0; i < model.n; i++) {
    let v = model.offset === null ? 0 : model.offset[i]!;
    for (let c = 0; c < p; c++) v += model.X[i * p + c]! * beta[c]!;
    model.terms.forEach((term, k) => {
      const q = term.q;
      const base = term.refs[i]! * q;
      for (let a = 0; a < q; a++) v += term.values[i * q + a]! * b[k]![base + a]!;
    });
    fitted[i] = v;
  }
  const residuals = new Float64Array(model.n);
  for (let i = 0; i < model.n; i++) residuals[i] = model.y[i]! - fitted[i]!;
  return { beta, u, b, condVar, sigma2, vcov, fitted, residuals };
}
