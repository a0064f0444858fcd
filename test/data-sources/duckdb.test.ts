/**
 * DuckDB embedded: query results as typed columns equal to the CSV path's tables (reading the
 * Parquet fixtures, and tables loaded row by row), its type mapping, its errors, and the
 * grouped-sums queries against a direct computation in JavaScript (to 1e-10 relative).
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lmm } from "../../src/model/lmm";
import { openDuckDb } from "../../src/node/duckdb";
import { quoteString } from "../../src/sql/quote";
import type { SqlSource } from "../../src/sql/types";
import {
  csvTable,
  DATA_SETS,
  expectSameTable,
  loadTable,
  SOURCES,
  SUMS_CASES,
  selectLoaded,
  sumsCaseDifference,
} from "./helpers";

const LOADED = ["sleepstudy", "Penicillin", "design_cases"];
let db: SqlSource;
beforeAll(async () => {
  db = await openDuckDb({ config: { threads: "2" } });
  // Small sets are loaded row by row (INSERT ... VALUES); InstEval from its Parquet copy, which the
  // first tests show equal to the CSV (DuckDB parses 73k rows of VALUES slowly).
  for (const name of LOADED) await loadTable(db, name, csvTable(name));
  await db.query(
    `CREATE TABLE "InstEval" AS SELECT * FROM read_parquet(${quoteString(join(SOURCES, "InstEval.parquet"))})`,
  );
}, 120_000);
afterAll(async () => {
  await db.close();
});

describe("DuckDB query results", () => {
  it.each(DATA_SETS)("%s: read_parquet gives the CSV path's table", async (name) => {
    const t = await db.query(`SELECT * FROM read_parquet(${quoteString(join(SOURCES, `${name}.parquet`))})`);
    expectSameTable(t, csvTable(name));
  });

  it("tables loaded from the CSV tables read back equal (doubles, text, booleans, NULLs)", async () => {
    for (const name of LOADED)
      expectSameTable(await db.query(selectLoaded(name, csvTable(name))), csvTable(name));
  });

  it("maps DuckDB types as the other readers do", async () => {
    const t = await db.query(`SELECT * FROM read_parquet(${quoteString(join(SOURCES, "types.parquet"))})`);
    expect(t.column("dec")).toEqual({
      type: "numeric",
      values: Float64Array.from([0, 1.15, 2.3, 3.45, 4.6, 5.75, 6.9, 8.05, 9.2, 10.35]),
      missing: null,
    });
    expect(t.column("big")).toMatchObject({ type: "numeric" });
    expect(t.column("day")).toMatchObject({ type: "string", values: expect.arrayContaining(["2024-01-30"]) });
    expect(t.column("mood")).toMatchObject({ type: "string" });
    expect(t.column("flag")).toEqual({
      type: "logical",
      values: [null, false, true, null, true, false, null, false, true, null],
    });
    for (const name of ["ts", "list", "struct"]) expect(t.column(name)).toMatchObject({ type: "invalid" });
    const hugeint = await db.query("SELECT SUM(i)::HUGEINT AS h, COUNT(*) AS n FROM range(10) t(i)");
    expect(hugeint.column("h")).toEqual({ type: "numeric", values: Float64Array.from([45]), missing: null });
  });

  it("an unusable column fails only when a model uses it, naming it", async () => {
    const t = await db.query(
      "SELECT range::DOUBLE AS y, range % 3 AS g, TIMESTAMP '2024-01-01' AS ts FROM range(12)",
    );
    expect(lmm("y ~ 1 + (1 | g)", t).n).toBe(12);
    expect(() => lmm("y ~ ts + (1 | g)", t)).toThrow(/column `ts` has the DuckDB type TIMESTAMP/);
  });

  it("binds parameters and makes repeated names unique", async () => {
    const t = await db.query("SELECT $1::DOUBLE AS x, $2 AS x, $3::BOOLEAN AS b", [1.5, "a", true]);
    expect(t.names).toEqual(["x", "x.1", "b"]);
    expect(t.column("x.1")).toEqual({ type: "string", values: ["a"] });
  });

  it("results of several chunks (more than 2,048 rows) keep every row in order", async () => {
    const t = await db.query(
      "SELECT range::DOUBLE AS i, CASE WHEN range % 7 = 0 THEN NULL ELSE 'v' END AS s FROM range(5000)",
    );
    const i = t.column("i");
    expect(t.nrows).toBe(5000);
    expect(i).toMatchObject({ type: "numeric", missing: null });
    if (i?.type === "numeric") expect(i.values[4999]).toBe(4999);
    const s = t.column("s");
    if (s?.type === "string") expect(s.values.filter((v) => v === null)).toHaveLength(715);
  });

  it("a refused query is an LmmError (QUERY) with DuckDB's message", async () => {
    await expect(db.query("SELECT * FROM no_such_table")).rejects.toMatchObject({
      code: "QUERY",
      message: expect.stringMatching(
        /^DuckDB refused the query: Catalog Error: Table with name no_such_table does not exist\.$/,
      ),
    });
  });
});

describe("grouped sums on DuckDB equal the sums computed in JavaScript", () => {
  it.each(SUMS_CASES.map((c, i) => [`${c.data} by ${c.groupBy.join(" × ") || "nothing"}`, i] as const))(
    "%s",
    async (_, i) => {
      const c = SUMS_CASES[i]!;
      expect(await sumsCaseDifference(db, c, c.data)).toBeLessThan(1e-10);
    },
  );

  it("runs on a Parquet file in place (FROM a query)", async () => {
    const c = SUMS_CASES[0]!;
    const path = join(SOURCES, "sleepstudy.parquet");
    const viaFile = await db.query(
      `CREATE OR REPLACE VIEW sleep_file AS SELECT * FROM read_parquet(${quoteString(path)})`,
    );
    expect(viaFile.nrows).toBeGreaterThanOrEqual(0);
    expect(await sumsCaseDifference(db, c, "sleep_file")).toBeLessThan(1e-10);
  });
});
