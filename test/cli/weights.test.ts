/**
 * `--weights COLUMN` on `fit` and `sample` (issue 15): the weighted fit through the command line
 * equals lme4's `lmer(..., weights = w)`; `sample --weights` samples the weighted model (its posterior
 * mean of beta near the weighted REML fit); a bad weights column exits 2 with one line naming it.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli";
import { FIXTURES, readJsonFixture } from "../helpers/fixtures";
import type { Lme4Fixture } from "../reml/compare";

const csv = join(FIXTURES, "weights", "sleep_slope_w.csv");
const formula = "Reaction ~ Days + (Days | Subject)";

describe("--weights", () => {
  it("fit --weights w --json equals lmer(weights = w), REML and ML", async () => {
    for (const method of ["reml", "ml"]) {
      const fx = readJsonFixture<Lme4Fixture>(`weights/sleep_slope_${method}.json`);
      const args = ["fit", "--data", csv, "--formula", formula, "--weights", "w", "--json"];
      const r = await cli(...(method === "ml" ? [...args, "--ml"] : args));
      expect(r.status, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as { fixef: Record<string, number>; sigma: number; logLik: number };
      for (const [name, value] of Object.entries(fx.fixef))
        expect(Math.abs(doc.fixef[name]! / value - 1)).toBeLessThan(1e-4);
      expect(Math.abs(doc.sigma / fx.sigma - 1)).toBeLessThan(1e-4);
      expect(Math.abs(doc.logLik - fx.logLik)).toBeLessThan(1e-3);
    }
  });

  it("sample --weights w samples the weighted model", async () => {
    const r = await cli(
      ...["sample", "--data", csv, "--formula", formula, "--weights", "w", "--iter", "2000", "--json"],
      ...["--quiet", "--seed", "3"],
    );
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { parameters: { name: string; mean: number; sd: number }[] };
    const days = doc.parameters.find((p) => p.name === "beta[Days]")!;
    // the weighted REML slope is 10.107 (unweighted: 10.467); the posterior sd is about 1.6
    expect(Math.abs(days.mean - 10.107)).toBeLessThan(0.5);
  });

  it("a bad weights column exits 2 with one line naming it", async () => {
    for (const [column, pattern] of [
      ["nope", /nope/],
      ["Days", /`Days`.*row 1 holds 0/],
    ] as const) {
      const r = await cli("fit", "--data", csv, "--formula", formula, "--weights", column);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
  });
});

describe("--var-ident", () => {
  it("fit --var-ident Sex --json gives nlme's varIdent fit", async () => {
    const fx = readJsonFixture<{ sigma: number; delta: Record<string, number>; logLik: number }>(
      "varident/orthodont_reml.json",
    );
    const r = await cli(
      ...[
        "fit",
        "--data",
        join(FIXTURES, "data", "Orthodont.csv"),
        "--formula",
        "distance ~ age + (1 | Subject)",
      ],
      ...["--var-ident", "Sex", "--json"],
    );
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      sigma: number;
      logLik: number;
      varIdent: { delta: Record<string, number> };
    };
    expect(Math.abs(doc.sigma / fx.sigma - 1)).toBeLessThan(1e-3);
    expect(Math.abs(doc.varIdent.delta["Male"]! / fx.delta["Male"]! - 1)).toBeLessThan(1e-3);
    expect(Math.abs(doc.logLik - fx.logLik)).toBeLessThan(1e-3);
  });
});

describe("sample --var-ident", () => {
  it("records sigma2 and each other level's variance", async () => {
    const r = await cli(
      ...[
        "sample",
        "--data",
        join(FIXTURES, "data", "Orthodont.csv"),
        "--formula",
        "distance ~ age + (1 | Subject)",
      ],
      ...["--var-ident", "Sex", "--iter", "1000", "--json", "--quiet"],
    );
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { parameters: { name: string; mean: number }[] };
    const names = doc.parameters.map((p) => p.name);
    expect(names).toContain("sigma2");
    const male = doc.parameters.find((p) => p.name === "sigma2[Sex][Male]")!;
    const female = doc.parameters.find((p) => p.name === "sigma2")!;
    // nlme: the boys' residual sd is 2.2 times the girls'
    expect(male.mean / female.mean).toBeGreaterThan(2);
  });
});
