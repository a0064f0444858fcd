/**
 * bayesplot's `ppc_dens_overlay`: the kernel density of the observed response, drawn dark over the
 * densities of up to 50 replicated data sets (light), on one axis. Where the model fits, the dark
 * curve runs inside the band the light ones make.
 */
import { ArgumentError } from "../../src/errors";
import type { PredictiveDraws } from "../../src/predict/posterior";
import { checkOptionKinds } from "../../src/validate";
import { axes, gridLines } from "./axes";
import { POSTERIOR_COLOR } from "./colors";
import { kernelDensity } from "./kde";
import { figure, INK } from "./layout";
import { replicates } from "./ppc";
import { extent, linearScale, pad } from "./scale";
import { group, polyline } from "./svg";

/** Options of `ppcDensOverlay`. */
export interface PpcDensOverlayOptions {
  /** The observed response (default the draws' own y, on the model's rows). */
  readonly y?: ArrayLike<number>;
  /** How many replicated sets to draw, evenly spaced over the draws. @default 50 */
  readonly ndraws?: number;
  /** The response's name, for the axis. @default "y" */
  readonly response?: string;
  /** @default "Posterior predictive check: densities" */
  readonly title?: string;
  /** @default 560 */
  readonly width?: number;
  /** @default 260 */
  readonly height?: number;
}

/**
 * The density overlay as an SVG document (one panel): a polyline per replicated set
 * (`data-role="yrep"`) and one for y (`data-role="y"`), each a Gaussian KDE with Silverman's
 * bandwidth on 256 points.
 *
 * @param yrep - replicated data sets (`posteriorPredict(post)`)
 * @param options - y, ndraws, response, title, size
 * @returns the SVG text
 * @example ppcDensOverlay(posteriorPredict(post, { ndraws: 50 })).includes('data-role="y"') // true
 */
export function ppcDensOverlay(yrep: PredictiveDraws, options: PpcDensOverlayOptions = {}): string {
  checkOptionKinds(options, {
    ndraws: "number",
    response: "string",
    title: "string",
    width: "number",
    height: "number",
  });
  const data = replicates(yrep, options.y);
  const { y, n, draws } = data;
  const asked = options.ndraws ?? 50;
  if (!(Number.isInteger(asked) && asked >= 1))
    throw new ArgumentError("options.ndraws", "must be a positive integer", options.ndraws);
  const k = Math.min(draws, asked);
  const sets = Array.from({ length: k }, (_, j) => {
    const d = Math.floor(((j + 0.5) * draws) / k);
    return kernelDensity(data.yrep.subarray(d * n, (d + 1) * n), { points: 256 });
  });
  const observed = kernelDensity(y, { points: 256 });
  const xSpan = extent(observed.x, ...sets.map((s) => s.x));
  const top = extent(observed.density, ...sets.map((s) => s.density))[1];
  const response = options.response ?? "y";
  return figure(
    {
      title: options.title ?? "Posterior predictive check: densities",
      description: `Kernel density of the observed ${response} (dark) over the densities of ${k} replicated data sets (light), ${n} rows each.`,
      legend: [
        { kind: "line", label: `observed ${response}`, color: INK, width: 2.4 },
        { kind: "line", label: `${k} replicated data sets`, color: POSTERIOR_COLOR, width: 1 },
      ],
      count: 1,
      columns: 1,
      panelWidth: options.width ?? 560,
      panelHeight: options.height ?? 260,
      margins: { top: 12, right: 16, bottom: 42, left: 58 },
    },
    (panel) => {
      const x = linearScale(pad(xSpan, 0.01), [panel.x, panel.x + panel.width]);
      const yScale = linearScale([0, top * 1.05], [panel.y + panel.height, panel.y]);
      let out = gridLines(panel, x, yScale);
      let lines = "";
      for (const s of sets)
        lines += polyline(Array.from(s.x, x.map), Array.from(s.density, yScale.map), { "data-role": "yrep" });
      out += group({ stroke: POSTERIOR_COLOR, "stroke-width": 0.8, "stroke-opacity": 0.45 }, lines);
      out += polyline(Array.from(observed.x, x.map), Array.from(observed.density, yScale.map), {
        stroke: INK,
        "stroke-width": 2.4,
        "data-role": "y",
      });
      out += axes(panel, x, yScale, { xLabel: response, yLabel: "density" });
      return out;
    },
  );
}
