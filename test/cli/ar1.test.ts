/**
 * `--ar1 "TIME | GROUP"` on `fit` (issue 15): the AR(1) fit through the command line equals nlme's
 * `lme(correlation = corAR1(form = ~ TIME | GROUP))` (test/fixtures/ar1), REML and ML, in its JSON
 * and its printed summary; bad --ar1 text or data exit 2 with one line naming the problem.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli";
import { FIXTURES, readJsonFixture } from "../helpers/fixtures";

const sleep = join(FIXTURES, "data", "sleepstudy.csv");
const formula = "Reaction ~ Days + (1 | Subject)";

describe("fit --ar1", () => {
  it("fit --ar1 'Days | Subject' --json equals nlme's corAR1 fit, REML and ML", async () => {
    for (const method of ["reml", "ml"]) {
      const fx = readJsonFixture<{
        fixef: Record<string, number>;
        sigma: number;
        phi: number;
        logLik: number;
      }>(`ar1/sleepstudy_${method}.json`);
      const args = ["fit", "--data", sleep, "--formula", formula, "--ar1", "Days | Subject", "--json"];
      const r = await cli(...(method === "ml" ? [...args, "--ml"] : args));
      expect(r.status, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as {
        fixef: Record<string, number>;
        sigma: number;
        logLik: number;
        ar1: { time: string; group: string; phi: number };
      };
      for (const [name, value] of Object.entries(fx.fixef))
        expect(Math.abs(doc.fixef[name]! / value - 1)).toBeLessThan(1e-4);
      expect(Math.abs(doc.sigma / fx.sigma - 1)).toBeLessThan(1e-4);
      expect(Math.abs(doc.ar1.phi / fx.phi - 1)).toBeLessThan(1e-4);
      expect(doc.ar1.time).toBe("Days");
      expect(Math.abs(doc.logLik - fx.logLik)).toBeLessThan(1e-3);
    }
  }, 60_000);

  it("accepts nlme's leading ~ and '1 | GROUP' (positions), and prints Phi", async () => {
    const ovary = join(FIXTURES, "data", "Ovary.csv");
    const fx = readJsonFixture<{ phi: number }>("ar1/ovary_reml.json");
    const r = await cli(
      ...[
        "fit",
        "--data",
        ovary,
        "--formula",
        "follicles ~ sin(2 * pi * Time) + cos(2 * pi * Time) + (1 | Mare)",
      ],
      ...["--ar1", "~ 1 | Mare"],
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("Correlation Structure: AR(1), corAR1(form = ~ 1 | Mare)");
    expect(r.stdout).toContain(fx.phi.toFixed(4));
  }, 60_000);

  it("bad --ar1 text or data exit 2 with one line naming the problem", async () => {
    for (const [flag, pattern] of [
      ["Days", /--ar1.*TIME \| GROUP/],
      ["Days | Subject | x", /--ar1/],
      ["Dayz | Subject", /`Dayz`/],
      ["Reaction | Subject", /`Reaction` must hold integers.*row 1 holds 249\.56/],
      ["Days | Sub", /`Sub`/],
    ] as const) {
      const r = await cli("fit", "--data", sleep, "--formula", formula, "--ar1", flag);
      expect(r.status, flag).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
  }, 60_000);

  it("fit --ar1 --compare puts the posterior's phi beside the REML fit's (the sampler models AR(1))", async () => {
    const r = await cli("fit", "--data", sleep, "--formula", formula, "--ar1", "Days | Subject", "--compare");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("Residual correlation (AR(1))");
    expect(r.stdout).toMatch(/phi \(AR\(1\) within Subject\) +0\.\d/);
  }, 120_000);

  it("--ar1 needs the rows: refused with --stats", async () => {
    const r = await cli("fit", "--stats", sleep, "--formula", formula, "--ar1", "Days | Subject");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--ar1.*needs the rows/);
  });
});
