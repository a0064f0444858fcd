/**
 * Autocorrelation plots: each chain's autocorrelation function ρ_k against the lag k, one line per
 * chain. Draws that are nearly independent fall to 0 within a few lags; a slow decay means few
 * effective draws (the effective sample size is S / (1 + 2 Σ ρ_k)).
 */
import { chainsOf, parameterIndex } from "../../src/draws/draws";
import type { Draws } from "../../src/draws/types";
import { checkDrawsArgument, checkOptionKinds } from "../../src/validate";
import { autocorrelation } from "../autocovariance";
import { axes, gridLines } from "./axes";
import { chainColor, chainDash, REFERENCE_COLOR } from "./colors";
import { figure, type LegendItem, marker, panelNote } from "./layout";
import { linearScale } from "./scale";
import { group, line, polyline } from "./svg";

/** Options of `autocorrelationPlot`. */
export interface AutocorrelationPlotOptions {
  /** Which parameters, in this order. @default all */
  readonly parameters?: readonly string[];
  /** The last lag shown. @default min(30, iterations − 1) */
  readonly maxLag?: number;
  /** Panels per row. @default 3 */
  readonly columns?: number;
  /** @default 260 */
  readonly panelWidth?: number;
  /** @default 110 */
  readonly panelHeight?: number;
  /** @default "Autocorrelation" */
  readonly title?: string;
}

/**
 * Autocorrelation functions as an SVG document: a panel per parameter, a line with points per chain
 * (lags 0..maxLag, from the diagnostics' `autocorrelation`), a zero line.
 *
 * @example autocorrelationPlot(draws, { maxLag: 20 }).includes("lag") // true
 */
export function autocorrelationPlot(draws: Draws, options: AutocorrelationPlotOptions = {}): string {
  checkDrawsArgument(draws);
  checkOptionKinds(options, {
    parameters: "names",
    maxLag: "number",
    columns: "number",
    panelWidth: "number",
    panelHeight: "number",
    title: "string",
  });
  const names = options.parameters ?? draws.parameters;
  const maxLag = Math.max(1, Math.min(options.maxLag ?? 30, draws.iterations - 1));
  const acfs = names.map((name) =>
    chainsOf(draws, parameterIndex(draws, name)).map((chain) => autocorrelation(chain, maxLag)),
  );
  let lowest = 0;
  for (const perChain of acfs)
    for (const a of perChain) for (const v of a) if (Number.isFinite(v)) lowest = Math.min(lowest, v);
  const yLow = lowest < -0.05 ? Math.max(-1, Math.floor(lowest * 4) / 4) : -0.1;
  const legendItems: LegendItem[] = Array.from({ length: draws.chains }, (_, c) => {
    const dash = chainDash(c);
    return {
      kind: "line",
      label: `chain ${c + 1}`,
      color: chainColor(c),
      ...(dash === undefined ? {} : { dash }),
    };
  });
  return figure(
    {
      title: options.title ?? "Autocorrelation",
      description: `Autocorrelation of each chain's draws at lags 0 to ${maxLag}, ${names.length} parameter(s).`,
      legend: legendItems,
      count: names.length,
      columns: options.columns ?? 3,
      panelWidth: options.panelWidth ?? 260,
      panelHeight: options.panelHeight ?? 110,
      margins: { top: 22, right: 14, bottom: 38, left: 58 },
    },
    (panel, i) => {
      const x = linearScale([0, maxLag], [panel.x, panel.x + panel.width], false, 5);
      const y = linearScale([yLow, 1], [panel.y + panel.height, panel.y], false, 4);
      let out = gridLines(panel, x, y, { yTicks: 4 });
      out += line(panel.x, y.map(0), panel.x + panel.width, y.map(0), {
        stroke: REFERENCE_COLOR,
        "stroke-width": 1,
      });
      let lines = "";
      let any = false;
      acfs[i]!.forEach((a, c) => {
        const xs: number[] = [];
        const ys: number[] = [];
        let points = "";
        for (let k = 0; k < a.length; k++) {
          const v = a[k] as number;
          if (!Number.isFinite(v)) continue;
          xs.push(x.map(k));
          ys.push(y.map(v));
          points += marker("circle", x.map(k), y.map(v), 1.6, chainColor(c));
        }
        if (xs.length > 0) any = true;
        lines += polyline(xs, ys, {
          stroke: chainColor(c),
          "stroke-width": 1.2,
          "stroke-dasharray": chainDash(c),
          "data-chain": c + 1,
        });
        lines += group({ "data-chain-points": c + 1 }, points);
      });
      out += lines;
      if (!any) out += panelNote(panel, "constant or non-finite draws");
      out += axes(panel, x, y, { title: names[i]!, xLabel: "lag", yLabel: "autocorrelation", yTicks: 4 });
      return out;
    },
  );
}
