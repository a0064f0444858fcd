/**
 * Trace plots: each parameter's draws against the iteration, one line per chain in its own colour,
 * the warmup (when given) shaded and drawn before the kept draws. Chains that explore the same region
 * and overlap like a "fat hairy caterpillar" are what convergence looks like; a chain off on its own,
 * or a trend, is what it does not.
 */

import { chainsOf, parameterIndex } from "../../src/draws/draws";
import type { Draws } from "../../src/draws/types";
import { ArgumentError } from "../../src/errors";
import { checkDrawsArgument, checkOptionKinds } from "../../src/validate";
import { axes, gridLines } from "./axes";
import { chainColor, chainDash } from "./colors";
import { figure, type LegendItem, panelNote, widestTickLabel } from "./layout";
import { extent, linearScale, pad } from "./scale";
import { element, group, polyline, text } from "./svg";
import { minMaxIndices } from "./thin";

/** Options of `tracePlot`. */
export interface TracePlotOptions {
  /** Which parameters, in this order. @default all of `draws.parameters` */
  readonly parameters?: readonly string[];
  /**
   * The warmup draws (same chains), drawn shaded before the kept draws; a parameter they lack (a
   * Posterior's random effects: `warmupDraws` holds beta, sigma2 and Psi) has its kept draws only.
   */
  readonly warmup?: Draws | null;
  /** Panels per row. @default 2 (1 when there is one parameter) */
  readonly columns?: number;
  /** Width of each panel's plotting area in pixels. @default 420 */
  readonly panelWidth?: number;
  /** Height of each panel's plotting area in pixels. @default 120 */
  readonly panelHeight?: number;
  /** @default "Trace plots" */
  readonly title?: string;
  /** Min–max thin each chain to the panel's pixel columns (see thin.ts). @default true */
  readonly thin?: boolean;
  /**
   * Thinning buckets per pixel column: 1 keeps each column's exact range; 0.5 (two columns a bucket)
   * halves the size for many small panels. @default 1
   */
  readonly bucketsPerPixel?: number;
}

/**
 * Trace plots of `draws` as an SVG document: a panel per parameter, a polyline per chain (chains in
 * distinct colours, legend at the top), the warmup shaded grey. Warmup draws far outside the kept
 * draws' range (more than half their range beyond it, as dispersed starting values are) are drawn at the
 * panel's edge so that they do not flatten the kept draws.
 *
 * @example tracePlot(draws, { parameters: ["beta[Days]", "sigma2"] }).startsWith("<svg") // true
 */
export function tracePlot(draws: Draws, options: TracePlotOptions = {}): string {
  checkDrawsArgument(draws);
  checkOptionKinds(options, {
    parameters: "names",
    columns: "number",
    panelWidth: "number",
    panelHeight: "number",
    title: "string",
    thin: "boolean",
    bucketsPerPixel: "number",
  });
  if (options.warmup !== undefined && options.warmup !== null)
    checkDrawsArgument(options.warmup, "options.warmup");
  const names = options.parameters ?? draws.parameters;
  const warmup = options.warmup ?? null;
  if (warmup !== null && warmup.chains !== draws.chains)
    throw new ArgumentError(
      "options.warmup",
      `must have the same number of chains as the draws (${draws.chains})`,
      warmup.chains,
    );
  const W = warmup === null ? 0 : warmup.iterations;
  const T = draws.iterations;
  const panelWidth = options.panelWidth ?? 420;
  const panelHeight = options.panelHeight ?? 120;
  const thin = options.thin ?? true;
  const perPixel = Math.max(0.05, Math.min(1, options.bucketsPerPixel ?? 1));

  // The warmup may hold fewer parameters than the draws (a Posterior's warmupDraws has beta, sigma2
  // and Psi, not the random effects): a panel without warmup draws shows the kept draws only.
  const inWarmup = new Set(warmup?.parameters ?? []);
  const series = names.map((name) => {
    const kept = chainsOf(draws, parameterIndex(draws, name));
    const early =
      warmup === null || !inWarmup.has(name) ? null : chainsOf(warmup, parameterIndex(warmup, name));
    const keptRange = extent(...kept);
    let range: [number, number] = keptRange;
    if (early !== null) {
      const all = extent(...early, ...kept);
      const w = keptRange[1] - keptRange[0];
      const limit: [number, number] = Number.isFinite(w)
        ? [keptRange[0] - 0.5 * Math.max(w, 1e-12), keptRange[1] + 0.5 * Math.max(w, 1e-12)]
        : all;
      range = [Math.max(all[0], limit[0]), Math.min(all[1], limit[1])];
    }
    const padded = pad(range, 0.04);
    // A quantity that is never negative (a variance) keeps its axis at or above 0.
    if (range[0] >= 0 && padded[0] < 0) padded[0] = 0;
    const y = linearScale(padded, [panelHeight, 0], true, 4);
    return { name, kept, early, y };
  });
  const left = Math.max(40, widestTickLabel(series.map((s) => s.y)) + 14);

  const legendItems: LegendItem[] = [];
  for (let c = 0; c < draws.chains; c++) {
    const dash = chainDash(c);
    legendItems.push({
      kind: "line",
      label: `chain ${c + 1}`,
      color: chainColor(c),
      ...(dash === undefined ? {} : { dash }),
    });
  }
  if (W > 0)
    legendItems.push({ kind: "rect", label: `warmup (${W} iterations)`, color: "#000000", opacity: 0.08 });

  const note =
    thin && Math.max(T, W) > panelWidth
      ? `Each chain drawn through its lowest and highest draw in ${perPixel === 1 ? "each pixel column" : `every ${Number((1 / perPixel).toFixed(1))} pixel columns`} (all ${T} kept draws per chain shown in range).`
      : undefined;

  return figure(
    {
      title: options.title ?? "Trace plots",
      description: `Trace plots of ${names.length} parameter(s), ${draws.chains} chain(s), ${T} kept draws per chain${W > 0 ? ` after ${W} warmup iterations` : ""}.`,
      legend: legendItems,
      count: names.length,
      columns: options.columns ?? (names.length === 1 ? 1 : 2),
      panelWidth,
      panelHeight,
      margins: { top: 22, right: 16, bottom: 38, left },
      ...(note === undefined ? {} : { note }),
    },
    (panel, i) => {
      const s = series[i]!;
      const x = linearScale([0.5, W + T + 0.5], [panel.x, panel.x + panel.width], false, 5);
      const y = linearScale(s.y.domain, [panel.y + panel.height, panel.y], false, 4);
      const [lo, hi] = y.domain;
      let out = gridLines(panel, x, y, { yTicks: 4 });
      if (W > 0)
        out += element("rect", {
          x: x.map(0.5),
          y: panel.y,
          width: x.map(W + 0.5) - x.map(0.5),
          height: panel.height,
          fill: "#000000",
          "fill-opacity": 0.08,
        });
      let lines = "";
      let finite = 0;
      for (let c = 0; c < draws.chains; c++) {
        const xs: number[] = [];
        const ys: number[] = [];
        const add = (values: Float64Array, offset: number, pixels: number) => {
          const idx = thin ? minMaxIndices(values, pixels) : allFinite(values);
          for (const t of idx) {
            const v = values[t] as number;
            xs.push(x.map(offset + t + 1));
            ys.push(y.map(Math.min(hi, Math.max(lo, v))));
          }
        };
        const early = s.early?.[c];
        if (early !== undefined) add(early, 0, Math.max(1, (perPixel * panel.width * W) / (W + T)));
        add(s.kept[c]!, W, Math.max(1, (perPixel * panel.width * T) / (W + T)));
        finite += xs.length;
        const dash = chainDash(c);
        lines += polyline(xs, ys, {
          stroke: chainColor(c),
          "stroke-dasharray": dash,
          "data-chain": c + 1,
        });
      }
      out += group({ "stroke-width": 0.8, "stroke-opacity": 0.85, "stroke-linejoin": "round" }, lines);
      if (finite === 0) out += panelNote(panel, "no finite draws");
      if (W > 0)
        out += text(s.early === null ? "warmup (not recorded)" : "warmup", {
          x: x.map(0.5) + 3,
          y: panel.y + 11,
          "font-size": 9.5,
          fill: "#666666",
        });
      out += axes(panel, x, y, { title: s.name, xLabel: "iteration", yTicks: 4 });
      return out;
    },
  );
}

function allFinite(values: Float64Array): number[] {
  const out: number[] = [];
  for (let t = 0; t < values.length; t++) if (Number.isFinite(values[t] as number)) out.push(t);
  return out;
}
