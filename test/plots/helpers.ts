/**
 * Test helpers for the pictures: a strict XML parse (any well-formedness error throws), element
 * queries, and synthetic draws.
 */
import { DOMParser, type Element } from "@xmldom/xmldom";
import { createDraws } from "../../src/draws/draws";
import type { Draws } from "../../src/draws/types";
import { Random } from "../../src/random/generator";
import { normal } from "../../src/random/normal";

/** Parses SVG text as XML; throws on any well-formedness error or a root other than <svg>. */
export function parseSvg(svg: string): Element {
  const doc = new DOMParser({
    onError: (level, message) => {
      throw new Error(`XML ${level}: ${message}`);
    },
  }).parseFromString(svg, "image/svg+xml");
  const root = doc.documentElement;
  if (root === null || root.nodeName !== "svg") throw new Error("root element is not <svg>");
  if (root.getAttribute("xmlns") !== "http://www.w3.org/2000/svg") throw new Error("no SVG namespace");
  return root;
}

/** Every descendant element named `tag`. */
export function all(root: Element, tag: string): Element[] {
  return Array.from(root.getElementsByTagName(tag));
}

/** The text of every <text> element. */
export function texts(root: Element): string[] {
  return all(root, "text").map((t) => t.textContent ?? "");
}

/** A number attribute (throws when missing or not a number). */
export function num(el: Element, name: string): number {
  const v = el.getAttribute(name);
  const x = v === null ? Number.NaN : Number(v);
  if (!Number.isFinite(x)) throw new Error(`attribute ${name} is ${v}`);
  return x;
}

/** A polyline's points. */
export function points(el: Element): [number, number][] {
  const text = el.getAttribute("points") ?? "";
  if (text.trim() === "") return [];
  return text
    .trim()
    .split(/\s+/)
    .map((p) => {
      const [x, y] = p.split(",").map(Number);
      return [x as number, y as number];
    });
}

/**
 * Seeded synthetic draws: parameter k, chain c is an AR(1) series with coefficient `rho`, mean
 * `means[k] + shift * c` and unit innovation sd × `scales[k]`.
 */
export function syntheticDraws(
  names: readonly string[],
  chains: number,
  iterations: number,
  options: {
    seed?: number;
    rho?: number;
    means?: readonly number[];
    scales?: readonly number[];
    shift?: number;
  } = {},
): Draws {
  const d = createDraws(names, chains, iterations);
  const rng = Random.fromSeed(options.seed ?? 1);
  const rho = options.rho ?? 0.5;
  names.forEach((_, k) => {
    for (let c = 0; c < chains; c++) {
      let x = 0;
      const mean = (options.means?.[k] ?? 0) + (options.shift ?? 0) * c;
      const scale = options.scales?.[k] ?? 1;
      for (let t = 0; t < iterations; t++) {
        x = rho * x + normal(rng);
        d.values[(k * chains + c) * iterations + t] = mean + scale * x;
      }
    }
  });
  return d;
}
