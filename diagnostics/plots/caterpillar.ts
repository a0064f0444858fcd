/**
 * Caterpillar plots of the random effects: per grouping factor and coefficient, every level's
 * posterior mean with its 50% and 95% credible intervals, levels sorted by the mean, a line at 0
 * (b is a deviation from the fixed effect), and the REML conditional mode of each level where given.
 */
import { parameterIndex } from "../../src/draws/draws";
import type { Draws } from "../../src/draws/types";
import { checkArrayArgument, checkDrawsArgument, checkOptionKinds } from "../../src/validate";
import { quantileOfSorted } from "../statistics";
import { axes, gridLines } from "./axes";
import { POSTERIOR_COLOR, REFERENCE_COLOR, REML_COLOR } from "./colors";
import { figure, fitText, type LegendItem, marker } from "./layout";
import { parseParameterName } from "./names";
import { extent, linearScale, pad } from "./scale";
import { line, text } from "./svg";

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
}

/**
 * The rows of a caterpillar plot from draws: every `b[GROUP][LEVEL,NAME]` parameter summarized by its
 * mean and the 2.5/25/75/97.5% quantiles of the pooled draws (R's type 7).
 *
 * @param draws draws including random effects.
 * @param reference a value per parameter name to mark (e.g. REML conditional modes), optional.
 * @returns one row per random effect, in the draws' order.
 * @example caterpillarRows(posterior).length // levels × coefficients, over all factors
 */
export function caterpillarRows(
  draws: Draws,
  reference: Readonly<Record<string, number>> = {},
): CaterpillarRow[] {
  checkDrawsArgument(draws);
  checkOptionKinds(reference, {}, "reference");
  const out: CaterpillarRow[] = [];
  const block = draws.chains * draws.iterations;
  for (const name of draws.parameters) {
    const p = parseParameterName(name);
    if (p.kind !== "b") continue;
    const k = parameterIndex(draws, name);
    const values = draws.values.subarray(k * block, (k + 1) * block);
    const sorted = Float64Array.from(values.filter(Number.isFinite)).sort();
    let mean = 0;
    for (const v of sorted) mean += v;
    mean = sorted.length > 0 ? mean / sorted.length : Number.NaN;
    const ref = reference[name];
    out.push({
      group: p.group,
      coefficient: p.coefficient,
      level: p.level,
      mean,
      lower: quantileOfSorted(sorted, 0.025),
      upper: quantileOfSorted(sorted, 0.975),
      lower50: quantileOfSorted(sorted, 0.25),
      upper50: quantileOfSorted(sorted, 0.75),
      ...(ref === undefined ? {} : { reference: ref }),
    });
  }
  return out;
}

/** Options of `caterpillarPlot`. */
export interface CaterpillarPlotOptions {
  /** @default "Random effects" */
  readonly title?: string;
  /** @default "REML conditional mode" */
  readonly referenceLabel?: string;
  /** @default 300 */
  readonly panelWidth?: number;
  /** Pixels per level. @default 13 */
  readonly rowHeight?: number;
}

/**
 * A caterpillar plot as an SVG document: a panel per (factor, coefficient), a row per level sorted by
 * posterior mean, thick line = 50% interval, thin line = 95% interval, dot = mean, hollow diamond =
 * reference.
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
  const most = Math.max(1, ...panels.map((p) => p.length));
  // Many levels: rows get thinner so that a panel stays below about 1,600 pixels.
  const rowHeight = options.rowHeight ?? Math.max(1.5, Math.min(13, 1600 / most));
  const anyRef = rows.some((r) => r.reference !== undefined);
  const legendItems: LegendItem[] = [
    { kind: "point", label: "posterior mean", color: POSTERIOR_COLOR, shape: "circle" },
    { kind: "line", label: "50% interval", color: POSTERIOR_COLOR, width: 3.5 },
    { kind: "line", label: "95% interval", color: POSTERIOR_COLOR, width: 1.2 },
  ];
  if (anyRef)
    legendItems.push({
      kind: "point",
      label: options.referenceLabel ?? "REML conditional mode",
      color: REML_COLOR,
      shape: "diamond",
      filled: false,
    });
  return figure(
    {
      title: options.title ?? "Random effects",
      description: `Posterior means and credible intervals of ${rows.length} random effects, sorted by mean within each factor and coefficient.`,
      legend: legendItems,
      count: panels.length,
      columns: Math.min(2, panels.length),
      panelWidth: options.panelWidth ?? 300,
      panelHeight: most * rowHeight,
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
      const step = panel.height / levels.length;
      levels.forEach((r, j) => {
        const cy = panel.y + panel.height - (j + 0.5) * step;
        out += line(x.map(r.lower), cy, x.map(r.upper), cy, { stroke: POSTERIOR_COLOR, "stroke-width": 1.2 });
        if (Number.isFinite(r.lower50))
          out += line(x.map(r.lower50), cy, x.map(r.upper50), cy, {
            stroke: POSTERIOR_COLOR,
            "stroke-width": 3.5,
          });
        out += marker("circle", x.map(r.mean), cy, 2.6, POSTERIOR_COLOR);
        if (r.reference !== undefined)
          out += marker("diamond", x.map(r.reference), cy, 2.6, REML_COLOR, false);
        if (levels.length <= 60 || j % Math.ceil(levels.length / 60) === 0)
          out += text(fitText(r.level, 64, 9.5), {
            x: panel.x - 6,
            y: cy + 3,
            "text-anchor": "end",
            "font-size": Math.min(10, step - 1),
            fill: "#444444",
          });
      });
      out += axes(panel, x, null, {
        title: `b[${first.group}] ${first.coefficient}`,
        xLabel: "deviation from the fixed effect",
      });
      return out;
    },
  );
}
