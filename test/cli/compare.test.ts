/**
 * `--compare` on `bayes-lmm sample` and `bayes-lmm fit`: the posterior printed beside the REML fit
 * (diagnostics/compare), as text and under the JSON key `comparison`, with the fit's own estimates.
 */
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli";
import { dataPath, readJsonFixture } from "../helpers/fixtures";

const sleep = dataPath("sleepstudy");
const formula = "Reaction ~ Days + (Days | Subject)";
const lme4 = readJsonFixture<{ fixef: Record<string, number> }>("lme4/sleep_slope_reml.json");

interface ComparisonDoc {
  comparison: { method: string; rows: { parameter: string; estimate: number | null; mean: number }[] };
}

describe("--compare", () => {
  it("sample --compare --json carries the REML estimates beside the posterior means", async () => {
    const r = await cli(
      "sample",
      "--data",
      sleep,
      "--formula",
      formula,
      "--iter",
      "500",
      "--compare",
      "--json",
    );
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ComparisonDoc;
    expect(doc.comparison.method).toBe("REML");
    const days = doc.comparison.rows.find((row) => row.parameter === "beta[Days]")!;
    // The REML estimate is lme4's (the fit matches it to 1e-4 relative: test/reml).
    expect(days.estimate).toBeCloseTo(lme4.fixef["Days"]!, 3);
    // The posterior mean of the slope is within a posterior sd (about 1.5) of the REML estimate.
    expect(Math.abs(days.mean - days.estimate!)).toBeLessThan(1.5);
  });

  it("sample --compare prints the priors used and the comparison table as text", async () => {
    const r = await cli("sample", "--data", sleep, "--formula", formula, "--iter", "300", "--compare");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ {2}sigma2 ~ InvGamma\(shape 0\.5, scale [0-9.]+\) {2}\(default\)$/m);
    expect(r.stdout).toContain("beside REML (estimate, se)");
    expect(r.stdout).toMatch(/^Variance components \(correlations\)$/m);
  });

  it("fit --compare samples with the defaults and prints the table after lme4's summary", async () => {
    const r = await cli("fit", "--data", sleep, "--formula", formula, "--compare");
    expect(r.status, r.stderr).toBe(0);
    const summary = r.stdout.indexOf("Fixed effects:");
    const table = r.stdout.indexOf("beside REML (estimate, se)");
    expect(summary).toBeGreaterThan(0);
    expect(table).toBeGreaterThan(summary);
  });

  it("fit without --compare has no comparison key", async () => {
    const r = await cli("fit", "--data", sleep, "--formula", formula, "--json");
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).not.toHaveProperty("comparison");
  });
});
