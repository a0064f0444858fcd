/**
 * Rank plots (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021, §4.3, doi:10.1214/20-BA1221): all
 * draws of a parameter are ranked together, and each chain's ranks are shown as a histogram. When the
 * chains sample the same distribution every histogram is flat; a chain whose bars pile up at one end
 * sits higher or lower than the others, a hump or a trough says its spread differs.
 */
import { chainsOf, parameterIndex } from "../../src/draws/draws";
import type { Draws } from "../../src/draws/types";
import { checkDrawsArgument, checkOptionKinds } from "../../src/validate";
import { ranks } from "../transforms";
import { axes } from "./axes";
import { chainColor, REFERENCE_COLOR } from "./colors";
import { figure } from "./layout";
import { linearScale } from "./scale";
import { element, group, line, text } from "./svg";

/** Options of `rankPlot`. */
export interface RankPlotOptions {
  /** Which parameters, in this order. @default all */
  readonly parameters?: readonly string[];
  /** Number of histogram bins over the ranks 1..S. @default 20 */
  readonly bins?: number;
  /** Width of each chain's panel. @default 150 */
  readonly panelWidth?: number;
  /** @default 70 */
  readonly panelHeight?: number;
  /** @default "Rank plots" */
  readonly title?: string;
}

/**
 * Counts of ranks per bin: bin b holds ranks r with ⌊(r − 1)·B / S⌋ = b (average ranks of ties are
 * fractional; they fall in the bin of their value).
 *
 * @param chainRanks the ranks of one chain (1..S).
 * @param total S, the number of draws ranked.
 * @param bins B.
 * @returns B counts.
 * @example rankCounts(Float64Array.of(1, 2, 3, 4), 4, 2) // Float64Array [2, 2]
 */
export function rankCounts(chainRanks: ArrayLike<number>, total: number, bins: number): Float64Array {
  const counts = new Float64Array(bins);
  for (let i = 0; i < chainRanks.length; i++) {
    const r = chainRanks[i] as number;
    if (!Number.isFinite(r)) continue;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(((r - 1) * bins) / total)));
    counts[b] = (counts[b] as number) + 1;
  }
  return counts;
}

/**
 * Rank histograms as an SVG document: a row of panels per parameter, one panel per chain (bars in the
 * chain's colour), the count every bin would have if the chains agreed drawn as a dashed line.
 *
 * @example rankPlot(draws, { parameters: ["sigma2"] }).includes("rank") // true
 */
export function rankPlot(draws: Draws, options: RankPlotOptions = {}): string {
  checkDrawsArgument(draws);
  checkOptionKinds(options, {
    parameters: "names",
    bins: "number",
    panelWidth: "number",
    panelHeight: "number",
    title: "string",
  });
  const names = options.parameters ?? draws.parameters;
  const bins = Math.max(1, Math.floor(options.bins ?? 20));
  const C = draws.chains;
  const S = C * draws.iterations;
  const expected = draws.iterations / bins;
  const counts = names.map((name) => {
    const r = ranks(chainsOf(draws, parameterIndex(draws, name)));
    return r.map((chainRanks) => rankCounts(chainRanks, S, bins));
  });
  let top = expected * 1.5;
  for (const perChain of counts) for (const c of perChain) for (const v of c) top = Math.max(top, v);
  return figure(
    {
      title: options.title ?? "Rank plots",
      description: `Histograms of the ranks of each chain's draws among all ${S} draws, ${bins} bins; flat histograms mean the chains agree.`,
      legend: [
        ...Array.from({ length: C }, (_, c) => ({
          kind: "rect" as const,
          label: `chain ${c + 1}`,
          color: chainColor(c),
          opacity: 0.85,
        })),
        { kind: "line", label: "count if chains agree", color: REFERENCE_COLOR, width: 1.2, dash: "4 3" },
      ],
      note: `Ranks of all ${S} draws pooled; each panel a histogram of one chain's ranks (${bins} bins).`,
      count: names.length * C,
      columns: C,
      panelWidth: options.panelWidth ?? 150,
      panelHeight: options.panelHeight ?? 70,
      margins: { top: 38, right: 20, bottom: 34, left: 44 },
    },
    (panel, i) => {
      const k = Math.floor(i / C);
      const c = i % C;
      const hist = counts[k]![c]!;
      const x = linearScale([0, S], [panel.x, panel.x + panel.width], false, 3);
      const y = linearScale([0, top], [panel.y + panel.height, panel.y], false, 3);
      let bars = "";
      for (let b = 0; b < bins; b++) {
        const x0 = x.map((b * S) / bins);
        const x1 = x.map(((b + 1) * S) / bins);
        const y0 = y.map(hist[b] as number);
        bars += element("rect", {
          x: x0 + 0.5,
          y: y0,
          width: Math.max(0.5, x1 - x0 - 1),
          height: panel.y + panel.height - y0,
          "data-count": hist[b] as number,
        });
      }
      let out = group({ fill: chainColor(c), "fill-opacity": 0.85 }, bars);
      out += line(panel.x, y.map(expected), panel.x + panel.width, y.map(expected), {
        stroke: REFERENCE_COLOR,
        "stroke-width": 1.2,
        "stroke-dasharray": "4 3",
      });
      // The parameter heads its row; each panel is titled by its chain.
      if (c === 0)
        out += text(names[k]!, {
          x: panel.x - 32,
          y: panel.y - 24,
          "font-size": 12,
          "font-weight": 600,
          fill: "#222222",
        });
      out += axes(panel, x, y, {
        title: `chain ${c + 1}`,
        xLabel: "rank",
        xTicks: 2,
        yTicks: 3,
        noXGrid: true,
      });
      return out;
    },
  );
}
