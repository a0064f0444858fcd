/**
 * The SQL writer: quoting that survives hostile names (run on DuckDB), the query's text and its
 * result columns, NULL rows left out, and typed errors for what cannot be written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDuckDb } from "../../src/node/duckdb";
import { expressionColumns, expressionSql } from "../../src/sql/expression";
import { groupedSumsQuery } from "../../src/sql/grouped-sums";
import { doubleLiteral, quoteIdentifier, quoteString } from "../../src/sql/quote";
import type { SqlSource } from "../../src/sql/types";

describe("quoting", () => {
  it("doubles quotes and refuses what cannot be quoted", () => {
    expect(quoteIdentifier('my "x"')).toBe('"my ""x"""');
    expect(quoteString("O'Brien")).toBe("'O''Brien'");
    expect(doubleLiteral(0.1)).toBe("CAST(0.1 AS DOUBLE PRECISION)");
    expect(doubleLiteral(-2.5e-300)).toBe("CAST((-2.5e-300) AS DOUBLE PRECISION)");
    expect(doubleLiteral(-0)).toBe("CAST(0 AS DOUBLE PRECISION)");
    expect(() => quoteIdentifier("")).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    expect(() => quoteIdentifier("a\u0000b")).toThrow(/without NUL/);
    expect(() => quoteString("a\u0000")).toThrow(/without NUL/);
    expect(() => doubleLiteral(Number.NaN)).toThrow(/finite/);
  });
});

describe("expressions", () => {
  it("folds constants in products and lists the columns read", () => {
    const x = { kind: "column", name: "x" } as const;
    expect(expressionSql({ kind: "product", factors: [{ kind: "constant", value: 1 }, x] })).toBe(
      'CAST("x" AS DOUBLE PRECISION)',
    );
    expect(expressionSql({ kind: "product", factors: [] })).toBe("CAST(1 AS DOUBLE PRECISION)");
    expect(expressionSql({ kind: "indicator", name: "g", level: 2.5 })).toBe(
      'CASE WHEN CAST("g" AS DOUBLE PRECISION) = CAST(2.5 AS DOUBLE PRECISION) THEN CAST(1 AS DOUBLE PRECISION) ELSE CAST(0 AS DOUBLE PRECISION) END',
    );
    expect(
      expressionColumns({ kind: "product", factors: [x, { kind: "indicator", name: "g", level: "a" }, x] }),
    ).toEqual(["x", "g"]);
    expect(() => expressionSql({ kind: "sqrt", name: "x" } as never)).toThrow(/must be "column", "constant"/);
    expect(() => expressionSql({ kind: "indicator", name: "g", level: {} as never })).toThrow(
      /`expression\[0\].level` must be a string, number or boolean/,
    );
  });
});

describe("groupedSumsQuery", () => {
  it("writes COUNT, sums and cross-products per group, with fixed aliases", () => {
    const q = groupedSumsQuery({
      from: ["main", "sleep"],
      groupBy: ["Subject"],
      columns: [
        { name: "(Intercept)", expression: { kind: "constant", value: 1 } },
        { name: "Days", expression: { kind: "column", name: "Days" } },
      ],
    });
    expect(q.sql).toBe(
      [
        'SELECT "Subject" AS "g_0",',
        '       COUNT(*) AS "n",',
        '       SUM((CAST(1 AS DOUBLE PRECISION))) AS "s_0",',
        '       SUM((CAST("Days" AS DOUBLE PRECISION))) AS "s_1",',
        '       SUM((CAST(1 AS DOUBLE PRECISION)) * (CAST(1 AS DOUBLE PRECISION))) AS "s_0_0",',
        '       SUM((CAST(1 AS DOUBLE PRECISION)) * (CAST("Days" AS DOUBLE PRECISION))) AS "s_0_1",',
        '       SUM((CAST("Days" AS DOUBLE PRECISION)) * (CAST("Days" AS DOUBLE PRECISION))) AS "s_1_1"',
        'FROM "main"."sleep"',
        'WHERE "Subject" IS NOT NULL',
        '  AND "Days" IS NOT NULL',
        'GROUP BY "Subject"',
        'ORDER BY "Subject"',
        "",
      ].join("\n"),
    );
    expect(q.groups).toEqual([{ alias: "g_0", column: "Subject" }]);
    expect(q.products.map((p) => p.alias)).toEqual(["s_0_0", "s_0_1", "s_1_1"]);
  });

  it("explicit products are ordered i ≤ j, once; bad indices are refused", () => {
    const columns = [
      { name: "a", expression: { kind: "column", name: "a" } as const },
      { name: "b", expression: { kind: "column", name: "b" } as const },
    ];
    const q = groupedSumsQuery({
      from: "t",
      groupBy: [],
      columns,
      products: [
        [1, 0],
        [0, 1],
      ],
      sums: false,
    });
    expect(q.products).toEqual([{ alias: "s_0_1", i: 0, j: 1 }]);
    expect(q.sums).toEqual([]);
    expect(q.sql).not.toMatch(/GROUP BY/);
    expect(() => groupedSumsQuery({ from: "t", groupBy: [], columns, products: [[0, 2]] })).toThrow(
      /`spec.products\[0\]` must be two column indices from 0 to 1/,
    );
    expect(() => groupedSumsQuery({ from: { query: " " }, groupBy: [], columns })).toThrow(/spec.from.query/);
    expect(() => groupedSumsQuery({ from: [], groupBy: [], columns })).toThrow(/must name a table/);
  });

  describe("on DuckDB", () => {
    let db: SqlSource;
    beforeAll(async () => {
      db = await openDuckDb();
    });
    afterAll(async () => {
      await db.close();
    });

    it("names with quotes, semicolons and comments are columns, not SQL", async () => {
      const y = `y"; DROP TABLE "t"; --`;
      const g = "g'); DELETE FROM t; --";
      await db.query(
        `CREATE TABLE "t" (${quoteIdentifier(y)} DOUBLE, ${quoteIdentifier(g)} VARCHAR, "x" DOUBLE)`,
      );
      await db.query(
        `INSERT INTO "t" VALUES (1, ${quoteString("a'b")}, 2), (3, ${quoteString("a'b")}, NULL), (5, NULL, 1), (7, 'c', 4)`,
      );
      const q = groupedSumsQuery({
        from: "t",
        groupBy: [g],
        columns: [
          { name: "y", expression: { kind: "column", name: y } },
          { name: "x", expression: { kind: "column", name: "x" } },
          { name: "ab", expression: { kind: "indicator", name: g, level: "a'b" } },
        ],
      });
      const r = await db.query(q.sql);
      // Rows with NULL in g or x are left out: (1, a'b, 2) and (7, c, 4) remain.
      expect(r.column("g_0")).toEqual({ type: "string", values: ["a'b", "c"] });
      expect(r.column("n")).toEqual({ type: "numeric", values: Float64Array.from([1, 1]), missing: null });
      expect(r.column("s_0_1")).toEqual({
        type: "numeric",
        values: Float64Array.from([2, 28]),
        missing: null,
      });
      expect(r.column("s_2")).toEqual({ type: "numeric", values: Float64Array.from([1, 0]), missing: null });
      expect((await db.query('SELECT COUNT(*) AS n FROM "t"')).column("n")).toMatchObject({
        values: Float64Array.from([4]),
      });
    });

    it("FROM a query runs in place", async () => {
      const q = groupedSumsQuery({
        from: { query: "SELECT range % 3 AS g, range::DOUBLE AS x FROM range(9)" },
        groupBy: ["g"],
        columns: [{ name: "x", expression: { kind: "column", name: "x" } }],
      });
      const r = await db.query(q.sql);
      expect(r.column("s_0")).toEqual({
        type: "numeric",
        values: Float64Array.from([9, 12, 15]),
        missing: null,
      });
      expect(r.column("s_0_0")).toEqual({
        type: "numeric",
        values: Float64Array.from([45, 66, 93]),
        missing: null,
      });
    });
  });
});
