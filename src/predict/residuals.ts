/**
 * Residuals of a REML/ML fit as lme4's `residuals.merMod(fit, type, scaled)` gives them for a linear
 * mixed model.
 */
import { ArgumentError } from "../errors";
import type { RemlFit } from "../reml/types";
import { checkFitArgument, checkOptionKinds } from "../validate";

/** Options of the residuals of a fit. */
export interface ResidualOptions {
  /**
   * "response": y - fitted; "pearson": sqrt(w) (y - fitted) with prior weights w, which are all 1 here,
   * so the same as "response" (lme4's definition). @default "response"
   */
  readonly type?: "response" | "pearson";
  /** Divide by sigma (lme4's `scaled = TRUE`). @default false */
  readonly scaled?: boolean;
}

/**
 * Residuals y - fitted (fitted = offset + X beta + Z b at the conditional modes), optionally divided
 * by sigma.
 *
 * @param fit - a REML or ML fit
 * @param options - type ("response" or "pearson") and scaled
 * @returns one residual per row of the model
 * @throws ArgumentError for another type or a non-boolean scaled
 * @example remlResiduals(fit, { type: "pearson", scaled: true })[0] // -0.1604 (lme4: -0.1603504)
 * @see Bates et al. (2015) doi:10.18637/jss.v067.i01
 */
export function remlResiduals(fit: RemlFit, options: ResidualOptions = {}): Float64Array {
  checkFitArgument(fit);
  checkOptionKinds(options, { type: "string", scaled: "boolean" });
  const type = options.type ?? "response";
  if (type !== "response" && type !== "pearson")
    throw new ArgumentError("options.type", 'must be "response" or "pearson"', type);
  if (options.scaled !== true) return fit.residuals;
  return fit.residuals.map((r) => r / fit.sigma);
}
