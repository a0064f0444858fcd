/**
 * `bayes-lmm loo` and `sample --log-lik` as CLI.md says: JSON keys, the comparison best first, the
 * numbers equal to the library's on the same seed, the leave-out flags (--by, --form), Chib's
 * marginal likelihood (--marginal-likelihood), the log-likelihood draws CSV, and exit status 2 with
 * one line for every refused unit.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loo } from "../../diagnostics/loo/loo";
import { gibbs } from "../../samplers/gibbs";
import { parseCsv } from "../../src/data/csv";
import { logLikMatrix, pointwiseLogLik } from "../../src/loglik/pointwise";
import { lmm } from "../../src/model/lmm";
import { readDrawsCsv } from "../../src/node/draws-file";
import { cli } from "../helpers/cli";
import { dataPath } from "../helpers/fixtures";

const dir = mkdtempSync(join(tmpdir(), "bayes-lmm-loo-"));
const sleep = dataPath("sleepstudy");
const slope = "Reaction ~ Days + (Days | Subject)";
const intercept = "Reaction ~ Days + (1 | Subject)";
const quick = ["--iter", "400", "--warmup", "200", "--chains", "2", "--seed", "5"];

describe("bayes-lmm loo", () => {
  it("--json: CLI.md's keys; two formulas compared best first; the library's numbers on the same seed", async () => {
    const r = await cli(
      "loo",
      "--data",
      sleep,
      "--formula",
      slope,
      "--formula",
      intercept,
      ...quick,
      "--json",
    );
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      models: Record<string, unknown>[];
      comparison: { formula: string; elpd_diff: number; se_diff: number }[];
    };
    expect(doc.models).toHaveLength(2);
    for (const m of doc.models) {
      for (const key of [
        "formula",
        "by",
        "elpd_loo",
        "se_elpd_loo",
        "p_loo",
        "se_p_loo",
        "looic",
        "se_looic",
        "elpd_waic",
        "p_waic",
        "waic",
        "pareto_k",
        "n_bad_k",
      ])
        expect(m, key).toHaveProperty(key);
      expect(m["by"]).toBe("Subject"); // grouped data: leave one Subject out by default
      expect(m["form"]).toBe("marginal");
      expect(m["pareto_k"] as number[]).toHaveLength(18);
      expect(m["n_bad_k"]).toBe((m["pareto_k"] as number[]).filter((k) => k > 0.7).length);
    }
    expect(doc.comparison.map((c) => c.formula)).toEqual([slope, intercept]);
    expect(doc.comparison[0]).toEqual({ formula: slope, elpd_diff: 0, se_diff: 0 });
    expect(doc.comparison[1]!.elpd_diff).toBeLessThan(0);

    const model = lmm(slope, parseCsv(readFileSync(sleep, "utf8")));
    const post = await gibbs(model, { iter: 400, warmup: 200, chains: 2, seed: 5 });
    const ours = loo(pointwiseLogLik(model, post, { by: "Subject" }));
    expect(doc.models[0]!["elpd_loo"]).toBe(ours.elpd_loo);
    expect(doc.models[0]!["se_elpd_loo"]).toBe(ours.se_elpd_loo);
  });

  it("text output: the estimates, the Pareto k classes and the comparison table", async () => {
    const r = await cli(
      "loo",
      "--data",
      sleep,
      "--formula",
      slope,
      "--formula",
      intercept,
      "--by",
      "rows",
      ...quick,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("leave one row out");
    expect(r.stdout).toMatch(/elpd_loo\s+-\d+\.\d\s+\d+\.\d/);
    expect(r.stdout).toContain("Pareto k:");
    expect(r.stdout).toMatch(/model\s+elpd_diff\s+se_diff/);
  });

  it("--by rows --form conditional, --by GROUP --form conditional, and --marginal-likelihood with Bayes factors", async () => {
    const rows = await cli(
      "loo",
      "--data",
      sleep,
      "--formula",
      intercept,
      "--by",
      "rows",
      "--form",
      "conditional",
      ...quick,
      "--json",
    );
    expect(rows.status, rows.stderr).toBe(0);
    const m = (JSON.parse(rows.stdout) as { models: Record<string, unknown>[] }).models[0]!;
    expect(m["by"]).toBe("rows");
    expect(m["pareto_k"] as number[]).toHaveLength(180);

    const grouped = await cli(
      "loo",
      "--data",
      sleep,
      "--formula",
      intercept,
      "--by",
      "Subject",
      "--form",
      "conditional",
      ...quick,
      "--json",
    );
    expect(grouped.status, grouped.stderr).toBe(0);
    expect((JSON.parse(grouped.stdout) as { models: Record<string, unknown>[] }).models[0]!["form"]).toBe(
      "conditional",
    );

    const ml = await cli(
      "loo",
      "--data",
      sleep,
      "--formula",
      slope,
      "--formula",
      intercept,
      ...quick,
      "--marginal-likelihood",
      "--json",
    );
    expect(ml.status, ml.stderr).toBe(0);
    const doc = JSON.parse(ml.stdout) as {
      models: Record<string, number>[];
      bayes_factors: { formula: string; against: string; log_bayes_factor: number; mcse: number }[];
    };
    expect(Number.isFinite(doc.models[0]!["log_marginal_likelihood"])).toBe(true);
    expect(doc.bayes_factors[0]!.formula).toBe(intercept);
    expect(doc.bayes_factors[0]!.against).toBe(slope);
    expect(doc.bayes_factors[0]!.log_bayes_factor).toBeCloseTo(
      doc.models[1]!["log_marginal_likelihood"]! - doc.models[0]!["log_marginal_likelihood"]!,
      10,
    );
  });

  it("refused units and incomparable models: exit 2 with one line naming the problem", async () => {
    const cases: [string[], RegExp][] = [
      [["--formula", slope, "--by", "Days"], /grouping factor of the model \(`Subject`\)/],
      [["--formula", slope, "--by", "rows", "--form", "marginal"], /no row-wise marginal log-likelihood/],
      [["--formula", slope, "--form", "joint"], /--form/],
    ];
    for (const [args, message] of cases) {
      const r = await cli("loo", "--data", sleep, ...args, ...quick);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    // Formulas that drop different rows (a missing value in a column only one uses).
    const lines = readFileSync(sleep, "utf8").trim().split("\n");
    const withExtra = [`${lines[0]},"x"`, ...lines.slice(1).map((l, i) => `${l},${i === 3 ? "NA" : i % 7}`)];
    const file = join(dir, "extra.csv");
    writeFileSync(file, `${withExtra.join("\n")}\n`);
    const r = await cli(
      "loo",
      "--data",
      file,
      "--formula",
      intercept,
      "--formula",
      "Reaction ~ Days + x + (1 | Subject)",
      ...quick,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/same rows of the data/);
    const repeated = await cli("loo", "--data", sleep, "--formula", slope, "--formula", slope, ...quick);
    expect(repeated.status).toBe(2);
    expect(repeated.stderr).toMatch(/must not repeat a formula/);
  });

  it("--help lists the flags", async () => {
    const r = await cli("loo", "--help");
    expect(r.status).toBe(0);
    for (const flag of ["--formula", "--by", "--form", "--marginal-likelihood", "--json", "--iter"])
      expect(r.stdout).toContain(flag);
    const top = await cli("--help");
    expect(top.stdout).toMatch(/^\s+loo\s/m);
  });
});

describe("bayes-lmm sample --log-lik", () => {
  it("writes log_lik[1..N] as a draws CSV equal to logLikMatrix() on the same seed; --by picks the unit", async () => {
    const file = join(dir, "ll.csv");
    const r = await cli(
      "sample",
      "--data",
      sleep,
      "--formula",
      slope,
      ...quick,
      "--log-lik",
      file,
      "--by",
      "rows",
    );
    expect(r.status, r.stderr).toBe(0);
    const read = readDrawsCsv(file);
    expect(read.parameters).toHaveLength(180);
    expect(read.parameters[0]).toBe("log_lik[1]");
    expect(read.chains).toBe(2);
    expect(read.iterations).toBe(400);
    const model = lmm(slope, parseCsv(readFileSync(sleep, "utf8")));
    const post = await gibbs(model, { iter: 400, warmup: 200, chains: 2, seed: 5 });
    expect(Array.from(read.values)).toEqual(Array.from(logLikMatrix(model, post, { by: "rows" }).values));

    const grouped = join(dir, "ll-subject.csv");
    const g = await cli("sample", "--data", sleep, "--formula", slope, ...quick, "--log-lik", grouped);
    expect(g.status, g.stderr).toBe(0);
    expect(readDrawsCsv(grouped).parameters).toHaveLength(18); // default: leave one Subject out
    const conditional = join(dir, "ll-subject-conditional.csv");
    const c = await cli(
      "sample",
      "--data",
      sleep,
      "--formula",
      slope,
      ...quick,
      "--log-lik",
      conditional,
      "--by",
      "Subject",
      "--form",
      "conditional",
    );
    expect(c.status, c.stderr).toBe(0);
    const summed = logLikMatrix(model, post, { by: "Subject", form: "conditional" });
    expect(Array.from(readDrawsCsv(conditional).values)).toEqual(Array.from(summed.values));
  });

  it("a bad unit fails before sampling; --help documents --log-lik, --by and --form", async () => {
    const r = await cli(
      "sample",
      "--data",
      sleep,
      "--formula",
      slope,
      ...quick,
      "--log-lik",
      join(dir, "x.csv"),
      "--by",
      "Nope",
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--by|`by`/);
    const help = await cli("sample", "--help");
    for (const flag of ["--log-lik", "--by", "--form"]) expect(help.stdout).toContain(flag);
  });
});
