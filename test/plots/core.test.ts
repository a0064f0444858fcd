import { describe, expect, it } from "vitest";
import { kernelDensity, silvermanBandwidth } from "../../diagnostics/plots/kde";
import { extent, formatTick, linearScale, niceTicks, tickStep } from "../../diagnostics/plots/scale";
import { coordinate, element, escapeXml, svgDocument, text } from "../../diagnostics/plots/svg";
import { minMaxIndices } from "../../diagnostics/plots/thin";
import { Random } from "../../src/random/generator";
import { normal } from "../../src/random/normal";
import { parseSvg } from "./helpers";

describe("svg writer", () => {
  it("escapes markup in text and attributes, so hostile names stay text", () => {
    expect(escapeXml(`a<b>&"c'`)).toBe("a&lt;b&gt;&amp;&quot;c&#39;");
    const svg = svgDocument(
      { width: 100, height: 50, title: "<script>x</script>" },
      text('b[g][<&>,"x"]', { x: 1, y: 2, "data-x": "<'>" }),
    );
    const root = parseSvg(svg);
    expect(root.getElementsByTagName("script").length).toBe(0);
    expect(root.getElementsByTagName("text")[0]?.textContent).toBe('b[g][<&>,"x"]');
  });

  it("writes coordinates with at most two decimals and no -0", () => {
    expect(coordinate(12.3456)).toBe("12.35");
    expect(coordinate(-0.001)).toBe("0");
    expect(element("rect", { x: 1.005, y: undefined })).toBe('<rect x="1"/>');
  });
});

describe("scales and ticks", () => {
  it("chooses 1-2-5 steps", () => {
    expect(tickStep(0, 100, 5)).toBe(20);
    expect(tickStep(0, 1, 5)).toBe(0.2);
    expect(tickStep(0, 7, 5)).toBe(1);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-0.3, 0.3, 5)).toEqual([-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3]);
  });

  it("formats ticks with the step's decimals, a true minus and exponents when far from 1", () => {
    expect(formatTick(-0.5, 0.1)).toBe("\u22120.5");
    expect(formatTick(250, 10)).toBe("250");
    expect(formatTick(2e7, 1e6)).toBe("2e+7");
    expect(formatTick(3e-6, 1e-6)).toBe("3e-6");
    expect(formatTick(1e-17, 0.1)).toBe("0.0");
  });

  it("maps the domain onto the range linearly, y axes reversed, nice domains contain the data", () => {
    const y = linearScale([3, 97], [200, 0], true, 5);
    expect(y.domain[0]).toBeLessThanOrEqual(3);
    expect(y.domain[1]).toBeGreaterThanOrEqual(97);
    expect(y.map(y.domain[0])).toBe(200);
    expect(y.map(y.domain[1])).toBe(0);
    expect(y.map((y.domain[0] + y.domain[1]) / 2)).toBeCloseTo(100, 12);
    // Degenerate and non-finite domains still give a usable scale.
    expect(linearScale([5, 5], [0, 10]).map(5)).toBeCloseTo(5, 12);
    expect(linearScale([Number.NaN, 1], [0, 10]).domain).toEqual([0, 1]);
    expect(extent([1, Number.NaN, -2, Number.POSITIVE_INFINITY])).toEqual([-2, 1]);
  });
});

describe("min-max thinning", () => {
  it("keeps, per pixel column, exactly the column's lowest and highest value (oracle: naive per-bucket extremes)", () => {
    const rng = Random.fromSeed(7);
    for (const [n, columns] of [
      [5000, 480],
      [20000, 300],
      [999, 100],
      [1000, 1000],
    ] as const) {
      const x = Float64Array.from({ length: n }, () => normal(rng));
      const idx = minMaxIndices(x, columns);
      if (n <= 2 * columns) {
        expect(idx.length).toBe(n);
        continue;
      }
      expect(idx.length).toBeLessThanOrEqual(2 * columns);
      for (let i = 1; i < idx.length; i++) expect(idx[i]!).toBeGreaterThan(idx[i - 1]!);
      for (let b = 0; b < columns; b++) {
        const start = Math.floor((b * n) / columns);
        const end = Math.floor(((b + 1) * n) / columns);
        const bucket = Array.from(x.subarray(start, end));
        const kept = Array.from(idx)
          .filter((i) => i >= start && i < end)
          .map((i) => x[i]!);
        expect(Math.min(...kept)).toBe(Math.min(...bucket));
        expect(Math.max(...kept)).toBe(Math.max(...bucket));
      }
    }
  });

  it("never picks a non-finite value", () => {
    const x = Float64Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? Number.NaN : i));
    for (const i of minMaxIndices(x, 10)) expect(Number.isFinite(x[i]!)).toBe(true);
    for (const i of minMaxIndices(x, 1000)) expect(Number.isFinite(x[i]!)).toBe(true);
  });
});

/** The direct-sum Gaussian KDE at a point. */
function naiveKde(values: Float64Array, h: number, at: number, lower?: number): number {
  let s = 0;
  for (const v of values) {
    s += Math.exp(-0.5 * ((at - v) / h) ** 2);
    if (lower !== undefined) s += Math.exp(-0.5 * ((at + v - 2 * lower) / h) ** 2);
  }
  return s / (values.length * h * Math.sqrt(2 * Math.PI));
}

describe("kernel density", () => {
  it("Silverman's bandwidth is R's bw.nrd0", () => {
    // bw.nrd0(c(1, 2, 3, 4)) = 0.9 * min(sd = 1.2910, IQR/1.34 = 1.5/1.34) * 4^(-1/5)
    expect(silvermanBandwidth(Float64Array.of(1, 2, 3, 4))).toBeCloseTo(0.9 * (1.5 / 1.34) * 4 ** -0.2, 12);
    // Zero spread: falls back to |x1|, then 1.
    expect(silvermanBandwidth(Float64Array.of(2, 2, 2))).toBeCloseTo(0.9 * 2 * 3 ** -0.2, 12);
    expect(silvermanBandwidth(Float64Array.of(0, 0))).toBeCloseTo(0.9 * 2 ** -0.2, 12);
  });

  it("the binned estimate matches the direct sum on seeded random draws", () => {
    // Linear binning moves each value by at most half a grid step; with h/Δ ≈ 7 here the error is
    // of order (Δ/h)²/8 of the peak, about 0.3% — tolerance 1% of the peak.
    const rng = Random.fromSeed(11);
    for (const n of [50, 2000, 20000]) {
      const x = Float64Array.from({ length: n }, () => 3 + 2 * normal(rng));
      const est = kernelDensity(x);
      const peak = Math.max(...est.density);
      for (let g = 0; g < est.x.length; g += 17)
        expect(Math.abs(est.density[g]! - naiveKde(x, est.bandwidth, est.x[g]!))).toBeLessThan(0.01 * peak);
    }
  });

  it("reflects at a lower bound: no mass below it, the direct reflected sum, total mass 1", () => {
    const rng = Random.fromSeed(12);
    // Half-normal draws: density √(2/π) ≈ 0.80 at the bound, where an unreflected estimate halves it.
    const x = Float64Array.from({ length: 5000 }, () => Math.abs(normal(rng)));
    const est = kernelDensity(x, { lower: 0 });
    expect(est.x[0]).toBe(0);
    const peak = Math.max(...est.density);
    for (let g = 0; g < est.x.length; g += 13)
      expect(Math.abs(est.density[g]! - naiveKde(x, est.bandwidth, est.x[g]!, 0))).toBeLessThan(0.01 * peak);
    const dx = est.x[1]! - est.x[0]!;
    let mass = 0;
    for (let g = 1; g < est.density.length; g++) mass += ((est.density[g - 1]! + est.density[g]!) / 2) * dx;
    expect(mass).toBeCloseTo(1, 2);
    expect(est.density[0]!).toBeGreaterThan(0.7);
  });

  it("ignores non-finite values and returns empty arrays without finite ones", () => {
    expect(kernelDensity(Float64Array.of(Number.NaN)).x.length).toBe(0);
    expect(kernelDensity(Float64Array.of(1, Number.NaN, 2, 3)).n).toBe(3);
  });
});
