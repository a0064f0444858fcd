/**
 * `bayes-lmm sample` as CLI.md says: flags, JSON keys, the draws CSV (posterior's draws_df layout,
 * read back exactly), exit status 2 with one line naming the problem for bad input.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDrawsCsv } from "../../src/node/draws-file";
import { cli } from "../helpers/cli";
import { dataPath, readJsonFixture } from "../helpers/fixtures";

const dir = mkdtempSync(join(tmpdir(), "bayes-lmm-sample-"));
const sleep = dataPath("sleepstudy");
const formula = "Reaction ~ Days + (Days | Subject)";

describe("bayes-lmm sample", () => {
  it("--json: one document with CLI.md's keys; --draws writes draws_df CSV read back exactly", async () => {
    const draws = join(dir, "draws.csv");
    const r = await cli(
      "sample",
      "--data",
      sleep,
      "--formula",
      formula,
      "--iter",
      "400",
      "--warmup",
      "200",
      "--chains",
      "2",
      "--seed",
      "9",
      "--draws",
      draws,
      "--json",
    );
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const key of ["chains", "iter", "warmup", "thin", "seed", "seconds", "parameters"])
      expect(doc).toHaveProperty(key);
    expect(doc["chains"]).toBe(2);
    expect(doc["iter"]).toBe(400);
    expect(doc["seed"]).toBe(9);
    const params = doc["parameters"] as Record<string, unknown>[];
    expect(params.map((p) => p["name"])).toEqual([
      "beta[(Intercept)]",
      "beta[Days]",
      "sigma2",
      "Psi[Subject][(Intercept),(Intercept)]",
      "Psi[Subject][(Intercept),Days]",
      "Psi[Subject][Days,Days]",
    ]);
    for (const p of params)
      expect(Object.keys(p)).toEqual([
        "name",
        "mean",
        "sd",
        "q2.5",
        "q50",
        "q97.5",
        "rhat",
        "ess_bulk",
        "ess_tail",
        "mcse_mean",
      ]);
    const intercept = params[0]!;
    expect(intercept["mean"] as number).toBeGreaterThan(230);
    expect(intercept["mean"] as number).toBeLessThan(270);
    const header = readFileSync(draws, "utf8").split("\n")[0]!;
    expect(header.startsWith(".chain,.iteration,.draw,beta[(Intercept)],beta[Days],sigma2,")).toBe(true);
    const back = readDrawsCsv(draws);
    expect(back.chains).toBe(2);
    expect(back.iterations).toBe(400);
    expect(back.parameters).toContain("b[Subject][308,Days]");
    const k = back.parameters.indexOf("beta[(Intercept)]");
    const chainMeans = [0, 1].map((c) => {
      let s = 0;
      for (let t = 0; t < 400; t++) s += back.values[(k * 2 + c) * 400 + t]!;
      return s / 400;
    });
    expect(Math.abs((chainMeans[0]! + chainMeans[1]!) / 2 - (intercept["mean"] as number))).toBeLessThan(
      1e-9,
    );
  });

  it("same seed, same output; --priors read from priors.json", async () => {
    const fixture = readJsonFixture<{ priors_cli: unknown }>("posterior/sleep_slope_bayes.json");
    const priors = join(dir, "priors.json");
    writeFileSync(priors, JSON.stringify(fixture.priors_cli));
    const args = [
      "sample",
      "--data",
      sleep,
      "--formula",
      formula,
      "--iter",
      "300",
      "--warmup",
      "100",
      "--seed",
      "3",
      "--priors",
      priors,
      "--json",
    ];
    const a = JSON.parse((await cli(...args)).stdout) as { parameters: unknown[]; priors: { psi: unknown } };
    const b = JSON.parse((await cli(...args)).stdout) as { parameters: unknown[] };
    expect(a.parameters).toEqual(b.parameters);
    expect(a.priors.psi).toEqual({
      Subject: {
        df: 4,
        scale: [
          [500, 0],
          [0, 25],
        ],
      },
    });
  });

  it("text output: a table with one row per parameter; --ranef adds b rows", async () => {
    const r = await cli(
      "sample",
      "--data",
      dataPath("Dyestuff"),
      "--formula",
      "Yield ~ 1 + (1 | Batch)",
      "--iter",
      "200",
      "--warmup",
      "50",
      "--ranef",
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("beta[(Intercept)]");
    expect(r.stdout).toContain("Psi[Batch][(Intercept),(Intercept)]");
    expect(r.stdout).toContain("b[Batch][A,(Intercept)]");
  });

  const bad: [string, string[], string][] = [
    ["a bad prior names the field", ["--priors", 'PRIORS:{"sigma2":{"shape":-1}}'], "`sigma2.shape`"],
    ["an unknown group in priors", ["--priors", 'PRIORS:{"psi":{"Subjects":{"df":3}}}'], "`psi.Subjects`"],
    ["priors that are not JSON", ["--priors", "PRIORS:{oops"], "not JSON"],
    ["a missing priors file", ["--priors", "/nonexistent/priors.json"], "no such file"],
    ["--iter 0", ["--iter", "0"], "--iter"],
    ["--chains x", ["--chains", "x"], "--chains"],
    ["an unknown flag", ["--iterations", "5"], "flag"],
    ["a draws file in a missing folder", ["--draws", "/nonexistent/folder/draws.csv"], "does not exist"],
  ];
  for (const [what, extra, needle] of bad)
    it(`exits 2 for ${what}`, async () => {
      const args = extra.map((a, i) => {
        if (!a.startsWith("PRIORS:")) return a;
        const file = join(dir, `bad${i}-${what.length}.json`);
        writeFileSync(file, a.slice(7));
        return file;
      });
      const r = await cli(
        "sample",
        "--data",
        sleep,
        "--formula",
        formula,
        "--iter",
        "10",
        "--warmup",
        "0",
        ...args,
      );
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain(needle);
    });
});

describe("bayes-lmm sample: too few draws for diagnostics", () => {
  it("prints NA where R-hat, ESS and MCSE are undefined, never NaN", async () => {
    const r = await cli("sample", "--data", sleep, "--formula", formula, "--iter", "3", "--chains", "1");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toContain("NaN");
    expect(r.stdout).toMatch(/^sigma2 .* NA +NA +NA +NA$/m);
  });
});
