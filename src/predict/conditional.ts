/**
 * The conditional covariance of the fixed effects and the spherical random effects of a REML/ML fit,
 * given theta and sigma (Henderson's mixed-model equations in lme4's form):
 *
 *     Cov([u - û; beta - beta^] | theta, sigma) = sigma² (L_M L_M')^{-1},
 *     L_M L_M' = [Lambda'Z'Z Lambda + I   Lambda'Z'X]
 *                [X'Z Lambda              X'X       ]
 *
 * (L_M is the blocked factor of src/reml without y's row and column.) For a linear function
 * c'(u, beta) its variance is sigma² |L_M^{-1} c|², one sparse forward solve: supernodes whose
 * columns of the solution are still zero are skipped.
 *
 * @see Bates et al. (2015) doi:10.18637/jss.v067.i01, §3.4; Henderson (1975) Biometrics 31(2):423–447,
 *   doi:10.2307/2529430.
 */
import type { BlockedStructure } from "../blocked/symbolic";
import { devianceFunction } from "../reml/fit";
import type { RemlFit } from "../reml/types";
import { weightedModel } from "./residual-scale";

/** The factor of a fit at its theta, ready for variances of linear functions of (u, beta). */
export interface ConditionalFactor {
  readonly structure: BlockedStructure;
  /** L's values at the fit's theta (the model's own parametrization). */
  readonly L: Float64Array;
  /** T_k of each term (row-major q_k × q_k): b = T_k u per level, Psi_k = sigma² T_k T_k'. */
  readonly T: readonly Float64Array[];
  /** Per term: the first column of each level in L. */
  readonly levelColumn: readonly Int32Array[];
  /** First column of X in L. */
  readonly xStart: number;
  /** Length of (u, beta): N - 1. */
  readonly size: number;
}

/**
 * Factors the fit's model at its theta (one evaluation of the deviance function).
 *
 * @param fit - a REML or ML fit
 * @returns the factor
 * @throws Error when the factor fails at the fit's own theta (an internal invariant)
 */
export function conditionalFactor(fit: RemlFit): ConditionalFactor {
  // With varIdent the system is the weighted one at the fit's ratios (w_i / delta_{l(i)}², as the fit).
  const devfun = devianceFunction(weightedModel(fit), fit.method);
  const value = devfun.value(Float64Array.from(fit.theta));
  if (!Number.isFinite(value)) throw new Error("internal: the fit's model cannot be factored at its theta");
  const st = devfun.system.structure;
  return {
    structure: st,
    L: devfun.factor.L,
    T: devfun.factor.T,
    levelColumn: st.levelColumn,
    xStart: st.xStart,
    size: st.N - 1,
  };
}

/**
 * |L_M^{-1} c|² for a right-hand side c (length N - 1, overwritten by L_M^{-1} c).
 *
 * @param f - the factor
 * @param c - the linear function's coefficients on (u, beta) in L's column order; overwritten
 * @param first - the smallest column where c is not zero (the solve starts at its supernode)
 * @returns the squared norm of the solution
 */
export function solvedSquaredNorm(f: ConditionalFactor, c: Float64Array, first: number): number {
  const { colStart, rowPtr, rows, valPtr, N, colSuper } = f.structure;
  const L = f.L;
  let total = 0;
  for (let s = colSuper[first]!; s < f.structure.supernodes; s++) {
    const c0 = colStart[s]!;
    const w = colStart[s + 1]! - c0;
    let any = false;
    for (let j = 0; j < w; j++)
      if (c0 + j < N - 1 && c[c0 + j] !== 0) {
        any = true;
        break;
      }
    if (!any) continue;
    const r0 = rowPtr[s]!;
    const below = rowPtr[s + 1]! - r0 - 1; // the last row is y's
    const base = valPtr[s]!;
    for (let j = 0; j < w; j++) {
      const col = c0 + j;
      if (col === N - 1) continue;
      const v = c[col]! / L[base + j * w + j]!;
      c[col] = v;
      total += v * v;
      if (v === 0) continue;
      for (let i = j + 1; i < w; i++) if (c0 + i < N - 1) c[c0 + i] = c[c0 + i]! - L[base + i * w + j]! * v;
      for (let i = w; i < below; i++) {
        const row = rows[r0 + i]!;
        c[row] = c[row]! - L[base + i * w + j]! * v;
      }
    }
  }
  return total;
}
