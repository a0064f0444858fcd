/**
 * The posterior summary table with convergence diagnostics: one row per parameter with the columns
 * of `bayes-lmm sample --json` (CLI.md) — mean, sd, 2.5%/50%/97.5% quantiles, R-hat, bulk and tail
 * ESS, MCSE of the mean — computed by diagnostics/ (the R package posterior's definitions), plus its
 * convergence warnings.
 */
import { summarizeDraws } from "../diagnostics/summarize";
import type { DiagnosticWarning } from "../diagnostics/warnings";
import type { Posterior } from "../src/draws/posterior";
import { checkPosteriorArgument } from "../src/validate";

/** One parameter's row (keys as CLI.md names them). */
export interface PosteriorSummaryRow {
  readonly name: string;
  readonly mean: number;
  readonly sd: number;
  readonly "q2.5": number;
  readonly q50: number;
  readonly "q97.5": number;
  readonly rhat: number;
  readonly ess_bulk: number;
  readonly ess_tail: number;
  readonly mcse_mean: number;
}

/** The columns, in order. */
export const SUMMARY_MEASURES = [
  "mean",
  "sd",
  "q2.5",
  "q50",
  "q97.5",
  "rhat",
  "ess_bulk",
  "ess_tail",
  "mcse_mean",
] as const;

/**
 * Summarizes a posterior's parameters with convergence diagnostics.
 *
 * @param posterior - the sampler's result
 * @param options - `randomEffects: true` to include the b[...] rows (when their draws were kept)
 * @returns rows for beta, sigma2 and Psi (and b on request), and the convergence warnings
 *   (R-hat > 1.01, bulk or tail ESS below 100 per chain) naming the parameter
 * @example summarizePosterior(post).rows[0] // { name: "beta[(Intercept)]", mean: 251.4, sd: 6.4, ..., rhat: 1.0002, ... }
 */
export function summarizePosterior(
  posterior: Posterior,
  options: { readonly randomEffects?: boolean } = {},
): { rows: PosteriorSummaryRow[]; warnings: readonly DiagnosticWarning[] } {
  checkPosteriorArgument(posterior);
  const parameters = options.randomEffects
    ? posterior.parameters
    : posterior.parameters.filter((name) => !name.startsWith("b["));
  const table = summarizeDraws(posterior, [...SUMMARY_MEASURES], { parameters });
  const rows = table.rows.map((row) => {
    const v = row.values;
    return {
      name: row.parameter,
      mean: v["mean"]!,
      sd: v["sd"]!,
      "q2.5": v["q2.5"]!,
      q50: v["q50"]!,
      "q97.5": v["q97.5"]!,
      rhat: v["rhat"]!,
      ess_bulk: v["ess_bulk"]!,
      ess_tail: v["ess_tail"]!,
      mcse_mean: v["mcse_mean"]!,
    };
  });
  return { rows, warnings: table.warnings };
}
