/**
 * Simulation-based calibration, short version (the full run with 1,000 replications and the Geweke
 * test is scripts/calibration.ts): 200 replications on a one-factor q = 2 design and on a
 * two-crossed-factor design with both location strategies, and a large-and-small crossed design
 * (by-factor with a rider); the rank histogram of beta, sigma2, Psi and each random effect (two per
 * factor with over 50) uniform by a chi-square test, p > 0.001 (a correct sampler fails one of these
 * 77 checks with probability about 7%; the seeds are fixed, so the test is deterministic).
 */
import { describe, expect, it } from "vitest";
import { designA, designB, designC, sbc } from "../../scripts/calibration-lib";

describe("simulation-based calibration (200 replications)", () => {
  for (const [label, design, strategy] of [
    ["one factor, q = 2", designA, "auto"],
    ["two crossed factors, joint", designB, "joint"],
    ["two crossed factors, by-factor", designB, "by-factor"],
    ["a large factor with a small one riding in its block, by-factor", designC, "by-factor"],
  ] as const)
    it(label, () => {
      const result = sbc(design(), strategy, 200, 10);
      expect(result.strategy).toBe(strategy === "auto" ? "joint" : strategy);
      for (const p of result.parameters)
        expect(p.p, `${p.name}: ranks ${p.counts.join(" ")}`).toBeGreaterThan(0.001);
    });
});
