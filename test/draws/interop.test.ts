/**
 * `bayes-lmm diagnose` reads draws as other tools write them (test/fixtures/draws-interop, made by
 * make.R with R 4.2.2, rstan 2.21.7 and posterior 1.4.0): Stan's CSV files (CmdStan's layout — one
 * file per chain, `#` comments, saved warmup rows, lp__ and the sampler's __ columns, names like
 * beta.1), R's `write.csv` of a draws_df (a row-name column), and that file read back by
 * `read.csv` and written again (check.names turns `beta[1]` into `beta.1.`, and the row names
 * become a column X). Each gives posterior's summaries of the same draws.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DIAGNOSE_MEASURES, summarizeDraws } from "../../diagnostics/summarize";
import { parameterName } from "../../src/draws/csv";
import { readDrawsCsv, readDrawsFiles } from "../../src/node/draws-file";
import { cli } from "../helpers/cli";
import { FIXTURES, readJsonFixture } from "../helpers/fixtures";

type Row = Record<string, number | string>;
const expected = readJsonFixture<{ summary: Row[]; summary_stan_csv: Row[]; variables: string[] }>(
  "draws-interop/expected.json",
);
const file = (name: string) => join(FIXTURES, "draws-interop", name);
const MEASURES = [
  "mean",
  "median",
  "sd",
  "mad",
  "q5",
  "q95",
  "rhat",
  "ess_bulk",
  "ess_tail",
  "mcse_mean",
  "mcse_sd",
];

/** Our summary against posterior's, measure by measure, to a relative tolerance. */
function expectSummary(draws: ReturnType<typeof readDrawsCsv>, reference: Row[], tolerance: number): void {
  const ours = summarizeDraws(draws, MEASURES);
  for (const ref of reference) {
    const row = ours.rows.find((r) => r.parameter === ref["variable"]);
    expect(row, String(ref["variable"])).toBeDefined();
    for (const m of MEASURES) {
      const want = ref[m] as number;
      const got = row!.values[m]!;
      expect(Math.abs(got - want), `${ref["variable"]} ${m}: ${got} vs ${want}`).toBeLessThanOrEqual(
        tolerance * Math.max(1, Math.abs(want)),
      );
    }
  }
}

describe("Stan / CmdStan CSV", () => {
  it("two files are two chains: warmup rows dropped, __ columns left out, lp__ kept, beta.1 read as beta[1]", () => {
    const { draws, format, warnings } = readDrawsFiles([file("stan_chain1.csv"), file("stan_chain2.csv")]);
    expect(format).toBe("cmdstan");
    expect(warnings).toEqual([]);
    expect([draws.chains, draws.iterations]).toEqual([2, 400]);
    expect([...draws.parameters].sort()).toEqual([...expected.variables].sort());
    // posterior's numbers of the same files as rstan reads them (6 significant digits in the file)
    expectSummary(draws, expected.summary_stan_csv, 1e-9);
  });
  it("one file is one chain", () => {
    const draws = readDrawsCsv(file("stan_chain1.csv"));
    expect([draws.chains, draws.iterations]).toEqual([1, 400]);
  });
  it("names: CmdStan's dots become brackets; R's check.names mangling is undone", () => {
    expect(parameterName("beta.1", true)).toBe("beta[1]");
    expect(parameterName("Sigma.2.1", true)).toBe("Sigma[2,1]");
    expect(parameterName("beta.1", false)).toBe("beta.1"); // a draws_df may have such a name
    expect(parameterName("beta.1.", false)).toBe("beta[1]");
    expect(parameterName("sigma", true)).toBe("sigma");
    expect(parameterName("b.Subject..308.Days.", false)).toBe("b.Subject..308.Days.");
  });
});

describe("R's write.csv of a draws_df", () => {
  it("reads with its row-name column dropped: posterior's summaries to 1e-12", () => {
    const draws = readDrawsCsv(file("write_csv_draws_df.csv"));
    expect([draws.chains, draws.iterations]).toEqual([2, 400]);
    expectSummary(draws, expected.summary, 1e-12);
  });
  it("read.csv + write.csv again: the row-name column X is dropped and beta.1. is beta[1]", () => {
    const draws = readDrawsCsv(file("mangled.csv"));
    expect(draws.parameters).toEqual(["beta[1]", "beta[2]", "sigma", "beta_sum", "lp__"]);
    expectSummary(draws, expected.summary, 1e-12);
  });
  it("a leading column X that is not 1, 2, ... is a parameter", async () => {
    const { parseDrawsCsv } = await import("../../src/draws/csv");
    const d = parseDrawsCsv("X,mu,.chain,.iteration\n5,1,1,1\n7,2,1,2\n");
    expect(d.parameters).toEqual(["X", "mu"]);
    expect(Array.from(d.values)).toEqual([5, 7, 1, 2]);
  });
});

describe("bayes-lmm diagnose on them", () => {
  it("--draws twice reads CmdStan's two files as two chains", async () => {
    const r = await cli(
      "diagnose",
      "--draws",
      file("stan_chain1.csv"),
      "--draws",
      file("stan_chain2.csv"),
      "--json",
    );
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      chains: number;
      iterations: number;
      parameters: { name: string }[];
    };
    expect([doc.chains, doc.iterations]).toEqual([2, 400]);
    expect(doc.parameters.map((p) => p.name)).toContain("beta[1]");
    expect(Object.keys(doc.parameters[0]!)).toEqual(["name", ...DIAGNOSE_MEASURES]);
  });
  it("files with different parameters are refused, naming the file", async () => {
    const r = await cli(
      "diagnose",
      "--draws",
      file("stan_chain1.csv"),
      "--draws",
      file("write_csv_draws_df.csv"),
    );
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/mix CmdStan CSV and draws_df|does not have the parameters/);
  });
});
