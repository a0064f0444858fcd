/**
 * The sampler with AR(1) residuals (residual model "ar1", issue 15): simulation-based calibration
 * (200 replications) and the Geweke joint distribution test (40,000 iterations per simulator) on the
 * one-factor q = 2 design (joint; chains of 6 rows) and the crossed design (by-factor; chains of the
 * 2 rows of a cell), each chain in reverse row order with lags 1, 2, 1, 3 and phi's prior
 * (phi + 1) / 2 ~ Beta(2, 1.5) (scripts/calibration-lib.ts). p > 0.001 for every rank histogram and
 * test function (phi and sigma2 among them); fixed seeds, so the test is deterministic.
 */
import { describe, expect, it } from "vitest";
import { designA, designB, geweke, sbc, withAr1 } from "../../scripts/calibration-lib";

describe("AR(1) residuals: SBC and Geweke", () => {
  for (const [label, design, strategy] of [
    ["one factor, q = 2, AR(1) chains of 6", () => withAr1(designA()), "auto"],
    ["two crossed factors, by-factor, AR(1) chains of 2", () => withAr1(designB()), "by-factor"],
  ] as const) {
    it(`SBC: ${label}`, () => {
      const result = sbc(design(), strategy, 200, 10);
      expect(result.parameters.map((p) => p.name)).toContain("phi");
      for (const p of result.parameters)
        expect(p.p, `${p.name}: ranks ${p.counts.join(" ")}`).toBeGreaterThan(0.001);
    }, 120_000);
    it(`Geweke: ${label}`, () => {
      const result = geweke(design(), strategy, 40_000);
      expect(result.functions.map((f) => f.name)).toContain("phi^2");
      for (const f of result.functions)
        expect(f.p, `${f.name}: prior ${f.prior}, successive ${f.successive}, z ${f.z}`).toBeGreaterThan(
          0.001,
        );
    }, 300_000);
  }

  it("the check can fail: a sampler ignoring the AR(1) correlation is caught by SBC", () => {
    // y simulated with AR(1) residuals, sampled as if they were independent.
    const design = withAr1(designA());
    const result = sbc(design, "auto", 200, 10, { ...design.model, ar1: null });
    expect(Math.min(...result.parameters.map((p) => p.p))).toBeLessThan(0.001);
  }, 120_000);
});
