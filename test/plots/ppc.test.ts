/**
 * The posterior predictive pictures (diagnostics/plots/ppc-*.ts): valid SVG, the marks the data
 * make (a curve per replicated set, a bar count per draw, a bar per row, a dot per row), placed where
 * the picture's own tick labels say, the p-values against a hand count, and typed errors.
 */
import type { Element } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";
import {
  groupLabels,
  replicates,
  resolveStatistic,
  rowQuantiles,
  statisticCheck,
} from "../../diagnostics/plots/ppc";
import { ppcDensOverlay } from "../../diagnostics/plots/ppc-density";
import { ppcIntervals } from "../../diagnostics/plots/ppc-intervals";
import { ppcResiduals } from "../../diagnostics/plots/ppc-residuals";
import { formatP, ppcStat, ppcStatGrouped } from "../../diagnostics/plots/ppc-stat";
import { gibbsSync } from "../../samplers/gibbs";
import { ArgumentError } from "../../src/errors";
import { lmm } from "../../src/model/lmm";
import { readCsvFile } from "../../src/node/data-file";
import { type PredictiveDraws, posteriorLinpred, posteriorPredict } from "../../src/predict/posterior";
import { dataPath } from "../helpers/fixtures";
import { all, num, parseSvg, points, texts } from "./helpers";

const model = lmm("Reaction ~ Days + (Days | Subject)", readCsvFile(dataPath("sleepstudy")));
const post = gibbsSync(model, { iter: 250, warmup: 150, chains: 2, seed: 12, randomEffects: "draws" });
const yrep = posteriorPredict(post, { seed: 1 });
const subject = groupLabels(model, "Subject");
const days = Array.from({ length: model.n }, (_, i) => model.X[i * 2 + 1]!);

function panels(root: Element): Element[] {
  return all(root, "g").filter((g) => /^panel \d+$/.test(g.getAttribute("aria-label") ?? ""));
}

/** value → pixel implied by a panel's first and last tick labels. */
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

/** Synthetic predictive draws: D sets of n values, with an observed y. */
function synthetic(values: number[][], y: number[]): PredictiveDraws {
  const n = y.length;
  return {
    kind: "predict",
    chains: 1,
    iterations: values.length,
    n,
    values: Float64Array.from(values.flat()),
    rows: Int32Array.from({ length: n }, (_, i) => i),
    dropped: 0,
    re: [],
    newLevels: "error",
    y: Float64Array.from(y),
  };
}

describe("statisticCheck", () => {
  it("is Pr(T(y_rep) ≥ T(y)) by count, a tie one half", () => {
    const d = replicates(
      synthetic(
        [
          [1, 2],
          [3, 4],
          [1.5, 1.5],
          [0, 0],
        ],
        [1, 2],
      ),
    );
    const mean = statisticCheck(d, resolveStatistic("mean"));
    expect(mean.observed).toBe(1.5);
    expect(Array.from(mean.replicated)).toEqual([1.5, 3.5, 1.5, 0]);
    expect(mean.p).toBe((0.5 + 1 + 0.5 + 0) / 4);
    const user = statisticCheck(d, { name: "range", fn: (y) => Math.max(...y) - Math.min(...y) });
    expect(user.p).toBe((0.5 + 0.5 + 0 + 0) / 4);
    const rows = statisticCheck(d, resolveStatistic("max"), Int32Array.of(1));
    expect(rows.observed).toBe(2);
    expect(Array.from(rows.replicated)).toEqual([2, 4, 1.5, 0]);
  });

  it("names an unknown statistic and a missing y", () => {
    expect(() => resolveStatistic("mode")).toThrow(ArgumentError);
    expect(() => resolveStatistic({ name: "x" } as never)).toThrow(/fn/);
    const nd = posteriorPredict(post, { newdata: [{ Days: 1, Subject: "308" }] });
    expect(() => replicates(nd)).toThrow(/observed response/);
    expect(replicates(nd, [250]).y[0]).toBe(250);
    expect(() => replicates(nd, [1, 2])).toThrow(/one value per predicted row/);
    expect(() => replicates({} as never)).toThrow(/predictive draws/);
  });
});

describe("ppcDensOverlay", () => {
  it("draws y over 50 replicated sets, each curve within the axes", () => {
    const root = parseSvg(ppcDensOverlay(yrep, { response: "Reaction" }));
    const reps = all(root, "polyline").filter((p) => p.getAttribute("data-role") === "yrep");
    const obs = all(root, "polyline").filter((p) => p.getAttribute("data-role") === "y");
    expect(reps.length).toBe(50);
    expect(obs.length).toBe(1);
    expect(texts(root)).toContain("observed Reaction");
    const p = panels(root)[0]!;
    const x = tickMap(p, "x");
    const y = tickMap(p, "y");
    // The observed curve spans the data ± 3 bandwidths and starts near density 0.
    const pts = points(obs[0]!);
    const ys = Float64Array.from(model.y).sort();
    expect(pts[0]![0]).toBeLessThan(x(ys[0]!));
    expect(pts[pts.length - 1]![0]).toBeGreaterThan(x(ys[ys.length - 1]!));
    expect(Math.abs(pts[0]![1] - y(0))).toBeLessThan(2);
    expect(all(parseSvg(ppcDensOverlay(yrep, { ndraws: 7 })), "polyline").length).toBe(8);
  });
});

describe("ppcStat", () => {
  it("a panel per statistic: bars summing to the draws, the observed line at T(y), p in the title", () => {
    const root = parseSvg(
      ppcStat(yrep, { stats: ["mean", "sd", "min", "max", { name: "q90", fn: (v) => v[0]! }] }),
    );
    const ps = panels(root);
    expect(ps.length).toBe(5);
    const D = yrep.chains * yrep.iterations;
    const data = replicates(yrep);
    ["mean", "sd", "min", "max"].forEach((name, k) => {
      const p = ps[k]!;
      const bars = all(p, "rect").filter((r) => r.getAttribute("data-count") !== null);
      expect(bars.reduce((s, r) => s + num(r, "data-count"), 0)).toBe(D);
      const check = statisticCheck(data, resolveStatistic(name));
      // by hand
      let above = 0;
      for (const t of check.replicated) above += t > check.observed ? 1 : t === check.observed ? 0.5 : 0;
      expect(check.p).toBe(above / D);
      expect(texts(p)).toContain(`${name}: p = ${formatP(check.p)}`);
      const obs = all(p, "line").find((l) => l.getAttribute("data-observed") !== null)!;
      expect(num(obs, "data-observed")).toBeCloseTo(check.observed, 9);
      expect(num(obs, "x1")).toBeCloseTo(tickMap(p, "x")(check.observed), 0);
    });
    expect(() => ppcStat(yrep, { stats: [] })).toThrow(ArgumentError);
    expect(() => ppcStat(yrep, { bins: 0 })).toThrow(/options.bins/);
  });

  it("p-values as shown", () => {
    expect(formatP(0)).toBe("< 0.01");
    expect(formatP(1)).toBe("> 0.99");
    expect(formatP(0.456)).toBe("0.46");
  });
});

describe("ppcStatGrouped", () => {
  it("a panel per subject, each T(y) the subject's observed mean", () => {
    const root = parseSvg(ppcStatGrouped(yrep, { group: subject, groupName: "Subject" }));
    const ps = panels(root);
    expect(ps.length).toBe(18);
    const term = model.terms[0]!;
    term.levels.forEach((level, k) => {
      const rows = model.y.filter((_, i) => term.refs[i] === k);
      const mean = rows.reduce((a, b) => a + b, 0) / rows.length;
      const p = ps[k]!;
      expect(texts(p).some((t) => t.startsWith(`${level}: p = `))).toBe(true);
      const obs = all(p, "line").find((l) => l.getAttribute("data-observed") !== null)!;
      expect(num(obs, "data-observed")).toBeCloseTo(mean, 9);
    });
    expect(() => ppcStatGrouped(yrep, { group: subject.slice(1) })).toThrow(/options.group/);
    expect(() => groupLabels(model, "Days")).toThrow(/grouping factor/);
  });
});

describe("ppcIntervals", () => {
  it("a bar per row from its 5% to its 95% replicated quantile; the count outside in the note", () => {
    const svg = ppcIntervals(yrep, { x: days, xLabel: "Days", group: subject });
    const root = parseSvg(svg);
    const ps = panels(root);
    expect(ps.length).toBe(18);
    const data = replicates(yrep);
    const [lo, hi] = rowQuantiles(data, [0.05, 0.95]) as [Float64Array, Float64Array];
    const p0 = ps[0]!;
    const y = tickMap(p0, "y");
    const bars = all(p0, "line").filter((l) => l.getAttribute("data-row") !== null);
    expect(bars.length).toBe(10);
    for (const bar of bars) {
      const i = num(bar, "data-row") - 1;
      expect(num(bar, "y1")).toBeCloseTo(y(lo[i]!), 0);
      expect(num(bar, "y2")).toBeCloseTo(y(hi[i]!), 0);
    }
    let outside = 0;
    for (let i = 0; i < model.n; i++) if (model.y[i]! < lo[i]! || model.y[i]! > hi[i]!) outside++;
    expect(texts(root)).toContain(
      `${outside} of 180 observed values (${((100 * outside) / 180).toFixed(1)}%) outside their 90% interval`,
    );
    const single = parseSvg(ppcIntervals(yrep));
    expect(panels(single).length).toBe(1);
    expect(all(single, "line").filter((l) => l.getAttribute("data-row") !== null).length).toBe(180);
    expect(() => ppcIntervals(yrep, { prob: 0.95 })).toThrow(/probOuter/);
    expect(() => ppcIntervals(yrep, { x: [1, 2] })).toThrow(/options.x/);
  });
});

describe("ppcResiduals", () => {
  it("a dot per row at (mean fitted, y − mean fitted), and the zero line", () => {
    const lin = posteriorLinpred(post);
    const root = parseSvg(ppcResiduals(lin));
    const p = panels(root)[0]!;
    const x = tickMap(p, "x");
    const y = tickMap(p, "y");
    const dots = all(all(p, "g").find((g) => g.getAttribute("data-role") === "residual")!, "circle");
    expect(dots.length).toBe(180);
    const D = lin.chains * lin.iterations;
    for (const i of [0, 57, 179]) {
      let m = 0;
      for (let d = 0; d < D; d++) m += lin.values[d * lin.n + i]!;
      m /= D;
      expect(num(dots[i]!, "cx")).toBeCloseTo(x(m), 0);
      expect(num(dots[i]!, "cy")).toBeCloseTo(y(model.y[i]! - m), 0);
    }
    const zero = all(p, "line").find((l) => l.getAttribute("data-role") === "zero")!;
    expect(num(zero, "y1")).toBeCloseTo(y(0), 0);
    expect(() => ppcResiduals(lin, { prob: 0 })).toThrow(/options.prob/);
    // A bounded picture for large data: every k-th row, said in the note.
    const few = parseSvg(ppcResiduals(lin, { maxPoints: 50 }));
    expect(all(few, "circle").filter((c) => c.getAttribute("fill") === "#222222").length).toBe(1 + 45);
    expect(texts(few)).toContain("45 of 180 rows shown (every 4th row)");
  });
});
