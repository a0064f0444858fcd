/**
 * The sampler with precision weights (residual model "weights", issue 15): simulation-based
 * calibration (200 replications) and the Geweke joint distribution test (60,000 iterations per
 * simulator) on the one-factor q = 2 design (joint) and the crossed design (by-factor), each with
 * weights 0.3, 0.8, 1.5, 3 over the rows (scripts/calibration-lib.ts). p > 0.001 for every rank
 * histogram and every test function; the seeds are fixed, so the test is deterministic. The full run
 * (1,000 replications, 200,000 Geweke iterations) is scripts/calibration.ts.
 */
import { describe, expect, it } from "vitest";
import { designA, designB, geweke, sbc, withWeights } from "../../scripts/calibration-lib";

describe("precision weights: SBC and Geweke", () => {
  for (const [label, design, strategy] of [
    ["one factor, q = 2, weights", () => withWeights(designA()), "auto"],
    ["two crossed factors, by-factor, weights", () => withWeights(designB()), "by-factor"],
  ] as const) {
    it(`SBC: ${label}`, () => {
      for (const p of sbc(design(), strategy, 200, 10).parameters)
        expect(p.p, `${p.name}: ranks ${p.counts.join(" ")}`).toBeGreaterThan(0.001);
    }, 120_000);
    it(`Geweke: ${label}`, () => {
      for (const f of geweke(design(), strategy, 60_000).functions)
        expect(f.p, `${f.name}: prior ${f.prior}, successive ${f.successive}, z ${f.z}`).toBeGreaterThan(
          0.001,
        );
    }, 120_000);
  }

  it("the check can fail: a sampler ignoring the weights is caught by SBC", () => {
    // y simulated with the weights, sampled as if it had none.
    const design = withWeights(designA());
    const result = sbc(design, "auto", 200, 10, { ...design.model, weights: null });
    expect(Math.min(...result.parameters.map((p) => p.p))).toBeLessThan(0.001);
  }, 120_000);
});
