/**
 * Wald confidence intervals for the fixed effects (lme4's `confint(fit, method = "Wald")`).
 */
import { ArgumentError } from "../errors";
import { normalQuantile } from "../stats/distributions";
import { checkFitArgument } from "../validate";
import type { RemlFit } from "./types";

/** One interval. */
export interface ConfidenceInterval {
  readonly name: string;
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
}

/**
 * Wald intervals beta_j ± z_{(1+level)/2} se_j for every fixed effect, with normal quantiles as lme4
 * uses (they ignore the uncertainty in theta and sigma, so they are a little narrow in small samples).
 *
 * @param fit - a REML or ML fit
 * @param level - confidence level in (0, 1)
 * @default level 0.95
 * @returns one interval per fixed effect, in `fit.fixedNames` order
 * @throws ArgumentError for a level outside (0, 1)
 * @example
 * confint(reml(lmm("Reaction ~ Days + (Days | Subject)", sleepstudy)))[1];
 * // { name: "Days", estimate: 10.467, lower: 7.437, upper: 13.497 }
 * @see Bates et al. (2015) doi:10.18637/jss.v067.i01, §5.2
 */
export function confint(fit: RemlFit, level = 0.95): ConfidenceInterval[] {
  checkFitArgument(fit);
  if (!(typeof level === "number" && level > 0 && level < 1))
    throw new ArgumentError("level", "must be a number between 0 and 1", level);
  const z = normalQuantile((1 + level) / 2);
  return fit.fixedNames.map((name, j) => {
    const estimate = fit.beta[j]!;
    const half = z * fit.se[j]!;
    return { name, estimate, lower: estimate - half, upper: estimate + half };
  });
}
