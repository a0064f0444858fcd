/**
 * Page layout shared by the pictures: a title line, a legend row, and a grid of panels (small
 * multiples), each panel a plotting rectangle with room around it for its axes and its own title.
 */
import type { LinearScale } from "./scale";
import { element, group, line, svgDocument, text, textWidth } from "./svg";

/** A plotting rectangle in pixels (the area inside the axes). */
export interface Panel {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Room around each panel for its title (top), tick labels and axis labels. */
export interface Margins {
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly left: number;
}

/** Height of the picture's title line. */
export const TITLE_HEIGHT = 30;
/** Height of one legend row. */
export const LEGEND_ROW_HEIGHT = 20;

export const INK = "#222222";
export const AXIS_INK = "#555555";
export const GRID_INK = "#e6e6e6";

/** The grid of `count` panels in `columns` columns below `top` pixels of header. */
export function facetGrid(options: {
  readonly count: number;
  readonly columns: number;
  readonly panelWidth: number;
  readonly panelHeight: number;
  readonly margins: Margins;
  readonly top: number;
}): { panels: Panel[]; width: number; height: number } {
  const { count, panelWidth, panelHeight, margins, top } = options;
  const columns = Math.max(1, Math.min(options.columns, count));
  const cellWidth = margins.left + panelWidth + margins.right;
  const cellHeight = margins.top + panelHeight + margins.bottom;
  const panels: Panel[] = [];
  for (let i = 0; i < count; i++) {
    const col = i % columns;
    const row = Math.floor(i / columns);
    panels.push({
      x: col * cellWidth + margins.left,
      y: top + row * cellHeight + margins.top,
      width: panelWidth,
      height: panelHeight,
    });
  }
  const rows = Math.max(1, Math.ceil(count / columns));
  return { panels, width: columns * cellWidth, height: top + rows * cellHeight + 6 };
}

/** The picture's title, bold, top left. */
export function titleText(title: string): string {
  return text(title, { x: 12, y: 20, "font-size": 14, "font-weight": 600, fill: INK });
}

/** One legend entry: a swatch and its label. */
export type LegendItem =
  | {
      readonly kind: "line";
      readonly label: string;
      readonly color: string;
      readonly width?: number;
      readonly dash?: string;
    }
  | { readonly kind: "rect"; readonly label: string; readonly color: string; readonly opacity?: number }
  | {
      readonly kind: "point";
      readonly label: string;
      readonly color: string;
      readonly shape: MarkerShape;
      readonly filled?: boolean;
    };

/** The marker shapes the pictures use. */
export type MarkerShape = "circle" | "diamond" | "triangle" | "square";

/** A marker of `shape` centred on (x, y), `size` its half-width. */
export function marker(
  shape: MarkerShape,
  x: number,
  y: number,
  size: number,
  color: string,
  filled = true,
): string {
  const paint = filled
    ? { fill: color, stroke: color, "stroke-width": 1 }
    : { fill: "#ffffff", stroke: color, "stroke-width": 1.5 };
  switch (shape) {
    case "circle":
      return element("circle", { cx: x, cy: y, r: size, ...paint });
    case "square":
      return element("rect", { x: x - size, y: y - size, width: 2 * size, height: 2 * size, ...paint });
    case "diamond": {
      const s = size * 1.3;
      return element("polygon", {
        points: `${r(x)},${r(y - s)} ${r(x + s)},${r(y)} ${r(x)},${r(y + s)} ${r(x - s)},${r(y)}`,
        ...paint,
      });
    }
    case "triangle": {
      const s = size * 1.25;
      return element("polygon", {
        points: `${r(x)},${r(y - s)} ${r(x + s)},${r(y + s * 0.8)} ${r(x - s)},${r(y + s * 0.8)}`,
        ...paint,
      });
    }
  }
}

function r(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/**
 * A legend: entries left to right from (x, y), wrapping at `maxWidth`. Returns the SVG and the
 * height it takes.
 */
export function legend(
  items: readonly LegendItem[],
  x: number,
  y: number,
  maxWidth: number,
): { svg: string; height: number } {
  if (items.length === 0) return { svg: "", height: 0 };
  let cx = x;
  let cy = y;
  let out = "";
  for (const item of items) {
    const w = 22 + textWidth(item.label, 11) + 16;
    if (cx > x && cx + w > x + maxWidth) {
      cx = x;
      cy += LEGEND_ROW_HEIGHT;
    }
    const mid = cy + LEGEND_ROW_HEIGHT / 2;
    let swatch: string;
    if (item.kind === "line")
      swatch = line(cx, mid, cx + 18, mid, {
        stroke: item.color,
        "stroke-width": item.width ?? 2,
        "stroke-dasharray": item.dash,
      });
    else if (item.kind === "rect")
      swatch = element("rect", {
        x: cx,
        y: mid - 6,
        width: 18,
        height: 12,
        fill: item.color,
        "fill-opacity": item.opacity,
      });
    else swatch = marker(item.shape, cx + 9, mid, 4, item.color, item.filled ?? true);
    out += swatch + text(item.label, { x: cx + 22, y: mid + 4, fill: INK });
    cx += w;
  }
  return { svg: group({ "aria-label": "legend" }, out), height: cy - y + LEGEND_ROW_HEIGHT };
}

/** A note in grey italics (e.g. "no finite draws"), centred in a panel. */
export function panelNote(panel: Panel, note: string): string {
  return text(note, {
    x: panel.x + panel.width / 2,
    y: panel.y + panel.height / 2,
    "text-anchor": "middle",
    fill: "#888888",
    "font-style": "italic",
  });
}

/** Shortens `value` with an ellipsis so that it fits `width` pixels at `fontSize`. */
export function fitText(value: string, width: number, fontSize: number): string {
  if (textWidth(value, fontSize) <= width) return value;
  let cut = value;
  while (cut.length > 1 && textWidth(`${cut}\u2026`, fontSize) > width) cut = cut.slice(0, -1);
  return `${cut}\u2026`;
}

/** What `figure` lays out: a title, a legend, and `count` panels in a grid. */
export interface FigureOptions {
  readonly title: string;
  readonly description?: string;
  readonly legend: readonly LegendItem[];
  readonly count: number;
  readonly columns: number;
  readonly panelWidth: number;
  readonly panelHeight: number;
  readonly margins: Margins;
  /** A note under the title (e.g. how the picture was thinned). */
  readonly note?: string;
}

/**
 * A whole picture: title, legend, then each panel drawn by `drawPanel(panel, index)`.
 */
export function figure(options: FigureOptions, drawPanel: (panel: Panel, index: number) => string): string {
  const probe = facetGrid({ ...options, top: 0 });
  const width = Math.max(probe.width, 360);
  let top = TITLE_HEIGHT;
  let body = titleText(options.title);
  if (options.note !== undefined) {
    body += text(options.note, { x: 12, y: top + 4, fill: "#666666", "font-size": 10.5 });
    top += 14;
  }
  const key = legend(options.legend, 12, top - 4, width - 24);
  body += key.svg;
  top += key.height;
  const grid = facetGrid({ ...options, top });
  grid.panels.forEach((panel, i) => {
    body += group({ "aria-label": `panel ${i + 1}` }, drawPanel(panel, i));
  });
  return svgDocument(
    {
      width,
      height: grid.height,
      title: options.title,
      ...(options.description === undefined ? {} : { description: options.description }),
    },
    body,
  );
}

/** The widest tick label of a set of scales, in pixels at font size 10. */
export function widestTickLabel(scales: readonly LinearScale[], count = 4): number {
  let widest = 0;
  for (const s of scales)
    for (const t of s.ticks(count)) widest = Math.max(widest, textWidth(s.format(t, count), 10));
  return widest;
}
