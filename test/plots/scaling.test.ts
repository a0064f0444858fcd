/**
 * Pictures that scale: a caterpillar readable from 5 to 5,000 levels (a label per level while they
 * fit, then the extremes labelled and a sorted band), and a shrinkage plot whose axis is cut to a
 * robust range so that an outlying level does not squash the rest (it is drawn at the edge, marked).
 */
import { describe, expect, it } from "vitest";
import { type CaterpillarRow, caterpillarPlot } from "../../diagnostics/plots/caterpillar";
import { robustRange, type ShrinkageFactor, shrinkagePlot } from "../../diagnostics/plots/shrinkage";
import { Random } from "../../src/random/generator";
import { normal } from "../../src/random/normal";
import { all, num, parseSvg } from "./helpers";

function rows(m: number, seed = 1): CaterpillarRow[] {
  const rng = Random.fromSeed(seed);
  return Array.from({ length: m }, (_, j) => {
    const mean = normal(rng);
    return {
      group: "g",
      coefficient: "(Intercept)",
      level: `L${j}`,
      mean,
      lower: mean - 1,
      upper: mean + 1,
      lower50: mean - 0.3,
      upper50: mean + 0.3,
      reference: mean + 0.05,
    };
  });
}

const labels = (svg: string) =>
  all(parseSvg(svg), "text").filter((t) => t.getAttribute("data-role") === "level-label");
const height = (svg: string) => num(parseSvg(svg), "height");

describe("caterpillar from 5 to 5,000 levels", () => {
  it("labels every level while they fit (5, 65, 80 levels)", () => {
    for (const m of [5, 65, 80]) expect(labels(caterpillarPlot(rows(m)))).toHaveLength(m);
  });

  it("beyond 80 levels: the 5 lowest and 5 highest labelled, the rest a sorted band; the height stops growing", () => {
    const r = rows(5000);
    const svg = caterpillarPlot(r);
    const shown = labels(svg).map((t) => t.textContent);
    const sorted = [...r].sort((a, b) => a.mean - b.mean).map((x) => x.level);
    expect(new Set(shown)).toEqual(new Set([...sorted.slice(0, 5), ...sorted.slice(-5)]));
    const root = parseSvg(svg);
    const roles = all(root, "polygon").map((p) => p.getAttribute("data-role"));
    expect(roles).toContain("band-95");
    expect(roles).toContain("band-50");
    expect(all(root, "polyline").some((p) => p.getAttribute("data-role") === "band-mean")).toBe(true);
    expect(height(svg)).toBe(height(caterpillarPlot(rows(200))));
    expect(height(svg)).toBeLessThan(600);
    expect(svg.length).toBeLessThan(60_000);
    // The band's 95% envelope encloses the line of the means.
    const xsOf = (points: string) =>
      points
        .trim()
        .split(/\s+/)
        .map((pt) => Number(pt.split(",")[0]));
    const band = all(root, "polygon").find((p) => p.getAttribute("data-role") === "band-95")!;
    const line = all(root, "polyline").find((p) => p.getAttribute("data-role") === "band-mean")!;
    const bandX = xsOf(band.getAttribute("points")!);
    const meanX = xsOf(line.getAttribute("points")!);
    expect(Math.min(...bandX)).toBeLessThan(Math.min(...meanX) - 10);
    expect(Math.max(...bandX)).toBeGreaterThan(Math.max(...meanX) + 10);
  });
});

describe("shrinkage plot with an outlying level", () => {
  it("robustRange cuts at the quartiles ± 3 IQR and keeps the population value", () => {
    expect(robustRange([1, 2, 3, 4, 100], [2.5])).toEqual([1, 4 + 3 * 2]);
    expect(robustRange([1, 2, 3, 4, 100], [50])).toEqual([1, 50]);
    expect(robustRange([1, 2, 3], [])).toEqual([1, 3]);
  });

  function factor(m: number, outlier: number): ShrinkageFactor {
    const rng = Random.fromSeed(2);
    return {
      group: "school",
      names: ["(Intercept)", "x"],
      population: { reml: [0, 0.5], posterior: [0, 0.5] },
      levels: Array.from({ length: m }, (_, j) => {
        const a = normal(rng);
        const b = 0.5 + 0.2 * normal(rng);
        const separate = j === 0 ? [a, outlier] : [a * 1.3, b * 1.3];
        return { level: `s${j}`, n: j === 0 ? 2 : 60, separate, reml: [a, b], posterior: [a, b] };
      }),
    };
  }

  it("the outlier is drawn at the edge and marked; the other levels keep the panel", () => {
    const svg = shrinkagePlot([factor(65, 40)]);
    const root = parseSvg(svg);
    const marked = all(root, "polygon").filter((p) => p.getAttribute("data-role") === "outside");
    expect(marked).toHaveLength(1);
    expect(all(root, "text").some((t) => t.getAttribute("data-role") === "outside-note")).toBe(true);
    // The y axis does not reach the outlier's 40.
    const ticks = all(root, "text")
      .filter((t) => t.getAttribute("text-anchor") === "end")
      .map((t) => Number((t.textContent ?? "").replace("\u2212", "-")))
      .filter(Number.isFinite);
    expect(Math.max(...ticks)).toBeLessThan(5);
    // The posterior means spread over most of the panel's height, not a clump.
    const ys = all(root, "circle")
      .filter((c) => c.getAttribute("fill") === "#0072B2")
      .map((c) => num(c, "cy"));
    expect(Math.max(...ys) - Math.min(...ys)).toBeGreaterThan(100);
  });

  it("many levels: compact marks, a small file", () => {
    const svg = shrinkagePlot([factor(3000, 1)]);
    expect(svg.length).toBeLessThan(400_000);
    expect(all(parseSvg(svg), "path").some((p) => p.getAttribute("data-role") === "marks-circle")).toBe(true);
  });
});
