/**
 * bayesplot's `ppc_stat` and `ppc_stat_grouped`: histograms of a test statistic over the replicated
 * data sets, T(y_rep), with the observed T(y) as a dark vertical line and the posterior predictive
 * p-value Pr(T(y_rep) ≥ T(y)) in each panel's title — a panel per statistic (mean, sd, min, max, or
 * the user's own), or a panel per level of a grouping factor (e.g. each subject's mean).
 */
import { ArgumentError } from "../../src/errors";
import type { PredictiveDraws } from "../../src/predict/posterior";
import { checkObjectArgument, checkOptionKinds } from "../../src/validate";
import { axes, gridLines } from "./axes";
import { POSTERIOR_COLOR } from "./colors";
import { figure, INK } from "./layout";
import {
  histogram,
  replicates,
  rowsByGroup,
  type StatisticCheck,
  type StatisticInput,
  statisticCheck,
  statisticOf,
} from "./ppc";
import { extent, linearScale, pad } from "./scale";
import { element, group, line } from "./svg";

/** Options of `ppcStat`. */
export interface PpcStatOptions {
  /** The statistics, a panel each. @default ["mean", "sd", "min", "max"] */
  readonly stats?: readonly StatisticInput[];
  /** The observed response (default the draws' own y). */
  readonly y?: ArrayLike<number>;
  /** @default 30 */
  readonly bins?: number;
  /** @default "Posterior predictive check: test statistics" */
  readonly title?: string;
  /** @default 2 */
  readonly columns?: number;
  /** @default 280 */
  readonly panelWidth?: number;
  /** @default 130 */
  readonly panelHeight?: number;
}

/** Options of `ppcStatGrouped`. */
export interface PpcStatGroupedOptions extends Omit<PpcStatOptions, "stats"> {
  /** Each row's group label (e.g. `groupLabels(post.model, "Subject")`). */
  readonly group: readonly string[];
  /** The grouping's name, for the title. @default "group" */
  readonly groupName?: string;
  /** The statistic. @default "mean" */
  readonly stat?: StatisticInput;
}

/** The p-value as shown: two decimals, and "< 0.01" / "> 0.99" at the ends. */
export function formatP(p: number): string {
  if (p < 0.005) return "< 0.01";
  if (p > 0.995) return "> 0.99";
  return p.toFixed(2);
}

function histogramPanels(
  checks: readonly StatisticCheck[],
  titles: readonly string[],
  options: {
    title: string;
    description: string;
    bins: number;
    columns: number;
    panelWidth: number;
    panelHeight: number;
    xLabel?: string;
  },
): string {
  return figure(
    {
      title: options.title,
      description: options.description,
      legend: [
        { kind: "rect", label: "T(y_rep), replicated data", color: POSTERIOR_COLOR, opacity: 0.55 },
        { kind: "line", label: "T(y), observed", color: INK, width: 2.4 },
      ],
      count: checks.length,
      columns: options.columns,
      panelWidth: options.panelWidth,
      panelHeight: options.panelHeight,
      margins: { top: 24, right: 14, bottom: options.xLabel === undefined ? 26 : 40, left: 44 },
    },
    (panel, i) => {
      const c = checks[i]!;
      const span = pad(extent(c.replicated, [c.observed]), 0.04);
      const x = linearScale(span, [panel.x, panel.x + panel.width]);
      const [lo, hi] = x.domain;
      const counts = histogram(c.replicated, lo, hi, options.bins);
      const most = Math.max(1, ...counts);
      const y = linearScale([0, most * 1.08], [panel.y + panel.height, panel.y]);
      let out = gridLines(panel, x, y, { noXGrid: true });
      const w = (hi - lo) / options.bins;
      let bars = "";
      counts.forEach((count, b) => {
        if (count === 0) return;
        const x0 = x.map(lo + b * w);
        const x1 = x.map(lo + (b + 1) * w);
        bars += element("rect", {
          x: x0,
          y: y.map(count),
          width: Math.max(0.5, x1 - x0 - 0.5),
          height: y.map(0) - y.map(count),
          "data-count": count,
        });
      });
      out += group({ fill: POSTERIOR_COLOR, "fill-opacity": 0.55 }, bars);
      out += line(x.map(c.observed), panel.y, x.map(c.observed), panel.y + panel.height, {
        stroke: INK,
        "stroke-width": 2.4,
        "data-observed": String(c.observed),
        "data-p": String(c.p),
      });
      out += axes(panel, x, y, {
        title: titles[i]!,
        xTicks: 4,
        yTicks: 3,
        ...(options.xLabel === undefined ? {} : { xLabel: options.xLabel }),
      });
      return out;
    },
  );
}

/**
 * Test statistics of the replicated data against the observed (bayesplot's `ppc_stat`), a panel per
 * statistic, titled with its posterior predictive p-value.
 *
 * @param yrep - replicated data sets (`posteriorPredict(post)`; every draw is used)
 * @param options - stats (names or { name, fn }), y, bins, layout
 * @returns the SVG text
 * @throws ArgumentError for an unknown statistic or draws without an observed y
 * @example ppcStat(posteriorPredict(post), { stats: ["mean", { name: "q90", fn: (y) => quantile(y, 0.9) }] })
 */
export function ppcStat(yrep: PredictiveDraws, options: PpcStatOptions = {}): string {
  checkOptionKinds(options, {
    bins: "number",
    title: "string",
    columns: "number",
    panelWidth: "number",
    panelHeight: "number",
  });
  if (options.stats !== undefined && !Array.isArray(options.stats))
    throw new ArgumentError(
      "options.stats",
      "must be an array of statistics (names or { name, fn })",
      options.stats,
    );
  const stats = (options.stats ?? ["mean", "sd", "min", "max"]).map((s, k) =>
    statisticOf(s, `options.stats[${k}]`),
  );
  if (stats.length === 0) throw new ArgumentError("options.stats", "must name at least one statistic", []);
  const data = replicates(yrep, options.y);
  const checks = stats.map((s) => statisticCheck(data, s));
  return histogramPanels(
    checks,
    checks.map((c) => `${c.name}: p = ${formatP(c.p)}`),
    {
      title: options.title ?? "Posterior predictive check: test statistics",
      description: `Histograms of ${checks.map((c) => c.name).join(", ")} over ${data.draws} replicated data sets, with the observed value and the posterior predictive p-value Pr(T(y_rep) ≥ T(y)).`,
      bins: bins(options.bins),
      columns: options.columns ?? 2,
      panelWidth: options.panelWidth ?? 280,
      panelHeight: options.panelHeight ?? 130,
    },
  );
}

/**
 * A test statistic per group (bayesplot's `ppc_stat_grouped`): a panel per level, T over that
 * level's rows of y_rep against the observed, titled with the level and its p-value.
 *
 * @param yrep - replicated data sets on the model's rows
 * @param options - group (a label per row), stat, y, bins, layout
 * @returns the SVG text
 * @throws ArgumentError when `group` is not one label per row
 * @example ppcStatGrouped(posteriorPredict(post), { group: groupLabels(post.model, "Subject"), groupName: "Subject" })
 */
export function ppcStatGrouped(yrep: PredictiveDraws, options: PpcStatGroupedOptions): string {
  checkObjectArgument(options, "options", "{ group: a label per row, stat, ... }", ["group"]);
  checkOptionKinds(options, {
    group: "names",
    groupName: "string",
    bins: "number",
    title: "string",
    columns: "number",
    panelWidth: "number",
    panelHeight: "number",
  });
  const data = replicates(yrep, options.y);
  if (options.group === undefined || options.group.length !== data.n)
    throw new ArgumentError(
      "options.group",
      `must give one group label per row (${data.n})`,
      options.group?.length,
    );
  const stat = statisticOf(options.stat ?? "mean", "options.stat");
  const { levels, rows } = rowsByGroup(options.group);
  const checks = rows.map((r) => statisticCheck(data, stat, r));
  const groupName = options.groupName ?? "group";
  return histogramPanels(
    checks,
    levels.map((level, k) => `${level}: p = ${formatP(checks[k]!.p)}`),
    {
      title: options.title ?? `Posterior predictive check: ${stat.name} per ${groupName}`,
      description: `For each of ${levels.length} levels of ${groupName}: the histogram of the ${stat.name} of its rows over ${data.draws} replicated data sets, the observed ${stat.name}, and the p-value.`,
      bins: bins(options.bins ?? 20),
      columns: options.columns ?? 6,
      panelWidth: options.panelWidth ?? 150,
      panelHeight: options.panelHeight ?? 80,
    },
  );
}

function bins(value: number | undefined): number {
  const b = value ?? 30;
  if (!(Number.isInteger(b) && b >= 1 && b <= 1000))
    throw new ArgumentError("options.bins", "must be an integer from 1 to 1000", value);
  return b;
}
