/**
 * Confidence intervals of a REML/ML fit, lme4's `confint.merMod`: `method: "wald"` (the fixed
 * effects, estimate ± z se), `"profile"` (./profile.ts: variance parameters on the sd/correlation
 * scale, sigma and the fixed effects, from the ML deviance's profile) and `"boot"` (percentile
 * intervals of a parametric bootstrap, src/predict/bootstrap.ts, passed in by the caller as
 * `bootstrap`, since src/reml does not depend on the prediction module).
 */
import { ArgumentError } from "../errors";
import { normalQuantile } from "../stats/distributions";
import { checkFitArgument, checkOptionKinds } from "../validate";
import { profileConfint } from "./profile";
import type { ConfidenceInterval, RemlFit } from "./types";

export type { ConfidenceInterval } from "./types";

/** Which intervals `confint` computes. */
export type ConfintMethod = "wald" | "profile" | "boot";

/** Options of `confint` for a fit. */
export interface ConfintOptions {
  /** @default "wald" */
  readonly method?: ConfintMethod;
  /** Confidence level in (0, 1). @default 0.95 */
  readonly level?: number;
  /** (boot) Number of bootstrap refits. @default 500 */
  readonly nsim?: number;
  /** (boot) Seed of the simulations. @default 1 */
  readonly seed?: number;
}

/**
 * Confidence intervals (lme4's `confint(fit, method, level)`).
 *
 * - `"wald"`: beta_j ± z_{(1+level)/2} se_j for every fixed effect, with normal quantiles as lme4
 *   uses (they ignore the uncertainty in theta and sigma, so they are a little narrow in small samples).
 * - `"profile"`: lme4's profile intervals (./profile.ts): rows `.sig01`, ... (each term's sds and
 *   correlations, in theta's order), `.sigma`, then the fixed effects; estimates of the ML refit.
 * - `"boot"`: percentile intervals over `nsim` parametric bootstrap refits (lme4's
 *   `confint(method = "boot", boot.type = "perc")`), same rows as the profile's.
 *
 * @param fit - a REML or ML fit
 * @param options - a level (number), or { method, level, nsim, seed }
 * @param bootstrapIntervals - (boot) computes the percentile rows; the package entry passes
 *   src/predict/bootstrap.ts's
 * @returns one interval per parameter (see above)
 * @throws ArgumentError for a level outside (0, 1) or an unknown method
 * @example
 * confint(reml(lmm("Reaction ~ Days + (Days | Subject)", sleepstudy)))[1];
 * // { name: "Days", estimate: 10.467, lower: 7.437, upper: 13.497 }
 * @see Bates et al. (2015) doi:10.18637/jss.v067.i01, §5.1–5.2
 */
export function confint(
  fit: RemlFit,
  options: number | ConfintOptions = 0.95,
  bootstrapIntervals?: (fit: RemlFit, level: number, nsim: number, seed: number) => ConfidenceInterval[],
): ConfidenceInterval[] {
  checkFitArgument(fit);
  const opts: ConfintOptions = typeof options === "number" ? { level: options } : options;
  checkOptionKinds(opts, { method: "string", level: "number", nsim: "number", seed: "number" });
  const level = opts.level ?? 0.95;
  if (!(typeof level === "number" && level > 0 && level < 1))
    throw new ArgumentError(
      typeof options === "number" ? "level" : "options.level",
      "must be a number between 0 and 1",
      level,
    );
  const method = opts.method ?? "wald";
  if (method === "profile") return profileConfint(fit, level);
  if (method === "boot") {
    if (bootstrapIntervals === undefined)
      throw new ArgumentError(
        "options.method",
        'is "boot", which needs the package\'s confint (it bootstraps)',
        method,
      );
    const nsim = opts.nsim ?? 500;
    if (!(Number.isSafeInteger(nsim) && nsim >= 2))
      throw new ArgumentError("options.nsim", "must be an integer of at least 2", nsim);
    const seed = opts.seed ?? 1;
    if (!Number.isSafeInteger(seed)) throw new ArgumentError("options.seed", "must be a safe integer", seed);
    return bootstrapIntervals(fit, level, nsim, seed);
  }
  if (method !== "wald")
    throw new ArgumentError("options.method", 'must be "wald", "profile" or "boot"', method);
  const z = normalQuantile((1 + level) / 2);
  return fit.fixedNames.map((name, j) => {
    const estimate = fit.beta[j]!;
    const half = z * fit.se[j]!;
    return { name, estimate, lower: estimate - half, upper: estimate + half };
  });
}
