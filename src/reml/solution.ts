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
import { backSolve, responseRow } from "../blocked/solve";
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
  const { p, n } = sys;
  const st = sys.structure;
  const { L, T } = ws;
  const { N, xStart, xyPos, levelColumn, colSuper, colStart, valPtr } = st;
  const r = L[xyPos[p * (p + 1) + p]!]!;
  const sigma2 = (r * r) / (reml ? n - p : n);

  const x = backSolve(st, L, responseRow(st, L, new Float64Array(N - 1)));
  const beta = x.slice(xStart, N - 1);

  // vcov = sigma² (R_X R_X')^{-1}: invert the p × p lower-triangular block, then V' V.
  const R = (a: number, c: number): number => L[xyPos[a * (p + 1) + c]!]!;
  const Rinv = new Float64Array(p * p);
  for (let c = 0; c < p; c++) {
    for (let a = c; a < p; a++) {
      let v = a === c ? 1 : 0;
      for (let k = c; k < a; k++) v -= R(a, k) * Rinv[k * p + c]!;
      Rinv[a * p + c] = v / R(a, a);
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
  selectedInverse(sys, ws, inv, 1, 0, 0, "diagonal");
  const Z = inv.Z;
  const u = new Float64Array(xStart);
  const b: Float64Array[] = [];
  const condVar: Float64Array[] = [];
  let uo = 0;
  model.terms.forEach((term, k) => {
    const q = term.q;
    const Tk = T[k]!;
    const bk = new Float64Array(term.m * q);
    const vk = new Float64Array(term.m * q);
    for (let l = 0; l < term.m; l++) {
      const c = levelColumn[k]![l]!;
      const s = colSuper[c]!;
      const w = colStart[s + 1]! - colStart[s]!;
      // Zbar_ll's lower triangle: (i, j ≤ i) at diag + i w + j.
      const diag = valPtr[s]! + (c - colStart[s]!) * (w + 1);
      for (let a = 0; a < q; a++) {
        u[uo + l * q + a] = x[c + a]!;
        let v = 0;
        for (let cc = 0; cc <= a; cc++) v += Tk[a * q + cc]! * x[c + cc]!;
        bk[l * q + a] = v;
        // (T Z T')[a,a] = sum_{c,d ≤ a} T[a,c] Z[c,d] T[a,d]
        let wv = 0;
        for (let c1 = 0; c1 <= a; c1++)
          for (let d = 0; d <= a; d++) {
            const z = c1 >= d ? Z[diag + c1 * w + d]! : Z[diag + d * w + c1]!;
            wv += Tk[a * q + c1]! * z * Tk[a * q + d]!;
          }
        vk[l * q + a] = sigma2 * wv;
      }
    }
    uo += term.m * q;
    b.push(bk);
    condVar.push(vk);
  });

  // Fitted values and residuals (none on a model from sufficient statistics: they need the rows).
  const rows = model.statistics === undefined ? model.n : 0;
  const fitted = new Float64Array(rows);
  // Plain loops: a closure made per row or level costs more than its arithmetic (star: 30 → 16 ms).
  // The model's arrays in locals: read through `model` in the loop they cost 4 ms on star.
  const K = model.terms.length;
  const { X, offset, y } = model;
  const refs = model.terms.map((term) => term.refs);
  const values = model.terms.map((term) => term.values);
  const qs = model.terms.map((term) => term.q);
  for (let i = 0; i < rows; i++) {
    let v = offset === null ? 0 : offset[i]!;
    const xi = i * p;
    for (let c = 0; c < p; c++) v += X[xi + c]! * beta[c]!;
    for (let k = 0; k < K; k++) {
      const q = qs[k]!;
      const base = refs[k]![i]! * q;
      const bk = b[k]!;
      const vk = values[k]!;
      for (let a = 0; a < q; a++) v += vk[i * q + a]! * bk[base + a]!;
    }
    fitted[i] = v;
  }
  const residuals = new Float64Array(rows);
  for (let i = 0; i < rows; i++) residuals[i] = y[i]! - fitted[i]!;
  return { beta, u, b, condVar, sigma2, vcov, fitted, residuals };
}
