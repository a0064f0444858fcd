/**
 * The CLI's data sources beyond --data: `bayes-lmm sql` (the query), `--stats FILE` (its result run
 * elsewhere, read back), `--duckdb` (a file aggregated where it lies); each fit equal to the fit of the
 * rows (1e-10), each sample's draws to 1e-9 for the same seed; bad combinations exit 2 with one line.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDuckDb } from "../../src/node/duckdb";
import { quoteString } from "../../src/sql/quote";
import type { SqlSource } from "../../src/sql/types";
import { SOURCES } from "../data-sources/helpers";
import { cli } from "../helpers/cli";
import { dataPath } from "../helpers/fixtures";

interface FitDoc {
  fixef: Record<string, number>;
  se: Record<string, number>;
  theta: number[];
  sigma: number;
  REMLcrit: number;
  nobs: number;
}

let dir: string;
let db: SqlSource;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "bayes-lmm-sources-"));
  db = await openDuckDb();
  for (const name of ["sleepstudy", "design_cases"])
    await db.query(
      `CREATE TABLE "${name}" AS SELECT * FROM read_parquet(${quoteString(join(SOURCES, `${name}.parquet`))})`,
    );
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

function expectSameFit(a: FitDoc, b: FitDoc): void {
  expect(b.nobs).toBe(a.nobs);
  expect(Object.keys(b.fixef)).toEqual(Object.keys(a.fixef));
  const close = (x: number, y: number): void => {
    expect(Math.abs(x - y) / Math.max(Math.abs(x), 1e-300)).toBeLessThan(1e-10);
  };
  for (const k of Object.keys(a.fixef)) {
    close(a.fixef[k]!, b.fixef[k]!);
    close(a.se[k]!, b.se[k]!);
  }
  a.theta.forEach((t, i) => {
    close(t, b.theta[i]!);
  });
  close(a.sigma, b.sigma);
  close(a.REMLcrit, b.REMLcrit);
}

/** `bayes-lmm sql`'s query run on DuckDB, its result written as `file` (COPY ... TO). */
async function statsFile(args: string[], file: string): Promise<string> {
  const q = await cli("sql", ...args);
  expect(q.status, q.stderr).toBe(0);
  const path = join(dir, file);
  const format = file.endsWith(".csv") ? "(HEADER, FORMAT CSV)" : "(FORMAT PARQUET)";
  await db.query(`COPY (${q.stdout}) TO ${quoteString(path)} ${format}`);
  return path;
}

describe("bayes-lmm sql and --stats", () => {
  const formula = "y ~ x * a + l + (1 | g) + (x | h)";
  const levels = ["--levels", "a=hi,lo,mid", "--levels", "l=FALSE,TRUE"];

  it("the query's result, read back from Parquet and from CSV, fits as the rows do", async () => {
    const rows = await cli("fit", "--data", dataPath("design_cases"), "--formula", formula, "--json");
    expect(rows.status, rows.stderr).toBe(0);
    for (const file of ["design.parquet", "design.csv"]) {
      const path = await statsFile(["--formula", formula, "--table", "design_cases", ...levels], file);
      const r = await cli("fit", "--stats", path, "--formula", formula, ...levels, "--json");
      expect(r.status, r.stderr).toBe(0);
      expectSameFit(JSON.parse(rows.stdout) as FitDoc, JSON.parse(r.stdout) as FitDoc);
    }
  });

  it("sample --stats draws what sample --data draws (same seed)", async () => {
    const f = "Reaction ~ Days + (Days | Subject)";
    const path = await statsFile(["--formula", f, "--table", "sleepstudy"], "sleep.parquet");
    const common = [
      "--formula",
      f,
      "--iter",
      "200",
      "--warmup",
      "100",
      "--chains",
      "2",
      "--seed",
      "5",
      "--json",
    ];
    const a = await cli("sample", "--data", dataPath("sleepstudy"), ...common);
    const b = await cli("sample", "--stats", path, ...common);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    const means = (s: string) =>
      (JSON.parse(s) as { parameters: { name: string; mean: number }[] }).parameters;
    const pa = means(a.stdout);
    const pb = means(b.stdout);
    expect(pb.map((p) => p.name)).toEqual(pa.map((p) => p.name));
    pa.forEach((p, i) => {
      expect(Math.abs(p.mean - pb[i]!.mean) / Math.max(Math.abs(p.mean), 1)).toBeLessThan(1e-9);
    });
  });

  it("refuses sums made with other levels, naming the column", async () => {
    const path = await statsFile(
      ["--formula", formula, "--table", "design_cases", ...levels],
      "other.parquet",
    );
    const r = await cli("fit", "--stats", path, "--formula", formula);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/this formula's query does not make/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("sql refuses an expression, naming it", async () => {
    const r = await cli("sql", "--formula", "y ~ log(x) + (1 | g)", "--table", "t");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/`log\(x\)`, which is not pushed into SQL/);
  });
});

describe("--duckdb and the source flags", () => {
  it("fit --duckdb on a Parquet file and on a CSV file fits as the rows do", async () => {
    const f = "Reaction ~ Days + (Days | Subject)";
    const rows = await cli("fit", "--data", dataPath("sleepstudy"), "--formula", f, "--json");
    for (const data of [join(SOURCES, "sleepstudy.parquet"), dataPath("sleepstudy")]) {
      const r = await cli("fit", "--data", data, "--duckdb", "--formula", f, "--json");
      expect(r.status, r.stderr).toBe(0);
      expectSameFit(JSON.parse(rows.stdout) as FitDoc, JSON.parse(r.stdout) as FitDoc);
    }
    const m = await cli("model", "--data", dataPath("sleepstudy"), "--duckdb", "--formula", f, "--json");
    expect(m.status, m.stderr).toBe(0);
    expect((JSON.parse(m.stdout) as { X_colsums: number[] }).X_colsums).toEqual([180, 810]);
  });

  it("exits 2 with one line for sources that do not go together", async () => {
    const f = ["--formula", "y ~ 1 + (1 | g)"];
    for (const args of [
      ["--data", "a.csv", "--stats", "b.csv"],
      ["--postgres", "postgresql://x@127.0.0.1:1/db"],
      ["--stats", "b.csv", "--duckdb"],
      ["--data", "a.csv", "--table", "t"],
      ["--data", "a.csv", "--levels", "a=x,y"],
      [],
    ]) {
      const r = await cli("fit", ...args, ...f);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });

  it("what needs rows is refused for a model from sums (loo-style pointwise output)", async () => {
    const f = "Reaction ~ Days + (Days | Subject)";
    const r = await cli(
      "sample",
      "--data",
      join(SOURCES, "sleepstudy.parquet"),
      "--duckdb",
      "--formula",
      f,
      "--iter",
      "20",
      "--warmup",
      "10",
      "--log-lik",
      join(dir, "ll.csv"),
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--log-lik \(the pointwise log-likelihood\) needs the model's rows/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
