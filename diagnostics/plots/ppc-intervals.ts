/**
 * bayesplot's `ppc_intervals` and `ppc_intervals_grouped`: for each row, the central 50% (thick) and
 * 90% (thin) intervals of its replicated values with their median (open circle), and the observed
 * value (dark dot) — against a predictor (e.g. Days) or the row number, in one panel or a panel per
 * group (e.g. each subject's rows). An observed dot outside its thin bar is a row the model did not
 * expect; many of them, or a run of them on one side, is a misfit.
 */
import { ArgumentError } from "../../src/errors";
import type { PredictiveDraws } from "../../src/predict/posterior";
import { checkOptionKinds, isNumberArray } from "../../src/validate";
import { axes, gridLines } from "./axes";
import { POSTERIOR_COLOR } from "./colors";
import { figure, INK, marker } from "./layout";
import { replicates, rowQuantiles, rowsByGroup } from "./ppc";
import { extent, linearScale, pad } from "./scale";
import { group, line } from "./svg";

/** Options of `ppcIntervals`. */
export interface PpcIntervalsOptions {
  /** The observed response (default the draws' own y). */
  readonly y?: ArrayLike<number>;
  /** A predictor per row for the x axis. @default the row number (1, 2, ...) */
  readonly x?: ArrayLike<number>;
  /** The x axis's label. @default "row" (or "x" when x is given) */
  readonly xLabel?: string;
  /** Each row's group label: a panel per group. @default one panel */
  readonly group?: readonly string[];
  /** Probability of the inner interval. @default 0.5 */
  readonly prob?: number;
  /** Probability of the outer interval. @default 0.9 */
  readonly probOuter?: number;
  /** @default "Posterior predictive intervals" */
  readonly title?: string;
  /** The response's name, for the axis. @default "y" */
  readonly response?: string;
  /** Panels per row when grouped. @default 6 */
  readonly columns?: number;
  readonly panelWidth?: number;
  readonly panelHeight?: number;
}

/** Light blue of the outer interval. */
const OUTER_COLOR = "#9ecae1";

/**
 * Per-row predictive intervals and the observed values, as an SVG document.
 *
 * @param yrep - replicated data sets (`posteriorPredict(post)`)
 * @param options - y, x, group, prob, probOuter, labels, layout
 * @returns the SVG text
 * @throws ArgumentError for x or group of the wrong length, or probabilities not 0 < prob < probOuter < 1
 * @example ppcIntervals(posteriorPredict(post), { x: days, group: groupLabels(post.model, "Subject") })
 */
export function ppcIntervals(yrep: PredictiveDraws, options: PpcIntervalsOptions = {}): string {
  checkOptionKinds(options, {
    xLabel: "string",
    group: "names",
    prob: "number",
    probOuter: "number",
    title: "string",
    response: "string",
    columns: "number",
    panelWidth: "number",
    panelHeight: "number",
  });
  const data = replicates(yrep, options.y);
  const { y, n } = data;
  const prob = options.prob ?? 0.5;
  const outer = options.probOuter ?? 0.9;
  if (!(prob > 0 && prob < outer && outer < 1))
    throw new ArgumentError(
      "options.prob",
      "and options.probOuter must satisfy 0 < prob < probOuter < 1",
      `${prob}, ${outer}`,
    );
  if (options.x !== undefined && !isNumberArray(options.x))
    throw new ArgumentError("options.x", "must be an array of numbers, one per row", options.x);
  if (options.x !== undefined && options.x.length !== n)
    throw new ArgumentError("options.x", `must give one value per row (${n})`, options.x.length);
  if (options.group !== undefined && options.group.length !== n)
    throw new ArgumentError("options.group", `must give one label per row (${n})`, options.group.length);
  const xs =
    options.x === undefined
      ? Float64Array.from({ length: n }, (_, i) => i + 1)
      : Float64Array.from(options.x);
  const [lo90, lo50, med, hi50, hi90] = rowQuantiles(data, [
    (1 - outer) / 2,
    (1 - prob) / 2,
    0.5,
    (1 + prob) / 2,
    (1 + outer) / 2,
  ]) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  const grouped = options.group === undefined ? null : rowsByGroup(options.group);
  const panels = grouped === null ? [Int32Array.from({ length: n }, (_, i) => i)] : grouped.rows;
  const ySpan = pad(extent(lo90, hi90, y), 0.04);
  const response = options.response ?? "y";
  const xLabel = options.xLabel ?? (options.x === undefined ? "row" : "x");
  const pct = (p: number) => `${Math.round(p * 100)}%`;
  let outside = 0;
  for (let i = 0; i < n; i++) if (y[i]! < lo90[i]! || y[i]! > hi90[i]!) outside++;
  return figure(
    {
      title: options.title ?? "Posterior predictive intervals",
      description: `For each of ${n} rows: the central ${pct(prob)} and ${pct(outer)} intervals and the median of ${data.draws} replicated values, and the observed ${response}${grouped === null ? "" : `, a panel per group (${grouped.levels.length})`}. ${outside} of ${n} observed values lie outside their ${pct(outer)} interval.`,
      note: `${outside} of ${n} observed values (${((100 * outside) / n).toFixed(1)}%) outside their ${pct(outer)} interval`,
      legend: [
        { kind: "point", label: `observed ${response}`, color: INK, shape: "circle" },
        { kind: "point", label: "median of y_rep", color: POSTERIOR_COLOR, shape: "circle", filled: false },
        { kind: "line", label: `${pct(prob)} interval`, color: POSTERIOR_COLOR, width: 3 },
        { kind: "line", label: `${pct(outer)} interval`, color: OUTER_COLOR, width: 1.5 },
      ],
      count: panels.length,
      columns: grouped === null ? 1 : (options.columns ?? 6),
      panelWidth: options.panelWidth ?? (grouped === null ? Math.min(900, Math.max(420, 5 * n)) : 150),
      panelHeight: options.panelHeight ?? (grouped === null ? 240 : 100),
      margins:
        grouped === null
          ? { top: 12, right: 16, bottom: 42, left: 58 }
          : { top: 22, right: 10, bottom: 34, left: 46 },
    },
    (panel, k) => {
      const rows = panels[k]!;
      const rx = Array.from(rows, (i) => xs[i]!);
      const x = linearScale(pad(extent(rx), 0.06), [panel.x, panel.x + panel.width]);
      const yScale = linearScale(ySpan, [panel.y + panel.height, panel.y]);
      let out = gridLines(panel, x, yScale, { xTicks: grouped === null ? 6 : 3, yTicks: 3 });
      let thin = "";
      let thick = "";
      let medians = "";
      let observed = "";
      for (const i of rows) {
        const px = x.map(xs[i]!);
        thin += line(px, yScale.map(lo90[i]!), px, yScale.map(hi90[i]!), { "data-row": i + 1 });
        thick += line(px, yScale.map(lo50[i]!), px, yScale.map(hi50[i]!), {});
        medians += marker("circle", px, yScale.map(med[i]!), 2.4, POSTERIOR_COLOR, false);
        observed += marker("circle", px, yScale.map(y[i]!), 1.9, INK);
      }
      out += group({ stroke: OUTER_COLOR, "stroke-width": 1.5 }, thin);
      out += group({ stroke: POSTERIOR_COLOR, "stroke-width": 3 }, thick);
      out += group({ "data-role": "median" }, medians);
      out += group({ "data-role": "y" }, observed);
      out += axes(panel, x, yScale, {
        ...(grouped === null ? { yLabel: response } : { title: grouped.levels[k]! }),
        xLabel,
        xTicks: grouped === null ? 6 : 3,
        yTicks: 3,
      });
      return out;
    },
  );
}
