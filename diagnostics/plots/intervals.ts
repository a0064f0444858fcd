/**
 * Dot-and-interval plot of the posterior beside REML: per parameter, the posterior mean with its
 * credible interval, and the REML estimate with its Wald interval (estimate ± 1.96 SE) where it has a
 * standard error (fixed effects) or as a point alone (variance components). Each parameter has its own
 * row and its own axis, since the parameters' scales differ by orders of magnitude.
 */

import { checkArrayArgument, checkObjectArgument, checkOptionKinds } from "../../src/validate";
import type { Comparison } from "../compare";
import { axes, gridLines } from "./axes";
import { POSTERIOR_COLOR, REML_COLOR } from "./colors";
import { figure, marker } from "./layout";
import { extent, linearScale, pad } from "./scale";
import { line, text, textWidth } from "./svg";

/** One row of the picture. */
export interface IntervalRow {
  readonly label: string;
  readonly posterior: { readonly mean: number; readonly lower: number; readonly upper: number };
  readonly reference?: { readonly estimate: number; readonly lower?: number; readonly upper?: number };
}

/** Options of `intervalPlot`. */
export interface IntervalPlotOptions {
  /** @default "Posterior and REML estimates" */
  readonly title?: string;
  /** @default "REML" */
  readonly referenceLabel?: string;
  /** The interval's probability, for the legend. @default 0.95 */
  readonly prob?: number;
  /** @default 420 */
  readonly panelWidth?: number;
}

/**
 * The dot-and-interval picture as an SVG document: a row per parameter (label at the left, its own
 * axis below), the posterior (blue dot, credible interval) above the reference (orange diamond, its
 * interval when given).
 *
 * @example intervalPlot([{ label: "beta[Days]", posterior: { mean: 10.4, lower: 7.1, upper: 13.8 }, reference: { estimate: 10.47 } }]).includes("beta[Days]") // true
 */
export function intervalPlot(rows: readonly IntervalRow[], options: IntervalPlotOptions = {}): string {
  checkArrayArgument(rows, "rows", "an array of interval rows (comparisonIntervals(comparison))");
  checkOptionKinds(options, {
    title: "string",
    referenceLabel: "string",
    prob: "number",
    panelWidth: "number",
  });
  const referenceLabel = options.referenceLabel ?? "REML";
  const pct = `${Math.round((options.prob ?? 0.95) * 100)}%`;
  const labelWidth = Math.max(60, ...rows.map((r) => textWidth(r.label, 11.5))) + 16;
  const anyRef = rows.some((r) => r.reference !== undefined);
  return figure(
    {
      title: options.title ?? `Posterior and ${referenceLabel} estimates`,
      description: `Posterior means with ${pct} credible intervals beside the ${referenceLabel} estimates, one row (and one axis) per parameter.`,
      legend: [
        {
          kind: "point",
          label: `posterior mean, ${pct} credible interval`,
          color: POSTERIOR_COLOR,
          shape: "circle",
        },
        ...(anyRef
          ? [
              {
                kind: "point" as const,
                label: `${referenceLabel} estimate, ± 1.96 SE`,
                color: REML_COLOR,
                shape: "diamond" as const,
              },
            ]
          : []),
      ],
      count: rows.length,
      columns: 1,
      panelWidth: options.panelWidth ?? 420,
      panelHeight: 26,
      margins: { top: 4, right: 24, bottom: 22, left: labelWidth },
    },
    (panel, i) => {
      const r = rows[i]!;
      const ref = r.reference;
      const values = [r.posterior.mean, r.posterior.lower, r.posterior.upper];
      if (ref !== undefined) values.push(ref.estimate, ref.lower ?? Number.NaN, ref.upper ?? Number.NaN);
      const x = linearScale(pad(extent(values), 0.08), [panel.x, panel.x + panel.width], false, 5);
      const yPost = panel.y + (ref === undefined ? panel.height / 2 : panel.height * 0.3);
      const yRef = panel.y + panel.height * 0.72;
      let out = gridLines(panel, x, null, {});
      out += text(r.label, {
        x: panel.x - 12,
        y: panel.y + panel.height / 2 + 4,
        "text-anchor": "end",
        "font-size": 11.5,
        fill: "#222222",
      });
      out += line(x.map(r.posterior.lower), yPost, x.map(r.posterior.upper), yPost, {
        stroke: POSTERIOR_COLOR,
        "stroke-width": 2.2,
        "data-role": "posterior-interval",
      });
      out += marker("circle", x.map(r.posterior.mean), yPost, 4, POSTERIOR_COLOR);
      if (ref !== undefined) {
        if (ref.lower !== undefined && ref.upper !== undefined && Number.isFinite(ref.lower))
          out += line(x.map(ref.lower), yRef, x.map(ref.upper), yRef, {
            stroke: REML_COLOR,
            "stroke-width": 2.2,
            "data-role": "reference-interval",
          });
        out += marker("diamond", x.map(ref.estimate), yRef, 3.6, REML_COLOR);
      }
      out += axes(panel, x, null, { xTicks: 5 });
      return out;
    },
  );
}

/** The rows of `intervalPlot` from a comparison: fixed effects with ± 1.96 SE, then SDs and correlations. */
export function comparisonIntervals(comparison: Comparison): IntervalRow[] {
  checkObjectArgument(comparison, "comparison", "a comparison from compare(posterior, fit)", ["rows"]);
  return comparison.rows
    .filter((r) => r.kind === "fixed" || r.kind === "sd" || r.kind === "correlation")
    .map((r) => ({
      label: r.parameter,
      posterior: { mean: r.mean, lower: r.lower, upper: r.upper },
      reference:
        r.se === null
          ? { estimate: r.estimate }
          : {
              estimate: r.estimate,
              lower: r.estimate - 1.959964 * r.se,
              upper: r.estimate + 1.959964 * r.se,
            },
    }));
}
