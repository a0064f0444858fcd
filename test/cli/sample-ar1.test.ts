/**
 * `sample --ar1 "TIME | GROUP"` (issue 15): the sampler's AR(1) residual model from the command line —
 * phi in the summary (JSON and text), in the draws CSV and in the InferenceData file (with replicated
 * data); phi's prior from priors.json printed; --compare puts phi beside the REML fit's; --log-lik
 * refused before sampling (exit 2, one line).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli";
import { FIXTURES, readJsonFixture } from "../helpers/fixtures";

const sleep = join(FIXTURES, "data", "sleepstudy.csv");
const formula = "Reaction ~ Days + (Days | Subject)";

describe("sample --ar1", () => {
  it("samples the AR(1) model: phi in the JSON summary and the draws CSV, phi's prior read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bayes-lmm-sample-ar1-"));
    const fixture = readJsonFixture<{ priors_cli: unknown; summary: { variable: string; mean: number }[] }>(
      "ar1-bayes/sleepstudy_ar1_bayes.json",
    );
    const priors = join(dir, "priors.json");
    writeFileSync(priors, JSON.stringify(fixture.priors_cli));
    const draws = join(dir, "draws.csv");
    const r = await cli(
      ...["sample", "--data", sleep, "--formula", formula, "--ar1", "Days | Subject", "--priors", priors],
      ...["--iter", "2000", "--seed", "5", "--draws", draws, "--json", "--quiet"],
    );
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      parameters: { name: string; mean: number; sd: number; mcse_mean: number }[];
      priors: { phi?: { a: number; b: number } };
    };
    expect(doc.parameters.map((p) => p.name).slice(0, 4)).toEqual([
      "beta[(Intercept)]",
      "beta[Days]",
      "sigma2",
      "phi",
    ]);
    const phi = doc.parameters.find((p) => p.name === "phi")!;
    const stan = fixture.summary.find((s) => s.variable === "phi")!.mean; // 0.498, sd 0.10
    expect(Math.abs(phi.mean - stan)).toBeLessThan(5 * phi.mcse_mean + 0.01);
    expect(doc.priors.phi).toEqual({ a: 1, b: 1 });
    expect(readFileSync(draws, "utf8").split("\n")[0]).toContain(",sigma2,phi,");
  }, 120_000);

  it("prints phi's prior and the summary; --compare puts phi beside the REML fit's", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bayes-lmm-sample-ar1-"));
    const priors = join(dir, "priors.json");
    writeFileSync(priors, JSON.stringify({ phi: { a: 2, b: 2 } }));
    const r = await cli(
      ...["sample", "--data", sleep, "--formula", formula, "--ar1", "Days | Subject", "--priors", priors],
      ...["--iter", "500", "--warmup", "300", "--chains", "2", "--seed", "5", "--compare", "--quiet"],
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("(phi + 1) / 2 ~ Beta(2, 2)");
    expect(r.stdout).toMatch(/\nphi +0\.\d/);
    expect(r.stdout).toContain("Residual correlation (AR(1))");
    expect(r.stdout).toMatch(/phi \(AR\(1\) within Subject\) +0\.4/);
  }, 120_000);

  it("writes the InferenceData file with replicated data of AR(1) noise", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bayes-lmm-sample-ar1-"));
    const nc = join(dir, "fit.nc");
    const r = await cli(
      ...["sample", "--data", sleep, "--formula", formula, "--ar1", "Days | Subject"],
      ...[
        "--iter",
        "100",
        "--warmup",
        "100",
        "--chains",
        "2",
        "--inference-data",
        nc,
        "--posterior-predictive",
      ],
      "--quiet",
    );
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(nc)).toBe(true);
  }, 120_000);

  it("refuses --log-lik with --ar1 before sampling, in one line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bayes-lmm-sample-ar1-"));
    const r = await cli(
      ...["sample", "--data", sleep, "--formula", formula, "--ar1", "Days | Subject"],
      ...["--iter", "100000", "--log-lik", join(dir, "ll.csv")],
    );
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--log-lik.*--ar1/);
  }, 60_000);
});
