/**
 * Shrinkage plots (Hoff 2009, A First Course in Bayesian Statistical Methods, §11.2, Springer,
 * doi:10.1007/978-0-387-92407-6): for each level of a grouping factor, its coefficients from a
 * separate least-squares fit to that level's rows alone, the REML conditional mode (fixed effect +
 * conditional mode of b) and the posterior mean (of beta + b). Levels with few rows or noisy data are
 * pulled furthest toward the population value: the picture of partial pooling.
 *
 * The separate fit of level j regresses y − offset − X₋ β̂₋ (the fixed effects that do not vary by
 * the factor, held at their REML estimates) on the factor's random-effect columns over the level's rows;
 * other factors' random effects are left out (crossed designs: averaged over). A level with fewer rows
 * than columns, or a singular cross-product, has no separate fit.
 */
import { betaName, randomEffectName } from "../../src/draws/names";
import type { Draws } from "../../src/draws/types";
import { ArgumentError } from "../../src/errors";
import type { LmmModel } from "../../src/model/types";
import { ranefByGroup } from "../../src/reml/fit";
import type { RemlFit } from "../../src/reml/types";
import {
  checkArrayArgument,
  checkDrawsArgument,
  checkFitArgument,
  checkModelArgument,
  checkOptionKinds,
} from "../../src/validate";
import { drawsOf, parameterIndexMap } from "../posterior-summary";
import { mean, quantileOfSorted } from "../statistics";
import { axes, gridLines } from "./axes";
import { POSTERIOR_COLOR, REML_COLOR, SEPARATE_COLOR } from "./colors";
import { figure, fitText, marker } from "./layout";
import { extent, linearScale, pad } from "./scale";
import { element, group, line, text } from "./svg";

/** One level's three estimates of its coefficients (in the factor's `names` order). */
export interface ShrinkageLevel {
  readonly level: string;
  /** Rows of the data in this level. */
  readonly n: number;
  /** The separate least-squares fit, or null when the level cannot be fitted alone. */
  readonly separate: readonly number[] | null;
  readonly reml: readonly number[];
  /** Posterior mean, or null when the posterior has no draws of this level's random effects. */
  readonly posterior: readonly number[] | null;
}

/** One grouping factor's shrinkage data. */
export interface ShrinkageFactor {
  readonly group: string;
  readonly names: readonly string[];
  /** The population values: the fixed effects of `names` (0 where a name has no fixed effect). */
  readonly population: { readonly reml: readonly number[]; readonly posterior: readonly number[] };
  readonly levels: readonly ShrinkageLevel[];
}

/**
 * The data of the shrinkage plot, per grouping factor.
 *
 * @param model the model that was fitted.
 * @param fit its REML (or ML) fit.
 * @param draws posterior draws including `beta[...]` and `b[GROUP][LEVEL,NAME]` (levels whose random
 *   effects are not among the draws get `posterior: null`).
 * @returns one entry per grouping factor, in the fit's order.
 * @example shrinkageData(model, reml(model), posterior)[0].levels[0] // { level: "308", n: 10, separate: [244.2, 21.8], reml: [253.7, 19.7], posterior: [253.4, 19.6] }
 */
export function shrinkageData(model: LmmModel, fit: RemlFit, draws: Draws): ShrinkageFactor[] {
  checkModelArgument(model);
  checkFitArgument(fit);
  checkDrawsArgument(draws);
  if (model.fixedNames.join("\u0000") !== fit.fixedNames.join("\u0000"))
    throw new ArgumentError("fit", "must be a fit of `model`", fit.fixedNames);
  const at = parameterIndexMap(draws);
  const meanOf = (name: string): number => {
    const k = at.get(name);
    return k === undefined ? Number.NaN : mean(drawsOf(draws, k));
  };
  const { n, p, X, y } = model;
  const out: ShrinkageFactor[] = [];
  for (const [groupName, r] of Object.entries(ranefByGroup(fit))) {
    const terms = model.terms.filter((t) => t.group === groupName);
    const names = r.names;
    const q = names.length;
    const fixedIndex = names.map((name) => model.fixedNames.indexOf(name));
    const popReml = fixedIndex.map((j) => (j < 0 ? 0 : fit.beta[j]!));
    const popPost = names.map((name, c) => (fixedIndex[c]! < 0 ? 0 : meanOf(betaName(name))));
    // The response less the fixed effects that do not vary by this factor.
    const others = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let v = y[i]! - (model.offset === null ? 0 : model.offset[i]!);
      for (let j = 0; j < p; j++) if (!fixedIndex.includes(j)) v -= X[i * p + j]! * fit.beta[j]!;
      others[i] = v;
    }
    const m = r.levels.length;
    const zz = new Float64Array(m * q * q);
    const zr = new Float64Array(m * q);
    const count = new Int32Array(m);
    const zi = new Float64Array(q);
    const refs = terms[0]!.refs;
    for (let i = 0; i < n; i++) {
      const level = refs[i]!;
      let c = 0;
      for (const t of terms) for (let a = 0; a < t.q; a++) zi[c++] = t.values[i * t.q + a]!;
      count[level] = count[level]! + 1;
      for (let a = 0; a < q; a++) {
        zr[level * q + a] = zr[level * q + a]! + zi[a]! * others[i]!;
        for (let b = 0; b < q; b++)
          zz[(level * q + a) * q + b] = zz[(level * q + a) * q + b]! + zi[a]! * zi[b]!;
      }
    }
    const levels: ShrinkageLevel[] = r.levels.map((level, j) => {
      const separate =
        count[j]! >= q ? solve(q, zz.slice(j * q * q, (j + 1) * q * q), zr.slice(j * q, (j + 1) * q)) : null;
      const reml = names.map((_, c) => popReml[c]! + r.values[j]![c]!);
      const post = names.map((name, c) => popPost[c]! + meanOf(randomEffectName(groupName, level, name)));
      return {
        level,
        n: count[j]!,
        separate,
        reml,
        posterior: post.every(Number.isFinite) ? post : null,
      };
    });
    out.push({ group: groupName, names, population: { reml: popReml, posterior: popPost }, levels });
  }
  return out;
}

/** Solves the small symmetric system A x = b by Gaussian elimination with partial pivoting; null if singular. */
function solve(q: number, A: Float64Array, b: Float64Array): number[] | null {
  let scale = 0;
  for (const v of A) scale = Math.max(scale, Math.abs(v));
  for (let col = 0; col < q; col++) {
    let pivot = col;
    for (let r = col + 1; r < q; r++)
      if (Math.abs(A[r * q + col]!) > Math.abs(A[pivot * q + col]!)) pivot = r;
    if (!(Math.abs(A[pivot * q + col]!) > scale * 1e-10)) return null;
    if (pivot !== col) {
      for (let c = 0; c < q; c++) {
        const t = A[col * q + c]!;
        A[col * q + c] = A[pivot * q + c]!;
        A[pivot * q + c] = t;
      }
      const t = b[col]!;
      b[col] = b[pivot]!;
      b[pivot] = t;
    }
    for (let r = col + 1; r < q; r++) {
      const f = A[r * q + col]! / A[col * q + col]!;
      for (let c = col; c < q; c++) A[r * q + c] = A[r * q + c]! - f * A[col * q + c]!;
      b[r] = b[r]! - f * b[col]!;
    }
  }
  const x = new Array<number>(q).fill(0);
  for (let r = q - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let c = r + 1; c < q; c++) s -= A[r * q + c]! * x[c]!;
    x[r] = s / A[r * q + r]!;
  }
  return x;
}

/** Options of `shrinkagePlot`. */
export interface ShrinkagePlotOptions {
  /** @default "Shrinkage: separate fits, REML and posterior" */
  readonly title?: string;
  /** @default 340 */
  readonly panelWidth?: number;
  /** @default 280 */
  readonly panelHeight?: number;
}

/**
 * The shrinkage picture as an SVG document. A factor with two coefficients gets one 2-D panel (first
 * coefficient across, second up): per level an arrow from the separate fit (grey circle) to the
 * posterior mean (blue dot), the REML value as an orange triangle, the population values as crosses.
 * Any other factor gets a panel per coefficient with three columns — separate fit, REML, posterior
 * mean — and a line per level joining them, so the pull toward the population value reads as the
 * lines converging.
 *
 * @example shrinkagePlot(shrinkageData(model, fit, posterior)).includes("separate") // true
 */
export function shrinkagePlot(
  factors: readonly ShrinkageFactor[],
  options: ShrinkagePlotOptions = {},
): string {
  checkArrayArgument(
    factors,
    "factors",
    "an array of shrinkage factors (shrinkageData(model, fit, posterior))",
  );
  checkOptionKinds(options, { title: "string", panelWidth: "number", panelHeight: "number" });
  type PanelSpec = { factor: ShrinkageFactor; coefficient: number | null };
  const specs: PanelSpec[] = [];
  for (const f of factors)
    if (f.names.length === 2) specs.push({ factor: f, coefficient: null });
    else for (let c = 0; c < f.names.length; c++) specs.push({ factor: f, coefficient: c });
  return figure(
    {
      title: options.title ?? "Shrinkage: separate fits, REML and posterior",
      description:
        "Per level of each grouping factor: the separate least-squares fit, the REML conditional mode and the posterior mean, showing how levels are pulled toward the population value.",
      legend: [
        {
          kind: "point",
          label: "separate least-squares fit",
          color: SEPARATE_COLOR,
          shape: "circle",
          filled: false,
        },
        { kind: "point", label: "REML (fixed + conditional mode)", color: REML_COLOR, shape: "triangle" },
        { kind: "point", label: "posterior mean", color: POSTERIOR_COLOR, shape: "circle" },
        { kind: "line", label: "population (fixed effect)", color: "#000000", width: 1, dash: "3 3" },
      ],
      ...(factors.some((f) => f.levels.length > COMPACT)
        ? { note: `Factors with more than ${COMPACT} levels: every estimate a small dot (REML orange).` }
        : {}),
      count: specs.length,
      columns: 2,
      panelWidth: options.panelWidth ?? 340,
      panelHeight: options.panelHeight ?? 280,
      margins: { top: 24, right: 16, bottom: 40, left: 64 },
    },
    (panel, i) => {
      const spec = specs[i]!;
      return spec.coefficient === null
        ? scatter(panel, spec.factor)
        : ladder(panel, spec.factor, spec.coefficient);
    },
  );
}

type PanelRect = { x: number; y: number; width: number; height: number };

/** Far-out fences: values beyond the quartiles ± this many interquartile ranges are drawn at the edge. */
const FENCE = 3;
/** Above this many levels the marks are drawn as one path per kind (a few bytes per level). */
const COMPACT = 150;

/**
 * The axis range of a shrinkage panel: the values' range, cut to Tukey's far-out fences (quartiles
 * ± 3 IQR) so that a few levels fitted from two rows do not squash every other level into a clump,
 * and always holding `keep` (the population value).
 *
 * @example robustRange([1, 2, 3, 4, 100], [2.5]) // [1, 10]: the 100 is outside, drawn at the edge
 */
export function robustRange(values: readonly number[], keep: readonly number[]): [number, number] {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return extent(keep);
  const q = (p: number) => quantileOfSorted(finite, p);
  const iqr = q(0.75) - q(0.25);
  let lo = finite[0]!;
  let hi = finite[finite.length - 1]!;
  if (iqr > 0) {
    lo = Math.max(lo, q(0.25) - FENCE * iqr);
    hi = Math.min(hi, q(0.75) + FENCE * iqr);
  }
  for (const k of keep)
    if (Number.isFinite(k)) {
      lo = Math.min(lo, k);
      hi = Math.max(hi, k);
    }
  return [lo, hi];
}

/** A value clamped to [lo, hi], and which side it was cut at (0 inside). */
function clamp(v: number, lo: number, hi: number): [number, -1 | 0 | 1] {
  return v < lo ? [lo, -1] : v > hi ? [hi, 1] : [v, 0];
}

/** Marks of one kind: markers one by one for few levels, one compact path for many. */
class Marks {
  private readonly xs: number[] = [];
  private readonly ys: number[] = [];
  constructor(
    private readonly shape: "circle" | "triangle",
    private readonly size: number,
    private readonly color: string,
    private readonly filled: boolean,
    private readonly compact: boolean,
  ) {}
  add(x: number, y: number): void {
    this.xs.push(x);
    this.ys.push(y);
  }
  toString(): string {
    if (!this.compact)
      return this.xs
        .map((x, k) => marker(this.shape, x, this.ys[k]!, this.size, this.color, this.filled))
        .join("");
    // Zero-length segments with round caps: a dot of diameter stroke-width per level.
    const r = (v: number) => Math.round(v * 10) / 10;
    const d = this.xs.map((x, k) => `M${r(x)} ${r(this.ys[k]!)}h0`).join("");
    if (d === "") return "";
    const dot = element("path", {
      d,
      stroke: this.color,
      "stroke-width": 2 * this.size,
      "stroke-linecap": "round",
      fill: "none",
      "data-role": `marks-${this.shape}`,
    });
    return this.filled
      ? dot
      : dot +
          element("path", {
            d,
            stroke: "#ffffff",
            "stroke-width": Math.max(0.5, 2 * this.size - 2.4),
            "stroke-linecap": "round",
            fill: "none",
          });
  }
}

/** An arrowhead at (x, y) pointing out of the panel (dx, dy ∈ {−1, 0, 1}): a value beyond the edge. */
function outside(x: number, y: number, dx: number, dy: number): string {
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const s = 5;
  const r = (v: number) => Math.round(v * 100) / 100;
  const tip = [x + ux * s, y + uy * s];
  const left = [x - uy * s * 0.6, y + ux * s * 0.6];
  const right = [x + uy * s * 0.6, y - ux * s * 0.6];
  return element("polygon", {
    points: `${r(tip[0]!)},${r(tip[1]!)} ${r(left[0]!)},${r(left[1]!)} ${r(right[0]!)},${r(right[1]!)}`,
    fill: SEPARATE_COLOR,
    stroke: "none",
    "data-role": "outside",
  });
}

function outsideNote(panel: PanelRect, count: number, levels: ReadonlySet<string>): string {
  if (count === 0) return "";
  const named = [...levels].slice(0, 3).join(", ") + (levels.size > 3 ? ", …" : "");
  const note = `${count} value${count === 1 ? "" : "s"} beyond the axis, drawn at the edge ▸ (level${levels.size === 1 ? "" : "s"} ${named})`;
  return text(fitText(note, panel.width - 8, 10), {
    x: panel.x + panel.width - 4,
    y: panel.y + 12,
    "text-anchor": "end",
    "font-size": 10,
    fill: "#666666",
    "data-role": "outside-note",
  });
}

function scatter(panel: PanelRect, f: ShrinkageFactor): string {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const l of f.levels)
    for (const v of [l.separate, l.reml, l.posterior])
      if (v !== null) {
        xs.push(v[0]!);
        ys.push(v[1]!);
      }
  const rx = robustRange(xs, [f.population.reml[0]!]);
  const ry = robustRange(ys, [f.population.reml[1]!]);
  const x = linearScale(pad(rx, 0.05), [panel.x, panel.x + panel.width], true, 5);
  const y = linearScale(pad(ry, 0.05), [panel.y + panel.height, panel.y], true, 5);
  // Values beyond the axes (not merely beyond the fences: the nice axis may reach further) go to the edge.
  const at = (v: readonly number[]): [number, number, number, number] => {
    const [cx, sx] = clamp(v[0]!, x.domain[0], x.domain[1]);
    const [cy, sy] = clamp(v[1]!, y.domain[0], y.domain[1]);
    return [x.map(cx), y.map(cy), sx, -sy];
  };
  let out = gridLines(panel, x, y, { yTicks: 5 });
  const px = x.map(f.population.reml[0]!);
  const py = y.map(f.population.reml[1]!);
  out += group(
    { stroke: "#000000", "stroke-width": 1, "stroke-dasharray": "3 3" },
    line(px, panel.y, px, panel.y + panel.height, {}) + line(panel.x, py, panel.x + panel.width, py, {}),
  );
  const compact = f.levels.length > COMPACT;
  const separate = new Marks("circle", compact ? 2 : 3.2, SEPARATE_COLOR, false, compact);
  // Many levels: REML as small orange dots (triangles would be a few hundred bytes each).
  const reml = new Marks(compact ? "circle" : "triangle", compact ? 1.6 : 3, REML_COLOR, true, compact);
  const post = new Marks("circle", compact ? 1.6 : 2.6, POSTERIOR_COLOR, true, compact);
  let arrows = "";
  let edges = "";
  let cut = 0;
  const cutLevels = new Set<string>();
  for (const l of f.levels) {
    const to = at(l.posterior ?? l.reml);
    if (l.separate !== null) {
      const from = at(l.separate);
      // Many levels: plain segments in one path (the posterior dot at the end gives the direction).
      arrows += compact
        ? `M${Math.round(from[0] * 10) / 10} ${Math.round(from[1] * 10) / 10}L${Math.round(to[0] * 10) / 10} ${Math.round(to[1] * 10) / 10}`
        : arrow(from[0], from[1], to[0], to[1]);
      if (from[2] !== 0 || from[3] !== 0) {
        edges += outside(from[0], from[1], from[2], from[3]);
        cut++;
        cutLevels.add(l.level);
      } else separate.add(from[0], from[1]);
    }
    const r = at(l.reml);
    for (const [v, marks] of [[r, reml], ...(l.posterior === null ? [] : [[to, post] as const])] as const)
      if (v[2] !== 0 || v[3] !== 0) {
        edges += outside(v[0], v[1], v[2], v[3]);
        cut++;
        cutLevels.add(l.level);
      } else marks.add(v[0], v[1]);
  }
  out +=
    (compact
      ? element("path", {
          d: arrows,
          fill: "none",
          stroke: SEPARATE_COLOR,
          "stroke-width": 0.5,
          "stroke-opacity": 0.5,
        })
      : group({ stroke: SEPARATE_COLOR, fill: SEPARATE_COLOR, "stroke-width": 0.9 }, arrows)) +
    String(separate) +
    String(reml) +
    String(post) +
    edges +
    outsideNote(panel, cut, cutLevels);
  out += axes(panel, x, y, {
    title: `${f.group}: ${f.levels.length} levels`,
    xLabel: f.names[0]!,
    yLabel: f.names[1]!,
    yTicks: 5,
  });
  return out;
}

/** A line from (x1, y1) to (x2, y2) with a small filled arrowhead at its end (no marker ids). */
function arrow(x1: number, y1: number, x2: number, y2: number): string {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const len = Math.hypot(dx, dy);
  if (len < 1) return "";
  const ux = dx / len;
  const uy = dy / len;
  const head = Math.min(6, len * 0.5);
  const bx = x2 - ux * head;
  const by = y2 - uy * head;
  const r = (v: number) => Math.round(v * 100) / 100;
  return (
    line(x1, y1, bx, by, {}) +
    element("polygon", {
      points: `${r(x2)},${r(y2)} ${r(bx - uy * head * 0.45)},${r(by + ux * head * 0.45)} ${r(bx + uy * head * 0.45)},${r(by - ux * head * 0.45)}`,
      stroke: "none",
    })
  );
}

function ladder(panel: PanelRect, f: ShrinkageFactor, c: number): string {
  const values: number[] = [];
  for (const l of f.levels) {
    if (l.separate !== null) values.push(l.separate[c]!);
    values.push(l.reml[c]!);
    if (l.posterior !== null) values.push(l.posterior[c]!);
  }
  const columns = ["separate fit", "REML", "posterior mean"];
  const range = robustRange(values, [f.population.reml[c]!]);
  const x = linearScale([-0.3, 2.3], [panel.x, panel.x + panel.width]);
  const y = linearScale(pad(range, 0.05), [panel.y + panel.height, panel.y], true, 5);
  let out = gridLines(panel, x, y, { noXGrid: true, yTicks: 5 });
  const pop = y.map(f.population.reml[c]!);
  out += line(panel.x, pop, panel.x + panel.width, pop, {
    stroke: "#000000",
    "stroke-width": 1,
    "stroke-dasharray": "3 3",
  });
  const compact = f.levels.length > COMPACT;
  const marks = [
    new Marks("circle", compact ? 2 : 3, SEPARATE_COLOR, false, compact),
    new Marks(compact ? "circle" : "triangle", compact ? 1.6 : 3, REML_COLOR, true, compact),
    new Marks("circle", compact ? 1.6 : 2.6, POSTERIOR_COLOR, true, compact),
  ];
  const r1 = (v: number) => Math.round(v * 10) / 10;
  const [lo, hi] = y.domain;
  let path = "";
  let edges = "";
  let cut = 0;
  const cutLevels = new Set<string>();
  for (const l of f.levels) {
    const pts: [number, number, number][] = [];
    if (l.separate !== null) pts.push([0, ...clamp(l.separate[c]!, lo, hi)]);
    pts.push([1, ...clamp(l.reml[c]!, lo, hi)]);
    if (l.posterior !== null) pts.push([2, ...clamp(l.posterior[c]!, lo, hi)]);
    path += pts.map(([k, v], j) => `${j === 0 ? "M" : "L"}${r1(x.map(k))} ${r1(y.map(v))}`).join("");
    for (const [k, v, side] of pts) {
      if (side !== 0) {
        edges += outside(x.map(k), y.map(v), 0, -side);
        cut++;
        cutLevels.add(l.level);
      } else marks[k]!.add(x.map(k), y.map(v));
    }
  }
  out += element("path", {
    d: path,
    fill: "none",
    stroke: SEPARATE_COLOR,
    "stroke-width": compact ? 0.4 : 0.8,
    "stroke-opacity": compact ? 0.35 : 0.7,
  });
  out += marks.map(String).join("") + edges + outsideNote(panel, cut, cutLevels);
  // Category axis: the three columns named under the panel.
  const bottom = panel.y + panel.height;
  out += line(panel.x, bottom, panel.x + panel.width, bottom, { stroke: "#555555" });
  columns.forEach((name, k) => {
    out += text(name, {
      x: x.map(k),
      y: bottom + 15,
      "text-anchor": "middle",
      "font-size": 10.5,
      fill: "#333333",
    });
  });
  const yOnly = axes(panel, x, y, {
    title: `${f.group}: ${f.names[c]} (${f.levels.length} levels)`,
    yLabel: f.names[c]!,
    yTicks: 5,
    hideXAxis: true,
  });
  return out + yOnly;
}
