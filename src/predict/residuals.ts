/**
 * Residuals of a REML/ML fit as lme4's `residuals.merMod(fit, type, scaled)` gives them for a linear
 * mixed model, and nlme's `residuals.lme(fit, type)` for a model with varIdent:
 *
 *     response   r_i = y_i - fitted_i                      (scaled: r_i / sigma)
 *     pearson    r_i / f_i = sqrt(w_i) r_i / delta_{l(i)}  (scaled: r_i / (sigma f_i), nlme's "pearson")
 *
 * f_i the row's residual sd factor (./residual-scale.ts): 1 / sqrt(w_i) with precision weights (lme4's
 * Pearson residuals sqrt(w) (y - fitted)), times delta of the row's level with varIdent. Without
 * either, Pearson residuals are the response residuals.
 */
import { ArgumentError } from "../errors";
import type { RemlFit } from "../reml/types";
import { checkFitArgument, checkOptionKinds } from "../validate";
import { fitResidualScale } from "./residual-scale";

/** Options of the residuals of a fit. */
export interface ResidualOptions {
  /**
   * "response": y - fitted; "pearson": (y - fitted) / f_i, f_i = delta_{level} / sqrt(w_i) (lme4's
   * sqrt(w) (y - fitted) with prior weights w; nlme's with varIdent). @default "response"
   */
  readonly type?: "response" | "pearson";
  /** Divide by sigma (lme4's `scaled = TRUE`; nlme's Pearson residuals are the scaled ones). @default false */
  readonly scaled?: boolean;
}

/**
 * Residuals y - fitted (fitted = offset + X beta + Z b at the conditional modes), Pearson ones divided
 * by each row's residual sd factor, optionally divided by sigma (see the file comment).
 *
 * @param fit - a REML or ML fit
 * @param options - type ("response" or "pearson") and scaled
 * @returns one residual per row of the model
 * @throws ArgumentError for another type or a non-boolean scaled
 * @example remlResiduals(fit, { type: "pearson", scaled: true })[0] // -0.1604 (lme4: -0.1603504)
 * @see Bates et al. (2015) doi:10.18637/jss.v067.i01; Pinheiro & Bates (2000) §5.2
 */
export function remlResiduals(fit: RemlFit, options: ResidualOptions = {}): Float64Array {
  checkFitArgument(fit);
  checkOptionKinds(options, { type: "string", scaled: "boolean" });
  const type = options.type ?? "response";
  if (type !== "response" && type !== "pearson")
    throw new ArgumentError("options.type", 'must be "response" or "pearson"', type);
  const scale = type === "pearson" ? fitResidualScale(fit) : null;
  const by = options.scaled === true ? fit.sigma : 1;
  if (scale === null) return by === 1 ? fit.residuals : fit.residuals.map((r) => r / by);
  return fit.residuals.map((r, i) => r / (by * scale[i]!));
}
