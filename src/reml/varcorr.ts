/**
 * Variance components from theta and sigma (lme4's `VarCorr`): Psi_k = sigma² T_k T_k'.
 */
import type { LmmModel } from "../model/types";
import type { VarCorrRow } from "./types";

/**
 * The rows of lme4's `as.data.frame(VarCorr(fit))`: per term its variances (in column order), then
 * its covariances by columns of the lower triangle (var1 = the column's name, var2 = the row's; sdcor
 * = the correlation), and last the residual row.
 *
 *     Psi_k = sigma² T_k T_k',   sdcor = sqrt(Psi_aa) or Psi_ab / sqrt(Psi_aa Psi_bb)
 *
 * @param model - gives the terms' labels and column names
 * @param factors - T_k per term (row-major lower triangular)
 * @param sigma - residual standard deviation
 * @returns the rows; a correlation is NaN when one of its variances is 0
 * @example
 * // one scalar term with theta = 0.5 and sigma = 2: variance (0.5 · 2)² = 1
 * varCorrRows(model, [new Float64Array([0.5])], 2); // [{ grp: "g", var1: "(Intercept)", vcov: 1, sdcor: 1, ... }, { grp: "Residual", vcov: 4, sdcor: 2, ... }]
 * @see Bates et al. (2015) doi:10.18637/jss.v067.i01, §2.2
 */
export function varCorrRows(model: LmmModel, factors: readonly Float64Array[], sigma: number): VarCorrRow[] {
  const rows: VarCorrRow[] = [];
  const s2 = sigma * sigma;
  model.terms.forEach((term, k) => {
    const q = term.q;
    const T = factors[k]!;
    const psi = new Float64Array(q * q);
    for (let a = 0; a < q; a++)
      for (let b = 0; b < q; b++) {
        let v = 0;
        for (let c = 0; c <= Math.min(a, b); c++) v += T[a * q + c]! * T[b * q + c]!;
        psi[a * q + b] = s2 * v;
      }
    for (let a = 0; a < q; a++) {
      const v = psi[a * q + a]!;
      rows.push({ grp: term.label, var1: term.names[a]!, var2: null, vcov: v, sdcor: Math.sqrt(v) });
    }
    for (let c = 0; c < q; c++)
      for (let r = c + 1; r < q; r++) {
        const cov = psi[r * q + c]!;
        // sqrt(a) sqrt(b), not sqrt(a b): the product of two variances overflows for y × 1e80 and
        // underflows for y × 1e-150, where each variance and the correlation are ordinary numbers.
        const denom = Math.sqrt(psi[r * q + r]!) * Math.sqrt(psi[c * q + c]!);
        rows.push({
          grp: term.label,
          var1: term.names[c]!,
          var2: term.names[r]!,
          vcov: cov,
          sdcor: denom > 0 ? Math.max(-1, Math.min(1, cov / denom)) : Number.NaN,
        });
      }
  });
  rows.push({ grp: "Residual", var1: null, var2: null, vcov: s2, sdcor: sigma });
  return rows;
}
