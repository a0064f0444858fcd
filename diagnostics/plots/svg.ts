/**
 * The SVG layer: a few functions that write SVG text. Every picture in this folder is a string built
 * from these, with presentation attributes only (no CSS classes, no ids), so several pictures can sit
 * inline in one HTML page without their styles or ids colliding, and each is also a valid standalone
 * `image/svg+xml` document.
 */

/** Attribute values: numbers are written with at most two decimals, `undefined` leaves the attribute out. */
export type Attributes = Readonly<Record<string, string | number | undefined>>;

/** The font stack of every picture. */
export const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif";

/** Escapes text for XML character data and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => {
    switch (ch) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      default:
        return "&#39;";
    }
  });
}

/**
 * A number as an SVG coordinate: rounded to 0.01, no trailing zeros, `-0` as `0`.
 *
 * @example coordinate(12.3456) // "12.35"
 */
export function coordinate(value: number): string {
  const r = Math.round(value * 100) / 100;
  return Object.is(r, -0) ? "0" : String(r);
}

function attributeText(attributes: Attributes): string {
  let out = "";
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    out += ` ${key}="${typeof value === "number" ? coordinate(value) : escapeXml(value)}"`;
  }
  return out;
}

/**
 * An element: `<name attrs/>` when `content` is absent, else `<name attrs>content</name>`.
 * `content` is SVG text already (escape plain text with `escapeXml`, or use `text`).
 */
export function element(name: string, attributes: Attributes, content?: string): string {
  const open = `<${name}${attributeText(attributes)}`;
  return content === undefined ? `${open}/>` : `${open}>${content}</${name}>`;
}

/** A `<text>` element holding plain `value` (escaped here). */
export function text(value: string, attributes: Attributes): string {
  return element("text", attributes, escapeXml(value));
}

/** A group of elements sharing `attributes`. */
export function group(attributes: Attributes, content: string): string {
  return content.length === 0 ? "" : element("g", attributes, content);
}

/**
 * A `points` attribute value: "x,y x,y ...", rounded to 0.1 pixel (finer is invisible and only makes
 * long traces bigger); points with a non-finite coordinate are skipped.
 */
export function pointList(xs: ArrayLike<number>, ys: ArrayLike<number>): string {
  const parts: string[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number;
    const y = ys[i] as number;
    if (Number.isFinite(x) && Number.isFinite(y)) parts.push(`${tenth(x)},${tenth(y)}`);
  }
  return parts.join(" ");
}

function tenth(value: number): string {
  const r = Math.round(value * 10) / 10;
  return Object.is(r, -0) ? "0" : String(r);
}

/** A `<polyline>` (unfilled) through the points (xs[i], ys[i]). */
export function polyline(xs: ArrayLike<number>, ys: ArrayLike<number>, attributes: Attributes): string {
  return element("polyline", {
    ...attributes,
    points: pointList(xs, ys),
    fill: attributes["fill"] ?? "none",
  });
}

/** A closed `<polygon>` through the points (a filled area). */
export function polygon(xs: ArrayLike<number>, ys: ArrayLike<number>, attributes: Attributes): string {
  return element("polygon", { ...attributes, points: pointList(xs, ys) });
}

/** A straight line segment. */
export function line(x1: number, y1: number, x2: number, y2: number, attributes: Attributes): string {
  return element("line", { x1, y1, x2, y2, ...attributes });
}

/** What a whole picture says about itself. */
export interface DocumentOptions {
  readonly width: number;
  readonly height: number;
  /** Shown as the picture's heading and as its accessible name (`<title>`). */
  readonly title: string;
  /** A longer accessible description (`<desc>`). */
  readonly description?: string;
}

/**
 * A complete SVG document: root element with the SVG namespace, size, viewBox, accessible title and
 * description, a white background, and `body`.
 */
export function svgDocument(options: DocumentOptions, body: string): string {
  const { width, height, title } = options;
  const desc = options.description === undefined ? "" : element("desc", {}, escapeXml(options.description));
  return `${element(
    "svg",
    {
      xmlns: "http://www.w3.org/2000/svg",
      width,
      height,
      viewBox: `0 0 ${coordinate(width)} ${coordinate(height)}`,
      role: "img",
      "font-family": FONT_FAMILY,
      "font-size": 11,
    },
    `${element("title", {}, escapeXml(title))}${desc}${element("rect", { width, height, fill: "#ffffff" })}${body}`,
  )}\n`;
}

/**
 * Approximate rendered width of `value` in pixels at `fontSize` (an average glyph is about 0.58 em in
 * the sans-serif fonts above; digits 0.56 em). Used only to make room for labels.
 */
export function textWidth(value: string, fontSize: number): number {
  let em = 0;
  for (const ch of value) {
    if ("il.,:;|'![]()".includes(ch)) em += 0.3;
    else if ("mwMW".includes(ch)) em += 0.85;
    else if (ch >= "A" && ch <= "Z") em += 0.66;
    else em += 0.56;
  }
  return em * fontSize;
}
