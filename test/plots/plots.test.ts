import type { Element } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";
import { autocorrelation } from "../../diagnostics/autocovariance";
import { autocorrelationPlot } from "../../diagnostics/plots/autocorrelation";
import { caterpillarPlot, caterpillarRows } from "../../diagnostics/plots/caterpillar";
import { densityPlot } from "../../diagnostics/plots/density";
import { intervalPlot } from "../../diagnostics/plots/intervals";
import { rankCounts, rankPlot } from "../../diagnostics/plots/rank";
import { tracePlot } from "../../diagnostics/plots/trace";
import { chainsOf } from "../../src/draws/draws";
import { ArgumentError } from "../../src/errors";
import { all, num, parseSvg, points, syntheticDraws, texts } from "./helpers";

/** The panel groups of a picture, in order. */
function panels(root: Element): Element[] {
  return all(root, "g").filter((g) => /^panel \d+$/.test(g.getAttribute("aria-label") ?? ""));
}

/** The legend's labels. */
function legendLabels(root: Element): string[] {
  const g = all(root, "g").find((e) => e.getAttribute("aria-label") === "legend");
  return g === undefined ? [] : all(g, "text").map((t) => t.textContent ?? "");
}

/**
 * The linear map value → pixel that a panel's tick labels imply, from its first and last tick label
 * on the axis (`anchor` "end": y ticks at the left; "middle": x ticks below).
 */
function tickMap(panel: Element, axis: "x" | "y"): (v: number) => number {
  const anchor = axis === "y" ? "end" : "middle";
  const ticks = all(panel, "text")
    .filter((t) => t.getAttribute("text-anchor") === anchor && /^[\u2212\d.e+-]+$/.test(t.textContent ?? ""))
    .map((t) => ({
      value: Number((t.textContent ?? "").replace("\u2212", "-")),
      pos: axis === "y" ? num(t, "y") - 3.5 : num(t, "x"),
    }));
  expect(ticks.length).toBeGreaterThanOrEqual(2);
  const a = ticks[0]!;
  const b = ticks[ticks.length - 1]!;
  return (v) => a.pos + ((v - a.value) * (b.pos - a.pos)) / (b.value - a.value);
}

describe("tracePlot", () => {
  const draws = syntheticDraws(["beta[(Intercept)]", "beta[x]", "sigma2"], 4, 300, {
    means: [250, -3, 40],
    scales: [5, 0.5, 3],
  });
  const warmup = syntheticDraws(draws.parameters, 4, 100, {
    seed: 2,
    means: [250, -3, 40],
    scales: [20, 2, 10],
  });

  it("is valid SVG with a title, a legend naming every chain and the warmup, a panel per parameter", () => {
    const root = parseSvg(tracePlot(draws, { warmup }));
    expect(all(root, "title")[0]?.textContent).toBe("Trace plots");
    expect(legendLabels(root)).toEqual([
      "chain 1",
      "chain 2",
      "chain 3",
      "chain 4",
      "warmup (100 iterations)",
    ]);
    const ps = panels(root);
    expect(ps).toHaveLength(3);
    ps.forEach((p, k) => {
      // One polyline per chain, each in its chain's colour, every colour distinct.
      const lines = all(p, "polyline");
      expect(lines).toHaveLength(4);
      expect(new Set(lines.map((l) => l.getAttribute("stroke"))).size).toBe(4);
      const labels = texts(p);
      expect(labels).toContain(draws.parameters[k]);
      expect(labels).toContain("iteration");
      expect(labels).toContain("warmup");
    });
  });

  it("a parameter the warmup lacks (a Posterior's random effects) is drawn from its kept draws only", () => {
    const core = syntheticDraws(["beta[x]", "sigma2"], 4, 100, { seed: 3, means: [-3, 40], scales: [2, 10] });
    const root = parseSvg(tracePlot(draws, { warmup: core }));
    const ps = panels(root);
    expect(ps).toHaveLength(3);
    expect(texts(ps[0]!)).toContain("warmup (not recorded)");
    expect(texts(ps[1]!)).toContain("warmup");
    // Every panel spans the same 400 iterations; the first has only its 300 kept draws per chain.
    const xs = (p: Element) =>
      all(p, "polyline").map((l) => (l.getAttribute("points") ?? "").split(" ").length);
    expect(Math.max(...xs(ps[0]!))).toBeLessThan(Math.min(...xs(ps[1]!)));
  });

  it("puts every draw where the axis says (all 400 iterations drawn, y from the tick labels)", () => {
    const root = parseSvg(tracePlot(draws, { warmup, thin: false }));
    const p = panels(root)[1]!;
    const y = tickMap(p, "y");
    const x = tickMap(p, "x");
    const kept = chainsOf(draws, "beta[x]");
    const early = chainsOf(warmup, "beta[x]");
    const line = all(p, "polyline")[2]!;
    const pts = points(line);
    expect(pts).toHaveLength(400);
    const [lo, hi] = [Math.min(...kept[2]!), Math.max(...kept[2]!)];
    for (const t of [0, 57, 99, 100, 250, 399]) {
      const value = t < 100 ? early[2]![t]! : kept[2]![t - 100]!;
      expect(pts[t]![0]).toBeCloseTo(x(t + 1), 0);
      // Warmup values far outside the kept range are drawn at the panel's edge.
      if (value >= lo - (hi - lo) * 0.5 && value <= hi + (hi - lo) * 0.5)
        expect(pts[t]![1]).toBeCloseTo(y(value), 0);
    }
  });

  it("thins 4 × 5,000 draws to at most 2 points per pixel column and stays small", () => {
    const long = syntheticDraws(["mu"], 4, 5000, { rho: 0.9 });
    const svg = tracePlot(long, { panelWidth: 400 });
    const lines = all(panels(parseSvg(svg))[0]!, "polyline");
    for (const l of lines) expect(points(l).length).toBeLessThanOrEqual(800);
    expect(svg.length).toBeLessThan(60_000);
  });

  it("names a missing parameter and refuses warmup with other chains", () => {
    expect(() => tracePlot(draws, { parameters: ["nope"] })).toThrow(ArgumentError);
    expect(() => tracePlot(draws, { warmup: syntheticDraws(draws.parameters, 2, 10) })).toThrow(/chains/);
  });

  it("survives non-finite draws", () => {
    const d = syntheticDraws(["a"], 2, 50);
    d.values.fill(Number.NaN);
    const root = parseSvg(tracePlot(d));
    expect(texts(root)).toContain("no finite draws");
  });
});

describe("rankPlot", () => {
  it("bins ranks into equal bins", () => {
    expect(Array.from(rankCounts(Float64Array.of(1, 2, 3, 4), 4, 2))).toEqual([2, 2]);
    expect(Array.from(rankCounts(Float64Array.of(1.5, 1.5, 8), 8, 4))).toEqual([2, 0, 0, 1]);
  });

  it("draws one histogram per chain and parameter whose bar heights are the rank counts", () => {
    const draws = syntheticDraws(["a", "b"], 3, 400, { shift: 0.5 });
    const root = parseSvg(rankPlot(draws, { bins: 10 }));
    const ps = panels(root);
    expect(ps).toHaveLength(6);
    expect(legendLabels(root)).toEqual(["chain 1", "chain 2", "chain 3", "count if chains agree"]);
    for (const p of ps) {
      const bars = all(p, "rect");
      expect(bars).toHaveLength(10);
      const total = bars.reduce((s, b) => s + num(b, "data-count"), 0);
      expect(total).toBe(400);
      const y = tickMap(p, "y");
      for (const b of bars) expect(num(b, "y")).toBeCloseTo(y(num(b, "data-count")), 0);
      expect(texts(p)).toContain("rank");
    }
    // Chain 1 sits lowest (shift 0.5 per chain): its first bin holds more than chain 3's.
    const first = (k: number) => num(all(ps[k]!, "rect")[0]!, "data-count");
    expect(first(0)).toBeGreaterThan(first(2));
  });
});

describe("densityPlot", () => {
  it("marks the reference value where the axis puts it, shades the interval, reflects variances at 0", () => {
    const draws = syntheticDraws(["beta[x]", "sigma2"], 4, 1000, { means: [2, 5], scales: [1, 1] });
    const root = parseSvg(densityPlot(draws, { reference: { "beta[x]": 2.5 } }));
    expect(legendLabels(root)).toEqual(["posterior density", "95% credible interval", "REML estimate"]);
    const [p0, p1] = panels(root);
    const ref = all(p0!, "line").find((l) => l.getAttribute("data-reference") !== null)!;
    expect(num(ref, "x1")).toBeCloseTo(tickMap(p0!, "x")(2.5), 0);
    const density = all(p0!, "polyline").find((l) => l.getAttribute("data-role") === "density")!;
    expect(points(density).length).toBeGreaterThan(100);
    expect(all(p0!, "polygon")).toHaveLength(1);
    // No reference for sigma2: no reference line; its curve starts at or right of 0.
    expect(all(p1!, "line").filter((l) => l.getAttribute("data-reference") !== null)).toHaveLength(0);
    const x1 = tickMap(p1!, "x");
    const xs = points(all(p1!, "polyline")[0]!).map(([px]) => px);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(x1(0) - 0.5);
  });
});

describe("autocorrelationPlot", () => {
  it("draws each chain's autocorrelation at the values the diagnostics compute", () => {
    const draws = syntheticDraws(["a"], 2, 500, { rho: 0.8 });
    const root = parseSvg(autocorrelationPlot(draws, { maxLag: 20 }));
    const p = panels(root)[0]!;
    const lines = all(p, "polyline");
    expect(lines).toHaveLength(2);
    expect(texts(p)).toEqual(expect.arrayContaining(["lag", "autocorrelation", "a"]));
    const y = tickMap(p, "y");
    const x = tickMap(p, "x");
    const acf = autocorrelation(chainsOf(draws, "a")[1]!, 20);
    const pts = points(lines[1]!);
    expect(pts).toHaveLength(21);
    for (const k of [0, 1, 5, 20]) {
      expect(pts[k]![0]).toBeCloseTo(x(k), 0);
      expect(pts[k]![1]).toBeCloseTo(y(acf[k]!), 0);
    }
  });
});

describe("intervalPlot", () => {
  it("a row per parameter, its own axis, dots and intervals where the axis puts them", () => {
    const root = parseSvg(
      intervalPlot([
        {
          label: "beta[(Intercept)]",
          posterior: { mean: 251, lower: 238, upper: 264 },
          reference: { estimate: 251.4, lower: 238, upper: 264.8 },
        },
        {
          label: "sd[Subject][Days]",
          posterior: { mean: 5.7, lower: 3.8, upper: 8.5 },
          reference: { estimate: 5.9 },
        },
      ]),
    );
    expect(legendLabels(root)).toEqual(["posterior mean, 95% credible interval", "REML estimate, ± 1.96 SE"]);
    const ps = panels(root);
    expect(ps).toHaveLength(2);
    expect(texts(ps[0]!)).toContain("beta[(Intercept)]");
    const x = tickMap(ps[1]!, "x");
    const dot = all(ps[1]!, "circle")[0]!;
    expect(num(dot, "cx")).toBeCloseTo(x(5.7), 0);
    const interval = all(ps[1]!, "line").find((l) => l.getAttribute("data-role") === "posterior-interval")!;
    expect(num(interval, "x1")).toBeCloseTo(x(3.8), 0);
    expect(num(interval, "x2")).toBeCloseTo(x(8.5), 0);
    // No SE for a variance component: no reference interval on that row.
    expect(
      all(ps[1]!, "line").filter((l) => l.getAttribute("data-role") === "reference-interval"),
    ).toHaveLength(0);
    expect(
      all(ps[0]!, "line").filter((l) => l.getAttribute("data-role") === "reference-interval"),
    ).toHaveLength(1);
  });
});

describe("caterpillarPlot", () => {
  it("a panel per factor and coefficient, levels sorted by mean, dots at the posterior means", () => {
    const names = ["beta[x]", ...["A", "B", "C"].flatMap((l) => [`b[g][${l},(Intercept)]`, `b[g][${l},x]`])];
    const draws = syntheticDraws(names, 2, 400, { means: [0, 3, 0.1, -2, 0.2, 1, -0.3] });
    const rows = caterpillarRows(draws, { "b[g][A,(Intercept)]": 2.9 });
    expect(rows).toHaveLength(6);
    const root = parseSvg(caterpillarPlot(rows));
    const ps = panels(root);
    expect(ps).toHaveLength(2);
    expect(texts(ps[0]!)).toContain("b[g] (Intercept)");
    // Sorted by mean from the bottom: B (−2) lowest, then C (1), then A (3) at the top.
    const levelLabels = all(ps[0]!, "text").filter((t) => ["A", "B", "C"].includes(t.textContent ?? ""));
    const byY = [...levelLabels].sort((a, b) => num(b, "y") - num(a, "y")).map((t) => t.textContent);
    expect(byY).toEqual(["B", "C", "A"]);
    const x = tickMap(ps[0]!, "x");
    const circles = all(ps[0]!, "circle");
    const means = rows
      .filter((r) => r.coefficient === "(Intercept)")
      .map((r) => r.mean)
      .sort((a, b) => a - b);
    circles.forEach((c, j) => {
      expect(num(c, "cx")).toBeCloseTo(x(means[j]!), 0);
    });
    expect(legendLabels(root)).toContain("REML conditional mode");
  });
});
