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
