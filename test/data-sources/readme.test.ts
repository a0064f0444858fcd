/**
 * The README's data-sources example, statement for statement (run from the repository root, as
 * the README's commands are), and its CLI command.
 */
import { createReadStream, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readCsvStream } from "../../src/data/csv-stream";
import { readParquet } from "../../src/data/parquet";
import { lmm } from "../../src/model/lmm";
import { readDataFile } from "../../src/node/data-file";
import { openDuckDb } from "../../src/node/duckdb";
import { cli } from "../helpers/cli";

describe("README: data sources", () => {
  it("the example runs and every source gives the CSV's model", async () => {
    const formula = "Reaction ~ Days + (Days | Subject)";
    const a = lmm(formula, await readDataFile("examples/sleepstudy.parquet"));
    const b = lmm(formula, await readParquet(readFileSync("examples/sleepstudy.parquet")));
    const c = lmm(formula, await readCsvStream(createReadStream("examples/sleepstudy.csv")));
    const db = await openDuckDb();
    const d = lmm(formula, await db.query("SELECT * FROM 'examples/sleepstudy.parquet' WHERE Days >= 2"));
    await db.close();
    const csv = lmm(formula, await readDataFile("examples/sleepstudy.csv"));
    for (const m of [a, b, c]) expect(m.X).toEqual(csv.X);
    expect(d.n).toBe(144);
  });

  it("bayes-lmm fit --data examples/sleepstudy.parquet prints the CSV's fit", async () => {
    const formula = "Reaction ~ Days + (Days | Subject)";
    const parquet = await cli("fit", "--data", "examples/sleepstudy.parquet", "--formula", formula);
    const csv = await cli("fit", "--data", "examples/sleepstudy.csv", "--formula", formula);
    expect(parquet.status).toBe(0);
    const noTime = (s: string) => s.replace(/[0-9.]+ s\b/g, "");
    expect(noTime(parquet.stdout)).toBe(noTime(csv.stdout));
  });

  it("the sufficient-statistics commands: sql prints the query, --duckdb fits the Parquet file", async () => {
    const formula = "Reaction ~ Days + (Days | Subject)";
    const sql = await cli("sql", "--formula", formula, "--table", "sleep");
    expect(sql.status).toBe(0);
    expect(sql.stdout).toMatch(/^SELECT "Subject" AS "g_0",/);
    const duck = await cli("fit", "--data", "examples/sleepstudy.parquet", "--duckdb", "--formula", formula);
    expect(duck.status, duck.stderr).toBe(0);
    expect(duck.stdout).toContain("REML criterion at convergence: 1743.6");
  });
});
