/**
 * Marginal posterior densities: a kernel density estimate of each parameter's pooled draws, its
 * central 95% credible interval shaded under the curve, and a reference value (e.g. the REML
 * estimate) drawn as a vertical line where one is given.
 */
import { parameterIndex } from "../../src/draws/draws";
import { isVariance } from "../../src/draws/names";
import type { Draws } from "../../src/draws/types";
import { checkDrawsArgument, checkOptionKinds } from "../../src/validate";
import { quantileOfSorted } from "../statistics";
import { axes, gridLines } from "./axes";
import { POSTERIOR_COLOR, REML_COLOR } from "./colors";
import { kernelDensity } from "./kde";
import { figure, type LegendItem, panelNote } from "./layout";
import { extent, linearScale, pad } from "./scale";
import { line, polygon, polyline } from "./svg";

/** Options of `densityPlot`. */
export interface DensityPlotOptions {
  /** Which parameters, in this order. @default all */
  readonly parameters?: readonly string[];
  /** A reference value per parameter name (e.g. REML estimates), marked by a vertical line. */
  readonly reference?: Readonly<Record<string, number>>;
  /** The reference's name in the legend. @default "REML estimate" */
  readonly referenceLabel?: string;
  /** Probability of the shaded interval. @default 0.95 */
  readonly prob?: number;
  /** @default 3 */
  readonly columns?: number;
  /** @default 260 */
  readonly panelWidth?: number;
  /** @default 110 */
  readonly panelHeight?: number;
  /** @default "Marginal posterior densities" */
  readonly title?: string;
}

function pooled(draws: Draws, name: string): Float64Array {
  const k = parameterIndex(draws, name);
  const block = draws.chains * draws.iterations;
  return draws.values.subarray(k * block, (k + 1) * block);
}

/**
 * Marginal posterior densities as an SVG document, a panel per parameter: the Gaussian KDE of all
 * chains' draws (Silverman's bandwidth; reflected at 0 for variances, so no mass leaks below 0), the
 * central `prob` interval shaded, the reference value as a dashed vertical line.
 *
 * @example densityPlot(draws, { reference: { sigma2: 655 } }).includes("REML estimate") // true
 */
export function densityPlot(draws: Draws, options: DensityPlotOptions = {}): string {
  checkDrawsArgument(draws);
  checkOptionKinds(options, {
    parameters: "names",
    reference: "object",
    referenceLabel: "string",
    prob: "number",
    columns: "number",
    panelWidth: "number",
    panelHeight: "number",
    title: "string",
  });
  const names = options.parameters ?? draws.parameters;
  const prob = options.prob ?? 0.95;
  const reference = options.reference ?? {};
  const referenceLabel = options.referenceLabel ?? "REML estimate";
  const estimates = names.map((name) => {
    const values = pooled(draws, name);
    const density = kernelDensity(values, isVariance(name) ? { lower: 0 } : {});
    const sorted = Float64Array.from(values.filter(Number.isFinite)).sort();
    const lo = quantileOfSorted(sorted, (1 - prob) / 2);
    const hi = quantileOfSorted(sorted, (1 + prob) / 2);
    // The axis shows the middle 99.9% of the draws plus two bandwidths: a few far draws of a
    // heavy-tailed posterior would otherwise squeeze the density into a spike.
    const h = density.bandwidth;
    const view: [number, number] = [
      quantileOfSorted(sorted, 0.0005) - 2 * h,
      quantileOfSorted(sorted, 0.9995) + 2 * h,
    ];
    return { name, density, lo, hi, ref: reference[name], view };
  });
  const anyReference = estimates.some((e) => e.ref !== undefined && Number.isFinite(e.ref));
  const legendItems: LegendItem[] = [
    { kind: "line", label: "posterior density", color: POSTERIOR_COLOR },
    {
      kind: "rect",
      label: `${Math.round(prob * 100)}% credible interval`,
      color: POSTERIOR_COLOR,
      opacity: 0.35,
    },
  ];
  if (anyReference) legendItems.push({ kind: "line", label: referenceLabel, color: REML_COLOR, dash: "5 3" });
  return figure(
    {
      title: options.title ?? "Marginal posterior densities",
      description: `Kernel density estimates of ${names.length} parameter(s) from all chains' draws${anyReference ? `, with the ${referenceLabel} marked` : ""}.`,
      legend: legendItems,
      count: names.length,
      columns: options.columns ?? 3,
      panelWidth: options.panelWidth ?? 260,
      panelHeight: options.panelHeight ?? 110,
      margins: { top: 22, right: 14, bottom: 38, left: 22 },
    },
    (panel, i) => {
      const e = estimates[i]!;
      const { x: gx, density: gy } = e.density;
      if (gx.length === 0) {
        const x = linearScale([0, 1], [panel.x, panel.x + panel.width]);
        return panelNote(panel, "no finite draws") + axes(panel, x, null, { title: e.name });
      }
      const ref = e.ref !== undefined && Number.isFinite(e.ref) ? e.ref : undefined;
      const span = extent(
        [Math.max(e.view[0], gx[0] as number), Math.min(e.view[1], gx[gx.length - 1] as number)],
        ref === undefined ? [] : [ref],
      );
      const lower = isVariance(e.name) ? Math.max(0, pad(span, 0.02)[0]) : pad(span, 0.02)[0];
      const x = linearScale([lower, pad(span, 0.02)[1]], [panel.x, panel.x + panel.width], false, 4);
      const [x0, x1] = x.domain;
      const inView = (v: number) => v >= x0 && v <= x1;
      const top = extent(gy)[1];
      const y = linearScale([0, top * 1.08], [panel.y + panel.height, panel.y]);
      let out = gridLines(panel, x, null, { xTicks: 4 });
      // Shaded interval: the curve between lo and hi, closed along the baseline.
      const sx: number[] = [];
      const sy: number[] = [];
      const base = y.map(0);
      const lo = Math.max(e.lo, x0);
      const hi = Math.min(e.hi, x1);
      sx.push(x.map(lo));
      sy.push(base);
      sx.push(x.map(lo));
      sy.push(y.map(interpolate(gx, gy, lo)));
      for (let g = 0; g < gx.length; g++)
        if ((gx[g] as number) > e.lo && (gx[g] as number) < e.hi && inView(gx[g] as number)) {
          sx.push(x.map(gx[g] as number));
          sy.push(y.map(gy[g] as number));
        }
      sx.push(x.map(hi));
      sy.push(y.map(interpolate(gx, gy, hi)));
      sx.push(x.map(hi));
      sy.push(base);
      out += polygon(sx, sy, {
        fill: POSTERIOR_COLOR,
        "fill-opacity": 0.35,
        "data-interval": `${e.lo} ${e.hi}`,
      });
      const xs: number[] = [];
      const ys: number[] = [];
      for (let g = 0; g < gx.length; g++)
        if (inView(gx[g] as number)) {
          xs.push(x.map(gx[g] as number));
          ys.push(y.map(gy[g] as number));
        }
      out += polyline(xs, ys, { stroke: POSTERIOR_COLOR, "stroke-width": 1.6, "data-role": "density" });
      if (ref !== undefined)
        out += line(x.map(ref), panel.y, x.map(ref), panel.y + panel.height, {
          stroke: REML_COLOR,
          "stroke-width": 1.6,
          "stroke-dasharray": "5 3",
          "data-reference": ref,
        });
      out += axes(panel, x, null, { title: e.name, xTicks: 4 });
      return out;
    },
  );
}

/** Linear interpolation of the grid function (xs, ys) at v (clamped to the grid). */
function interpolate(xs: Float64Array, ys: Float64Array, v: number): number {
  const n = xs.length;
  if (v <= (xs[0] as number)) return ys[0] as number;
  if (v >= (xs[n - 1] as number)) return ys[n - 1] as number;
  const step = ((xs[n - 1] as number) - (xs[0] as number)) / (n - 1);
  const j = Math.min(n - 2, Math.floor((v - (xs[0] as number)) / step));
  const f = (v - (xs[j] as number)) / step;
  return (ys[j] as number) * (1 - f) + (ys[j + 1] as number) * f;
}
