/**
 * How the playground writes numbers — shared with its end-to-end test (scripts/playground-e2e.ts),
 * which formats Node's results with the same function and compares the page's text to them.
 */

/** Six significant digits; NA for what cannot be computed (posterior's convention). */
export function formatCell(x: number): string {
  if (!Number.isFinite(x)) return "NA";
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e6 || a < 1e-4 ? x.toExponential(5) : String(Number(x.toPrecision(6)));
}

/** The columns of the posterior summary table, in order (samplers/summary.ts's measures). */
export const SUMMARY_COLUMNS = [
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
