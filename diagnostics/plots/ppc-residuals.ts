/**
 * Residuals against fitted values from the posterior: for each row, the posterior mean of the fitted
 * value mu_i (x axis) and of the residual y_i − mu_i (y axis, a dot), with the residual's central 90%
 * credible interval (a thin bar), and the zero line. A trend, a funnel or a cluster away from zero is
 * what the residuals of a well-fitting model do not show (bayesplot's `ppc_error_scatter_avg_vs_x`
 * with the fitted values as x).
 */

import { ArgumentError } from "../../src/errors";
import type { PredictiveDraws } from "../../src/predict/posterior";
import { checkOptionKinds } from "../../src/validate";
import { axes, gridLines } from "./axes";
import { POSTERIOR_COLOR, REFERENCE_COLOR } from "./colors";
import { figure, INK, marker } from "./layout";
import { replicates, rowQuantiles } from "./ppc";
import { extent, linearScale, pad } from "./scale";
import { group, line } from "./svg";

/** Options of `ppcResiduals`. */
export interface PpcResidualsOptions {
  /** The observed response (default the draws' own y). */
  readonly y?: ArrayLike<number>;
  /** Probability of the residual's interval. @default 0.9 */
  readonly prob?: number;
  /** @default "Residuals against fitted values" */
  readonly title?: string;
  /**
   * At most this many rows are drawn (every k-th row beyond it, said in the note), so that a large
   * data set gives a picture of bounded size. @default 1000
   */
  readonly maxPoints?: number;
  /** @default 560 */
  readonly width?: number;
  /** @default 260 */
  readonly height?: number;
}

/**
 * Posterior mean residuals against posterior mean fitted values, as an SVG document.
 *
 * @param linpred - draws of the fitted values on the model's rows (`posteriorLinpred(post)`)
 * @param options - y, prob, title, size
 * @returns the SVG text
 * @throws ArgumentError for draws without an observed y, or prob outside (0, 1)
 * @example ppcResiduals(posteriorLinpred(post)).includes('data-role="residual"') // true
 */
export function ppcResiduals(linpred: PredictiveDraws, options: PpcResidualsOptions = {}): string {
  checkOptionKinds(options, {
    prob: "number",
    maxPoints: "number",
    title: "string",
    width: "number",
    height: "number",
  });
  const maxPoints = options.maxPoints ?? 1000;
  if (!(Number.isInteger(maxPoints) && maxPoints >= 1))
    throw new ArgumentError("options.maxPoints", "must be a positive integer", maxPoints);
  const prob = options.prob ?? 0.9;
  if (!(prob > 0 && prob < 1)) throw new ArgumentError("options.prob", "must be between 0 and 1", prob);
  const data = replicates(linpred, options.y);
  const { y, yrep: mu, draws, n } = data;
  const fitted = new Float64Array(n);
  for (let d = 0; d < draws; d++) for (let i = 0; i < n; i++) fitted[i] = fitted[i]! + mu[d * n + i]!;
  for (let i = 0; i < n; i++) fitted[i] = fitted[i]! / draws;
  const residual = Float64Array.from(y, (v, i) => v - fitted[i]!);
  // The residual y − mu at each draw: its quantiles are y − mu's quantiles reversed.
  const [muHi, muLo] = rowQuantiles(data, [(1 + prob) / 2, (1 - prob) / 2]) as [Float64Array, Float64Array];
  const lower = Float64Array.from(y, (v, i) => v - muHi[i]!);
  const upper = Float64Array.from(y, (v, i) => v - muLo[i]!);
  const step = Math.ceil(n / maxPoints);
  const shown = Int32Array.from({ length: Math.ceil(n / step) }, (_, j) => j * step);
  let spread = 0;
  for (const i of shown) spread = Math.max(spread, Math.abs(lower[i]!), Math.abs(upper[i]!));
  const pct = `${Math.round(prob * 100)}%`;
  return figure(
    {
      title: options.title ?? "Residuals against fitted values",
      description: `For each of ${n} rows: the posterior mean of the fitted value against the posterior mean of the residual y − mu, with the residual's ${pct} credible interval, and the zero line.`,
      legend: [
        { kind: "point", label: "posterior mean residual", color: INK, shape: "circle" },
        { kind: "line", label: `${pct} interval`, color: POSTERIOR_COLOR, width: 1.2 },
        { kind: "line", label: "zero", color: REFERENCE_COLOR, dash: "4 3", width: 1 },
      ],
      ...(step > 1
        ? {
            note: `${shown.length.toLocaleString("en-US")} of ${n.toLocaleString("en-US")} rows shown (every ${ordinal(step)} row)`,
          }
        : {}),
      count: 1,
      columns: 1,
      panelWidth: options.width ?? 560,
      panelHeight: options.height ?? 260,
      margins: { top: 12, right: 16, bottom: 42, left: 58 },
    },
    (panel) => {
      const x = linearScale(pad(extent(Array.from(shown, (i) => fitted[i]!)), 0.04), [
        panel.x,
        panel.x + panel.width,
      ]);
      const yScale = linearScale(pad([-spread, spread], 0.04), [panel.y + panel.height, panel.y]);
      let out = gridLines(panel, x, yScale);
      let bars = "";
      let dots = "";
      for (const i of shown) {
        const px = x.map(fitted[i]!);
        bars += line(px, yScale.map(lower[i]!), px, yScale.map(upper[i]!), {});
        dots += marker("circle", px, yScale.map(residual[i]!), 2, INK);
      }
      out += group({ stroke: POSTERIOR_COLOR, "stroke-width": 1.2, "stroke-opacity": 0.5 }, bars);
      out += line(panel.x, yScale.map(0), panel.x + panel.width, yScale.map(0), {
        stroke: REFERENCE_COLOR,
        "stroke-dasharray": "4 3",
        "data-role": "zero",
      });
      out += group({ "data-role": "residual" }, dots);
      out += axes(panel, x, yScale, { xLabel: "fitted value (posterior mean)", yLabel: "residual" });
      return out;
    },
  );
}

/** 2nd, 3rd, 4th, 11th, 21st, ... */
function ordinal(k: number): string {
  const tens = k % 100;
  const suffix =
    tens >= 11 && tens <= 13 ? "th" : k % 10 === 1 ? "st" : k % 10 === 2 ? "nd" : k % 10 === 3 ? "rd" : "th";
  return `${k}${suffix}`;
}
