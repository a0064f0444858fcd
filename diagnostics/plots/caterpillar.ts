/**
 * Caterpillar plots of the random effects: per grouping factor and coefficient, every level's
 * posterior mean with its 50% and 95% credible intervals, levels sorted by the mean, a line at 0
 * (b is a deviation from the fixed effect), and the REML conditional mode of each level where given.
 *
 * Readable from 5 to 5,000 levels: up to `labelledLevels` (80) levels get a row and a label each;
 * beyond that the panel shows the `extremes` (5) lowest and highest levels as labelled rows and
 * every other level as a sorted band — the 50% and 95% intervals as shaded areas (their envelope
 * per pixel row), the means as a line — so the picture's height no longer grows with the levels.
 */

import { parseParameterName } from "../../src/draws/names";
import type { Posterior } from "../../src/draws/posterior";
import type { Draws } from "../../src/draws/types";
import { checkArrayArgument, checkDrawsArgument, checkOptionKinds } from "../../src/validate";
import { summarizeQuantities } from "../posterior-summary";
import { axes, gridLines } from "./axes";
import { POSTERIOR_COLOR, REFERENCE_COLOR, REML_COLOR } from "./colors";
import { figure, fitText, type LegendItem, marker, type Panel } from "./layout";
import { extent, type LinearScale, linearScale, pad } from "./scale";
import { group, line, polygon, polyline, text } from "./svg";

/** One random effect's summary. */
export interface CaterpillarRow {
  readonly group: string;
  readonly coefficient: string;
  readonly level: string;
  readonly mean: number;
  /** 2.5% and 97.5% quantiles. */
  readonly lower: number;
  readonly upper: number;
  /** 25% and 75% quantiles (NaN when unknown). */
  readonly lower50: number;
  readonly upper50: number;
  /** e.g. the REML conditional mode. */
  readonly reference?: number;
  /** True when the intervals are mean ± z sd (only running summaries of the draws were kept). */
  readonly approximate?: boolean;
}

/** z for the central 95% and 50% normal intervals. */
const Z95 = 1.959963984540054;
const Z50 = 0.6744897501960817;

/**
 * The rows of a caterpillar plot: every `b[GROUP][LEVEL,NAME]` parameter of the draws summarized by
 * its posterior mean and 2.5/25/75/97.5% quantiles (posterior-summary.ts). A posterior that kept only
 * running means and sds of its random effects gives mean ± 1.96 sd and mean ± 0.674 sd instead,
 * marked `approximate`.
 *
 * @param draws draws including random effects, or a Posterior.
 * @param reference a value per parameter name to mark (e.g. REML conditional modes), optional.
 * @returns one row per random effect, in the draws' order.
 * @example caterpillarRows(posterior).length // levels × coefficients, over all factors
 */
export function caterpillarRows(
  draws: Draws | Posterior,
  reference: Readonly<Record<string, number>> = {},
): CaterpillarRow[] {
  checkDrawsArgument(draws);
  checkOptionKinds(reference, {}, "reference");
  const summary = "randomEffectsSummary" in draws ? draws.randomEffectsSummary : null;
  const ref = (name: string) => (reference[name] === undefined ? {} : { reference: reference[name] });
  if (summary !== null)
    return summary.names.flatMap((name, k) => {
      const p = parseParameterName(name);
      if (p.kind !== "b") return [];
      const mean = summary.mean[k]!;
      const sd = summary.sd[k]!;
      return [
        {
          group: p.group,
          coefficient: p.coefficient,
          level: p.level,
          mean,
          lower: mean - Z95 * sd,
          upper: mean + Z95 * sd,
          lower50: mean - Z50 * sd,
          upper50: mean + Z50 * sd,
          approximate: true,
          ...ref(name),
        },
      ];
    });
  const names = draws.parameters.filter((name) => parseParameterName(name).kind === "b");
  const outer = summarizeQuantities(draws, names, 0.95);
  const inner = summarizeQuantities(draws, names, 0.5);
  return names.map((name, k) => {
    const p = parseParameterName(name) as { group: string; level: string; coefficient: string };
    return {
      group: p.group,
      coefficient: p.coefficient,
      level: p.level,
      mean: outer[k]!.estimate,
      lower: outer[k]!.lower,
      upper: outer[k]!.upper,
      lower50: inner[k]!.lower,
      upper50: inner[k]!.upper,
      ...ref(name),
    };
  });
}

/** Options of `caterpillarPlot`. */
export interface CaterpillarPlotOptions {
  /** @default "Random effects" */
  readonly title?: string;
  /** @default "REML conditional mode" */
  readonly referenceLabel?: string;
  /** @default 300 */
  readonly panelWidth?: number;
  /** Pixels per labelled level. @default 12 */
  readonly rowHeight?: number;
  /** Panels with at most this many levels label every level; more levels are drawn as a band. @default 80 */
  readonly labelledLevels?: number;
  /** In a band panel, this many lowest and highest levels are labelled rows. @default 5 */
  readonly extremes?: number;
  /** Height of a band panel's band in pixels. @default 300 */
  readonly bandHeight?: number;
}

/**
 * A caterpillar plot as an SVG document: a panel per (factor, coefficient), levels sorted by
 * posterior mean, thick line = 50% interval, thin line = 95% interval, dot = mean, hollow diamond =
 * reference; panels with many levels show the extreme levels as labelled rows and the rest as a
 * sorted band (see the file comment).
 *
 * @example caterpillarPlot(caterpillarRows(posterior)).includes("b[Subject]") // true
 */
export function caterpillarPlot(
  rows: readonly CaterpillarRow[],
  options: CaterpillarPlotOptions = {},
): string {
  checkArrayArgument(rows, "rows", "an array of caterpillar rows (caterpillarRows(posterior))");
  checkOptionKinds(options, {
    title: "string",
    referenceLabel: "string",
    panelWidth: "number",
    rowHeight: "number",
  });
  const keys: string[] = [];
  const byKey = new Map<string, CaterpillarRow[]>();
  for (const r of rows) {
    const key = `${r.group}\u0000${r.coefficient}`;
    if (!byKey.has(key)) {
      byKey.set(key, []);
      keys.push(key);
    }
    byKey.get(key)!.push(r);
  }
  const panels = keys.map((key) => [...byKey.get(key)!].sort((a, b) => a.mean - b.mean));
  const rowHeight = options.rowHeight ?? 12;
  const labelled = options.labelledLevels ?? 80;
  const extremes = Math.max(1, options.extremes ?? 5);
  const bandHeight = options.bandHeight ?? 300;
  const isBand = (levels: readonly CaterpillarRow[]) => levels.length > labelled;
  const heightOf = (levels: readonly CaterpillarRow[]) =>
    isBand(levels) ? 2 * extremes * rowHeight + bandHeight : levels.length * rowHeight;
  const panelHeight = Math.max(rowHeight, ...panels.map(heightOf));
  const anyRef = rows.some((r) => r.reference !== undefined);
  const anyBand = panels.some(isBand);
  const approximate = rows.some((r) => r.approximate === true);
  const legendItems: LegendItem[] = [
    { kind: "point", label: "posterior mean", color: POSTERIOR_COLOR, shape: "circle" },
    {
      kind: "line",
      label: approximate ? "mean ± 0.674 sd" : "50% interval",
      color: POSTERIOR_COLOR,
      width: 3.5,
    },
    {
      kind: "line",
      label: approximate ? "mean ± 1.96 sd" : "95% interval",
      color: POSTERIOR_COLOR,
      width: 1.2,
    },
  ];
  if (anyBand)
    legendItems.push(
      {
        kind: "rect",
        label: "band: 50% / 95% intervals of the other levels",
        color: POSTERIOR_COLOR,
        opacity: 0.45,
      },
      { kind: "line", label: "band: their means", color: POSTERIOR_COLOR, width: 1 },
    );
  if (anyRef)
    legendItems.push({
      kind: "point",
      label: options.referenceLabel ?? "REML conditional mode",
      color: REML_COLOR,
      shape: "diamond",
      filled: false,
    });
  const bandCount = panels.filter(isBand).length;
  return figure(
    {
      title: options.title ?? "Random effects",
      description: `Posterior means and credible intervals of ${rows.length} random effects, sorted by mean within each factor and coefficient${bandCount > 0 ? `; ${bandCount} panel(s) with more than ${labelled} levels show the ${extremes} lowest and highest levels and a band for the rest` : ""}.`,
      legend: legendItems,
      ...(approximate
        ? {
            note: "Only running means and sds of the random effects were kept: intervals are normal approximations.",
          }
        : {}),
      count: panels.length,
      columns: Math.min(2, panels.length),
      panelWidth: options.panelWidth ?? 300,
      panelHeight,
      margins: { top: 24, right: 16, bottom: 38, left: 74 },
    },
    (panel, i) => {
      const levels = panels[i]!;
      const first = levels[0]!;
      const values: number[] = [0];
      for (const r of levels) values.push(r.lower, r.upper, r.reference ?? Number.NaN);
      const x = linearScale(pad(extent(values), 0.04), [panel.x, panel.x + panel.width], false, 5);
      let out = gridLines(panel, x, null, {});
      out += line(x.map(0), panel.y, x.map(0), panel.y + panel.height, {
        stroke: REFERENCE_COLOR,
        "stroke-width": 1,
      });
      if (isBand(levels)) out += bandPanel(panel, x, levels, extremes, rowHeight);
      else {
        // Rows from the bottom (lowest mean) up, in a panel that may be taller than this one needs.
        const top = panel.y + panel.height - levels.length * rowHeight;
        levels.forEach((r, j) => {
          out += levelRow(panel, x, r, top + (levels.length - j - 0.5) * rowHeight, rowHeight);
        });
      }
      out += axes(panel, x, null, {
        title: `b[${first.group}] ${first.coefficient}${isBand(levels) ? ` (${levels.length} levels)` : ""}`,
        xLabel: "deviation from the fixed effect",
      });
      return out;
    },
  );
}

/** One labelled level: 95% and 50% intervals, the mean, the reference and the level's name. */
function levelRow(panel: Panel, x: LinearScale, r: CaterpillarRow, cy: number, rowHeight: number): string {
  let out = line(x.map(r.lower), cy, x.map(r.upper), cy, { stroke: POSTERIOR_COLOR, "stroke-width": 1.2 });
  if (Number.isFinite(r.lower50))
    out += line(x.map(r.lower50), cy, x.map(r.upper50), cy, { stroke: POSTERIOR_COLOR, "stroke-width": 3.5 });
  out += marker("circle", x.map(r.mean), cy, 2.6, POSTERIOR_COLOR);
  if (r.reference !== undefined) out += marker("diamond", x.map(r.reference), cy, 2.6, REML_COLOR, false);
  out += text(fitText(r.level, 64, 9.5), {
    x: panel.x - 6,
    y: cy + 3,
    "text-anchor": "end",
    "font-size": Math.min(10, rowHeight - 2),
    fill: "#444444",
    "data-role": "level-label",
  });
  return out;
}

/**
 * A band panel: the `extremes` highest levels as rows at the top, the lowest at the bottom, and
 * between them every other level as a band — per pixel row, the envelope of the intervals of the
 * levels that fall in it and the range of their means.
 */
function bandPanel(
  panel: Panel,
  x: LinearScale,
  levels: readonly CaterpillarRow[],
  extremes: number,
  rowHeight: number,
): string {
  const m = levels.length;
  const bottom = panel.y + panel.height;
  let out = "";
  for (let j = 0; j < extremes; j++) {
    out += levelRow(panel, x, levels[j]!, bottom - (j + 0.5) * rowHeight, rowHeight);
    out += levelRow(panel, x, levels[m - 1 - j]!, panel.y + (j + 0.5) * rowHeight, rowHeight);
  }
  const middle = levels.slice(extremes, m - extremes);
  const bandTop = panel.y + extremes * rowHeight + 3;
  const bandBottom = bottom - extremes * rowHeight - 3;
  const height = bandBottom - bandTop;
  const buckets = Math.max(1, Math.min(middle.length, Math.floor(height / 2)));
  const ys: number[] = [];
  const lo95: number[] = [];
  const hi95: number[] = [];
  const lo50: number[] = [];
  const hi50: number[] = [];
  const meanLo: number[] = [];
  const meanHi: number[] = [];
  const refs: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * middle.length) / buckets);
    const to = Math.floor(((b + 1) * middle.length) / buckets);
    let a = Infinity;
    let z = -Infinity;
    let a50 = Infinity;
    let z50 = -Infinity;
    let mLo = Infinity;
    let mHi = -Infinity;
    let refSum = 0;
    let refCount = 0;
    for (let j = from; j < to; j++) {
      const r = middle[j]!;
      a = Math.min(a, r.lower);
      z = Math.max(z, r.upper);
      a50 = Math.min(a50, r.lower50);
      z50 = Math.max(z50, r.upper50);
      mLo = Math.min(mLo, r.mean);
      mHi = Math.max(mHi, r.mean);
      if (r.reference !== undefined) {
        refSum += r.reference;
        refCount++;
      }
    }
    ys.push(bandBottom - ((b + 0.5) * height) / buckets);
    lo95.push(x.map(a));
    hi95.push(x.map(z));
    lo50.push(x.map(a50));
    hi50.push(x.map(z50));
    meanLo.push(x.map(mLo));
    meanHi.push(x.map(mHi));
    refs.push(refCount > 0 ? x.map(refSum / refCount) : Number.NaN);
  }
  const area = (lo: number[], hi: number[], opacity: number, role: string) =>
    polygon([...lo, ...[...hi].reverse()], [...ys, ...[...ys].reverse()], {
      fill: POSTERIOR_COLOR,
      "fill-opacity": opacity,
      stroke: "none",
      "data-role": role,
    });
  out += area(lo95, hi95, 0.2, "band-95");
  if (lo50.every(Number.isFinite)) out += area(lo50, hi50, 0.35, "band-50");
  const meanX = meanLo.map((v, b) => (v + meanHi[b]!) / 2);
  out += polyline(meanX, ys, {
    fill: "none",
    stroke: POSTERIOR_COLOR,
    "stroke-width": 1,
    "data-role": "band-mean",
  });
  if (refs.every(Number.isFinite))
    out += polyline(refs, ys, {
      fill: "none",
      stroke: REML_COLOR,
      "stroke-width": 0.8,
      "stroke-dasharray": "3 2",
      "data-role": "band-reference",
    });
  out += group(
    { fill: "#666666", "font-size": 9.5, "text-anchor": "end" },
    text(`${middle.length} more`, { x: panel.x - 6, y: bandTop + height / 2 - 2 }) +
      text("levels,", { x: panel.x - 6, y: bandTop + height / 2 + 9 }) +
      text("sorted", { x: panel.x - 6, y: bandTop + height / 2 + 20 }),
  );
  out += line(panel.x, bandTop - 1.5, panel.x + panel.width, bandTop - 1.5, {
    stroke: "#bbbbbb",
    "stroke-dasharray": "2 2",
  });
  out += line(panel.x, bandBottom + 1.5, panel.x + panel.width, bandBottom + 1.5, {
    stroke: "#bbbbbb",
    "stroke-dasharray": "2 2",
  });
  return out;
}
