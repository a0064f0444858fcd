/**
 * The sampler with a residual variance per level of a stratum (residual model "varIdent", issue 15):
 * simulation-based calibration (200 replications) and the Geweke joint distribution test (40,000
 * iterations per simulator) on the one-factor q = 2 design (joint) and the crossed design (by-factor),
 * rows in three strata in turn (scripts/calibration-lib.ts). p > 0.001 for every rank histogram and
 * test function (each level's variance among them); fixed seeds, so the test is deterministic.
 */
import { describe, expect, it } from "vitest";
import { designA, designB, geweke, sbc, withVarIdent } from "../../scripts/calibration-lib";

describe("varIdent: SBC and Geweke", () => {
  for (const [label, design, strategy] of [
    ["one factor, q = 2, three strata", () => withVarIdent(designA()), "auto"],
    ["two crossed factors, by-factor, three strata", () => withVarIdent(designB()), "by-factor"],
  ] as const) {
    it(`SBC: ${label}`, () => {
      const result = sbc(design(), strategy, 200, 10);
      expect(result.parameters.map((p) => p.name)).toContain("sigma2[s][s3]");
      for (const p of result.parameters)
        expect(p.p, `${p.name}: ranks ${p.counts.join(" ")}`).toBeGreaterThan(0.001);
    }, 120_000);
    it(`Geweke: ${label}`, () => {
      for (const f of geweke(design(), strategy, 40_000).functions)
        expect(f.p, `${f.name}: prior ${f.prior}, successive ${f.successive}, z ${f.z}`).toBeGreaterThan(
          0.001,
        );
    }, 120_000);
  }
});
