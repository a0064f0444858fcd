/**
 * `bootstrap(fit, { nsim, seed, statistic })`: lme4's `bootMer(fit, FUN, nsim, seed, use.u = FALSE,
 * type = "parametric")` — responses simulated from the fit (./simulate.ts, every random effect drawn
 * anew), the model refitted to each by the fit's method (REML or ML), and a statistic of each refit.
 * The default statistic is the parameters of lme4's profile and bootstrap intervals: the sd/correlation
 * parameters `.sig01, ...`, `.sigma`, then the fixed effects. `bootstrapConfint` turns the refits into
 * percentile intervals (lme4's `confint(fit, method = "boot")`, `boot.type = "perc"`).
 */
import { quantile7 } from "../design/splines";
import { ArgumentError, LmmError } from "../errors";
import { requireRows } from "../model/stats";
import type { ConfidenceInterval } from "../reml/confint";
import { fitLmm } from "../reml/fit";
import { sdcorParameters } from "../reml/profile";
import type { RemlFit } from "../reml/types";
import { checkFitArgument, checkOptionKinds } from "../validate";
import { simulate } from "./simulate";

/** Options of `bootstrap`. */
export interface BootstrapOptions {
  /** Number of simulated data sets refitted. @default 500 */
  readonly nsim?: number;
  /** Seed of the simulations; the same seed gives the same refits. @default 1 */
  readonly seed?: number;
  /**
   * What to record of each refit (lme4's FUN), with names; the default records the sd/correlation
   * parameters, sigma and the fixed effects.
   */
  readonly statistic?: (fit: RemlFit) => readonly number[];
  /** Names of the statistic's values (default statistic: `.sig01`, ..., `.sigma`, the fixed effects). */
  readonly names?: readonly string[];
}

/** What `bootstrap` returns (lme4's `boot` object: t0 and t). */
export interface BootstrapResult {
  readonly names: readonly string[];
  /** The statistic of the fit itself. */
  readonly t0: readonly number[];
  /** nsim rows: the statistic of each refit (rows of failed refits left out). */
  readonly t: readonly (readonly number[])[];
  /** Refits that failed (an error of the optimizer or a perfect fit), left out of `t`. */
  readonly failures: number;
  readonly nsim: number;
  readonly seed: number;
}

/** The default statistic: sd/correlation parameters, sigma, fixed effects. */
function defaultStatistic(fit: RemlFit): number[] {
  return [...sdcorParameters(fit).values, ...fit.beta];
}

/**
 * A parametric bootstrap of a REML/ML fit (see the file comment).
 *
 * @param fit - a REML or ML fit
 * @param options - nsim, seed, statistic, names
 * @returns the statistic of the fit and of each refit
 * @throws ArgumentError for a bad option; LmmError (NUMERICAL) when more than half the refits fail
 * @example
 * const boot = bootstrap(fit, { nsim: 200, seed: 1 });
 * boot.names; // [".sig01", ".sig02", ".sig03", ".sigma", "(Intercept)", "Days"]
 * @see Davison & Hinkley (1997) Bootstrap Methods and Their Application, §2.2 (parametric bootstrap);
 *   lme4's `bootMer`
 */
export function bootstrap(fit: RemlFit, options: BootstrapOptions = {}): BootstrapResult {
  checkFitArgument(fit);
  requireRows(fit.model, "The parametric bootstrap (it refits simulated responses per row)");
  checkOptionKinds(options, { nsim: "number", seed: "number", statistic: "function", names: "names" });
  const nsim = options.nsim ?? 500;
  if (!(Number.isSafeInteger(nsim) && nsim >= 1))
    throw new ArgumentError("options.nsim", "must be a positive integer", nsim);
  const seed = options.seed ?? 1;
  const statistic = options.statistic ?? defaultStatistic;
  const t0 = Array.from(statistic(fit));
  const names =
    options.names ??
    (options.statistic === undefined
      ? [...sdcorParameters(fit).names, ...fit.fixedNames]
      : t0.map((_, j) => `t${j + 1}`));
  if (names.length !== t0.length)
    throw new ArgumentError("options.names", `must name the statistic's ${t0.length} values`, names);
  const ys = simulate(fit, { nsim, seed });
  const t: number[][] = [];
  let failures = 0;
  for (const y of ys) {
    let refit: RemlFit;
    try {
      refit = fitLmm({ ...fit.model, y }, { method: fit.method, start: fit.theta, checkHessian: false });
    } catch (error) {
      if (error instanceof LmmError) {
        failures++;
        continue;
      }
      throw error;
    }
    const value = Array.from(statistic(refit));
    if (value.length !== t0.length)
      throw new ArgumentError(
        "options.statistic",
        `must return ${t0.length} values for every fit`,
        value.length,
      );
    t.push(value);
  }
  if (failures > nsim / 2)
    throw new LmmError(
      "NUMERICAL",
      `${failures} of ${nsim} bootstrap refits failed; the bootstrap is not usable.`,
    );
  return { names, t0, t, failures, nsim, seed };
}

/**
 * Percentile intervals from a parametric bootstrap: the (1 - level)/2 and (1 + level)/2 sample
 * quantiles of each parameter over the refits (type 7, R's default `quantile`; lme4 uses boot's
 * percentile method, whose interpolation differs by less than one order statistic).
 *
 * @param fit - a REML or ML fit
 * @param level - confidence level in (0, 1)
 * @param nsim - refits
 * @param seed - seed
 * @returns rows `.sig01`, ..., `.sigma`, the fixed effects, each with the fit's estimate
 * @example bootstrapConfint(fit, 0.95, 500, 1)[4] // { name: "(Intercept)", estimate: 251.4, lower: 237.9, upper: 265.3 }
 */
export function bootstrapConfint(
  fit: RemlFit,
  level: number,
  nsim: number,
  seed: number,
): ConfidenceInterval[] {
  const boot = bootstrap(fit, { nsim, seed });
  return boot.names.map((name, j) => {
    const column = Float64Array.from(boot.t, (row) => row[j]!).sort();
    const [lower, upper] = quantile7(column, [(1 - level) / 2, (1 + level) / 2]);
    return { name, estimate: boot.t0[j]!, lower: lower!, upper: upper! };
  });
}
