/**
 * Models through DuckDB (`sqlModel`): the fixture data sets as tables loaded from the CSV rows and as
 * their Parquet copies, each fixture formula fitted and sampled as its rows are; the query's text; what
 * cannot be pushed down refused naming the term; a result read back from a file (`--stats`).
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lmm } from "../../src/model/lmm";
import { openDuckDb } from "../../src/node/duckdb";
import { fitLmm } from "../../src/reml/fit";
import { sqlDesign, sqlModel } from "../../src/sql/model";
import { quoteString } from "../../src/sql/quote";
import type { SqlSource } from "../../src/sql/types";
import { fitDifference } from "../model/stats-helpers";
import { csvTable, loadTable, SOURCES } from "./helpers";
import { sqlModelTests } from "./sql-model-check";

const LOADED = ["sleepstudy", "Penicillin", "design_cases", "Dyestuff", "Pastes"];
let db: SqlSource;
beforeAll(async () => {
  db = await openDuckDb({ config: { threads: "2" } });
  for (const name of LOADED) await loadTable(db, name, csvTable(name));
  for (const name of ["Exam", "InstEval"])
    await db.query(
      `CREATE TABLE "${name}" AS SELECT * FROM read_parquet(${quoteString(join(SOURCES, `${name}.parquet`))})`,
    );
}, 120_000);
afterAll(async () => {
  await db.close();
});

describe("models through DuckDB", () => {
  sqlModelTests(
    "DuckDB",
    () => db,
    (data) => data,
  );

  it("reads Parquet where it lies (read_parquet in the FROM query)", async () => {
    const path = join(SOURCES, "sleepstudy.parquet");
    const { model, design } = await sqlModel(db, "Reaction ~ Days + (Days | Subject)", {
      from: { query: `SELECT * FROM read_parquet(${quoteString(path)})` },
    });
    expect(model.n).toBe(180);
    expect(design.sql).toContain('GROUP BY "Subject"');
  });

  it("refuses an expression of columns, naming it", async () => {
    await expect(
      sqlModel(db, "Reaction ~ log(Days + 1) + (1 | Subject)", { from: "sleepstudy" }),
    ).rejects.toThrow(/`log\(Days \+ 1\)`, which is not pushed into SQL/);
    expect(() => sqlDesign("Reaction ~ poly(Days, 2) + (1 | Subject)", { from: "sleepstudy" })).toThrow(
      /poly\(Days, 2\)/,
    );
  });

  it("codes factors under other contrasts, ordered factors and given level orders as lmm does", async () => {
    const formula = "y ~ x + a + b + (1 | g)";
    const options = { contrasts: { a: "sum" as const }, ordered: { b: true as const } };
    const rows = lmm(formula, csvTable("design_cases"), options);
    const { model } = await sqlModel(db, formula, { from: "design_cases", ...options });
    expect(model.fixedNames).toEqual(rows.fixedNames);
    expect(fitDifference(fitLmm(rows), fitLmm(model))).toBeLessThan(1e-10);
    const levels = { a: ["mid", "lo", "hi"] };
    const relevelled = lmm(formula, csvTable("design_cases"), { levels });
    const viaSql = (await sqlModel(db, formula, { from: "design_cases", levels })).model;
    expect(viaSql.fixedNames).toEqual(relevelled.fixedNames);
    expect(fitDifference(fitLmm(relevelled), fitLmm(viaSql))).toBeLessThan(1e-10);
  });

  it("names an unknown column", async () => {
    await expect(sqlModel(db, "Reaction ~ Dayz + (1 | Subject)", { from: "sleepstudy" })).rejects.toThrow(
      /unknown column `Dayz`/,
    );
  });
});
