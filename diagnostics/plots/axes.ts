/**
 * Axes of a panel: light grid lines, the bottom and left axis lines, tick marks, tick labels, axis
 * labels and the panel's title.
 */
import { AXIS_INK, fitText, GRID_INK, INK, type Panel } from "./layout";
import type { LinearScale } from "./scale";
import { group, line, text } from "./svg";

/** What to draw around a panel. */
export interface AxesOptions {
  /** The panel's title, above it (shortened with an ellipsis if too long). */
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** About how many ticks on each axis. @default 5 */
  readonly xTicks?: number;
  /** @default 4 */
  readonly yTicks?: number;
  /** Draw no y axis at all (for category axes drawn by the caller). */
  readonly noYAxis?: boolean;
  /** Draw no x axis (the caller draws a category axis). */
  readonly hideXAxis?: boolean;
  /** Draw no vertical grid lines. */
  readonly noXGrid?: boolean;
  /** Draw no horizontal grid lines. */
  readonly noYGrid?: boolean;
}

/** Grid lines behind the data (draw before the data). */
export function gridLines(panel: Panel, x: LinearScale, y: LinearScale | null, options: AxesOptions = {}) {
  let out = "";
  if (options.noXGrid !== true)
    for (const t of x.ticks(options.xTicks ?? 5)) {
      const px = x.map(t);
      out += line(px, panel.y, px, panel.y + panel.height, {});
    }
  if (y !== null && options.noYGrid !== true)
    for (const t of y.ticks(options.yTicks ?? 4)) {
      const py = y.map(t);
      out += line(panel.x, py, panel.x + panel.width, py, {});
    }
  return group({ stroke: GRID_INK, "stroke-width": 1 }, out);
}

/** Axis lines, ticks, tick labels, axis labels and the panel title (draw after the data). */
export function axes(panel: Panel, x: LinearScale, y: LinearScale | null, options: AxesOptions = {}): string {
  const bottom = panel.y + panel.height;
  const showX = options.hideXAxis !== true;
  let lines = showX ? line(panel.x, bottom, panel.x + panel.width, bottom, {}) : "";
  let labels = "";
  const xTicks = options.xTicks ?? 5;
  for (const t of showX ? x.ticks(xTicks) : []) {
    const px = x.map(t);
    lines += line(px, bottom, px, bottom + 4, {});
    labels += text(x.format(t, xTicks), { x: px, y: bottom + 15, "text-anchor": "middle" });
  }
  let out = "";
  if (y !== null && options.noYAxis !== true) {
    lines += line(panel.x, panel.y, panel.x, bottom, {});
    const yTicks = options.yTicks ?? 4;
    for (const t of y.ticks(yTicks)) {
      const py = y.map(t);
      lines += line(panel.x - 4, py, panel.x, py, {});
      labels += text(y.format(t, yTicks), { x: panel.x - 6, y: py + 3.5, "text-anchor": "end" });
    }
  }
  out += group({ stroke: AXIS_INK, "stroke-width": 1 }, lines);
  out += group({ fill: AXIS_INK, "font-size": 10 }, labels);
  if (options.xLabel !== undefined)
    out += text(options.xLabel, {
      x: panel.x + panel.width / 2,
      y: bottom + 30,
      "text-anchor": "middle",
      fill: INK,
    });
  if (options.yLabel !== undefined) {
    const cx = panel.x - 44;
    const cy = panel.y + panel.height / 2;
    out += text(options.yLabel, {
      x: cx,
      y: cy,
      "text-anchor": "middle",
      transform: `rotate(-90 ${round(cx)} ${round(cy)})`,
      fill: INK,
    });
  }
  if (options.title !== undefined)
    out += text(fitText(options.title, panel.width + 40, 12), {
      x: panel.x,
      y: panel.y - 8,
      "font-size": 12,
      "font-weight": 600,
      fill: INK,
    });
  return out;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
