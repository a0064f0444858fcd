/**
 * Shared by the data-source tests: the fixture data sets, table equality, loading a table into a
 * database (DuckDB or PostgreSQL) with the package's own quoting, and a direct JavaScript
 * computation of grouped sums (the oracle the SQL results are checked against).
 */
import { join } from "node:path";
import { expect } from "vitest";
import type { DataTable } from "../../src/data/table";
import type { Column } from "../../src/data/types";
import { readCsvFile } from "../../src/node/data-file";
import { expressionColumns, type SqlExpression } from "../../src/sql/expression";
import { groupedSumsQuery } from "../../src/sql/grouped-sums";
import { doubleLiteral, quoteIdentifier, quoteString } from "../../src/sql/quote";
import type { SqlSource } from "../../src/sql/types";
import { dataPath, FIXTURES } from "../helpers/fixtures";

/** The CSV fixtures that have a Parquet copy in test/fixtures/data-sources. */
export const DATA_SETS = [
  "sleepstudy",
  "Penicillin",
  "InstEval",
  "design_cases",
  "Dyestuff",
  "Pastes",
  "Exam",
] as const;

export const SOURCES = join(FIXTURES, "data-sources");

/** A fixture as the in-memory CSV path reads it. */
export function csvTable(name: string): DataTable {
  let table = read.get(name);
  if (table === undefined) {
    table = readCsvFile(dataPath(name));
    read.set(name, table);
  }
  return table;
}
const read = new Map<string, DataTable>();

/** The rows of a table made by `loadTable`, in their order, without ROW. */
export function selectLoaded(name: string, table: DataTable): string {
  return `SELECT ${table.names.map((n) => quoteIdentifier(n)).join(", ")} FROM ${quoteIdentifier(name)} ORDER BY ${ROW}`;
}

/** Where two columns differ (type, length, first differing row), or `undefined` when equal. */
export function columnDifference(a: Column | undefined, b: Column | undefined): string | undefined {
  if (a === undefined || b === undefined) return a === b ? undefined : "one column is missing";
  if (a.type !== b.type) return `type ${a.type} vs ${b.type}`;
  if (a.type === "invalid" || b.type === "invalid") return a.type === b.type ? undefined : "invalid";
  if (a.values.length !== b.values.length) return `length ${a.values.length} vs ${b.values.length}`;
  const am = a.type === "numeric" ? a.missing : null;
  const bm = b.type === "numeric" ? b.missing : null;
  if ((am === null) !== (bm === null))
    return `missing mask ${am === null ? "absent" : "present"} vs ${bm === null ? "absent" : "present"}`;
  for (let i = 0; i < a.values.length; i++) {
    if (!Object.is(a.values[i], b.values[i]))
      return `row ${i + 1}: ${String(a.values[i])} vs ${String(b.values[i])}`;
    if (am !== null && am[i] !== bm![i]) return `row ${i + 1}: missing ${am[i]} vs ${bm![i]}`;
  }
  return undefined;
}

/** Same names, rows, and every column equal (types, every value bit for bit, missing masks). */
export function expectSameTable(actual: DataTable, expected: DataTable): void {
  expect(actual.names).toEqual(expected.names);
  expect(actual.nrows).toBe(expected.nrows);
  for (const name of expected.names)
    expect(columnDifference(actual.column(name), expected.column(name)), name).toBeUndefined();
}

function sqlType(column: Column): string {
  if (column.type === "numeric") return "DOUBLE PRECISION";
  if (column.type === "logical") return "BOOLEAN";
  if (column.type === "string") return "VARCHAR";
  throw new Error(`cannot store an invalid column: ${column.reason}`);
}

function literal(column: Column, i: number): string {
  if (column.type === "numeric") return column.missing?.[i] === 1 ? "NULL" : doubleLiteral(column.values[i]!);
  if (column.type === "invalid") return "NULL";
  const v = column.values[i];
  if (v === null || v === undefined) return "NULL";
  return typeof v === "boolean" ? (v ? "TRUE" : "FALSE") : quoteString(v);
}

/** The column `loadTable` adds: the row's 1-based position (SQL tables have no order of their own). */
export const ROW = "bayes_lmm_row";

/** Creates table `name` in the database holding `table`'s columns and ROW (batches of INSERT ... VALUES). */
export async function loadTable(db: SqlSource, name: string, table: DataTable): Promise<void> {
  const columns = table.names.map((n) => table.column(n)!);
  await db.query(`DROP TABLE IF EXISTS ${quoteIdentifier(name)}`);
  await db.query(
    `CREATE TABLE ${quoteIdentifier(name)} (${ROW} INTEGER, ${table.names.map((n, j) => `${quoteIdentifier(n)} ${sqlType(columns[j]!)}`).join(", ")})`,
  );
  for (let start = 0; start < table.nrows; start += 2000) {
    const rows: string[] = [];
    for (let i = start; i < Math.min(table.nrows, start + 2000); i++)
      rows.push(`(${i + 1}, ${columns.map((c) => literal(c, i)).join(", ")})`);
    await db.query(`INSERT INTO ${quoteIdentifier(name)} VALUES ${rows.join(", ")}`);
  }
}

/** One grouped-sums case: a data set, its level columns, its column expressions. */
export interface SumsCase {
  readonly data: string;
  readonly groupBy: readonly string[];
  readonly columns: readonly { readonly name: string; readonly expression: SqlExpression }[];
}

const col = (name: string): SqlExpression => ({ kind: "column", name });
const one: SqlExpression = { kind: "constant", value: 1 };
const ind = (name: string, level: string | number | boolean): SqlExpression => ({
  kind: "indicator",
  name,
  level,
});

/** The model blocks of the lme4 fixtures, and crossed cells. */
export const SUMS_CASES: readonly SumsCase[] = [
  // Reaction ~ Days + (Days | Subject): X = Z_j = [1, Days], y = Reaction.
  {
    data: "sleepstudy",
    groupBy: ["Subject"],
    columns: [
      { name: "(Intercept)", expression: one },
      { name: "Days", expression: col("Days") },
      { name: "Reaction", expression: col("Reaction") },
    ],
  },
  // Totals (no grouping): X'X, X'y, y'y of the whole data.
  {
    data: "sleepstudy",
    groupBy: [],
    columns: [
      { name: "Days", expression: col("Days") },
      { name: "Reaction", expression: col("Reaction") },
      { name: "Days^2", expression: { kind: "product", factors: [col("Days"), col("Days")] } },
    ],
  },
  // diameter ~ 1 + (1 | plate) + (1 | sample): per crossed cell plate × sample.
  {
    data: "Penicillin",
    groupBy: ["plate", "sample"],
    columns: [
      { name: "(Intercept)", expression: one },
      { name: "diameter", expression: col("diameter") },
    ],
  },
  // y ~ service + (1 | s) + (1 | d) + (1 | dept:service), with studage as treatment contrasts.
  {
    data: "InstEval",
    groupBy: ["d"],
    columns: [
      { name: "(Intercept)", expression: one },
      { name: "service", expression: col("service") },
      { name: "studage4", expression: ind("studage", 4) },
      { name: "studage6", expression: ind("studage", 6) },
      { name: "studage8", expression: ind("studage", 8) },
      { name: "y", expression: col("y") },
    ],
  },
  {
    data: "InstEval",
    groupBy: ["dept", "service"],
    columns: [
      { name: "(Intercept)", expression: one },
      { name: "y", expression: col("y") },
    ],
  },
  // Factors, a logical, missing values, an interaction: design_cases.
  {
    data: "design_cases",
    groupBy: ["g", "h"],
    columns: [
      { name: "(Intercept)", expression: one },
      { name: "x", expression: col("x") },
      { name: "amid", expression: ind("a", "mid") },
      { name: "lTRUE", expression: ind("l", true) },
      { name: "x:amid", expression: { kind: "product", factors: [col("x"), ind("a", "mid")] } },
      {
        name: "2.5z",
        expression: { kind: "product", factors: [{ kind: "constant", value: 2.5 }, col("z")] },
      },
      { name: "y", expression: col("y") },
    ],
  },
];

/** A grouped-sums row: the group's key values, n, and sums by alias. */
export interface SumsRow {
  readonly key: string;
  readonly n: number;
  readonly sums: Readonly<Record<string, number>>;
}

function evaluate(e: SqlExpression, table: DataTable, i: number): number {
  switch (e.kind) {
    case "constant":
      return e.value;
    case "column": {
      const c = table.column(e.name)!;
      if (c.type !== "numeric") throw new Error(`${e.name} is not numeric`);
      return c.values[i]!;
    }
    case "indicator": {
      const c = table.column(e.name)!;
      const v = c.type === "invalid" ? null : c.values[i];
      return v === e.level ? 1 : 0;
    }
    case "product":
      return e.factors.reduce((p, f) => p * evaluate(f, table, i), 1);
    case "recode": {
      const c = table.column(e.name)!;
      const v = c.type === "invalid" ? null : c.values[i];
      const k = e.levels.indexOf(v as string | number | boolean);
      return k < 0 ? 0 : e.values[k]!;
    }
  }
}

function isMissing(table: DataTable, name: string, i: number): boolean {
  const c = table.column(name)!;
  if (c.type === "numeric") return c.missing?.[i] === 1;
  if (c.type === "invalid") return true;
  return c.values[i] === null;
}

function keyValue(table: DataTable, name: string, i: number): string {
  const c = table.column(name)!;
  return c.type === "invalid" ? "" : String(c.values[i]);
}

/** Grouped sums computed directly from the rows (rows with a missing used value left out). */
export function sumsInJs(table: DataTable, c: SumsCase, used: readonly string[]): Map<string, SumsRow> {
  const k = c.columns.length;
  const out = new Map<string, { n: number; sums: Record<string, number> }>();
  for (let i = 0; i < table.nrows; i++) {
    if (used.some((name) => isMissing(table, name, i))) continue;
    const key = JSON.stringify(c.groupBy.map((g) => keyValue(table, g, i)));
    let row = out.get(key);
    if (row === undefined) {
      row = { n: 0, sums: {} };
      out.set(key, row);
    }
    row.n++;
    const e = c.columns.map((col) => evaluate(col.expression, table, i));
    for (let a = 0; a < k; a++) {
      row.sums[`s_${a}`] = (row.sums[`s_${a}`] ?? 0) + e[a]!;
      for (let b = a; b < k; b++) row.sums[`s_${a}_${b}`] = (row.sums[`s_${a}_${b}`] ?? 0) + e[a]! * e[b]!;
    }
  }
  return new Map([...out].map(([key, r]) => [key, { key, n: r.n, sums: r.sums }]));
}

/** The rows of a grouped-sums result table, keyed as `sumsInJs` keys them. */
export function sumsFromResult(result: DataTable, groups: readonly string[]): Map<string, SumsRow> {
  const out = new Map<string, SumsRow>();
  const n = result.column("n")!;
  if (n.type !== "numeric") throw new Error("n is not numeric");
  const sumNames = result.names.filter((name) => name.startsWith("s_"));
  for (let i = 0; i < result.nrows; i++) {
    const key = JSON.stringify(groups.map((g) => keyValue(result, g, i)));
    const sums: Record<string, number> = {};
    for (const name of sumNames) {
      const c = result.column(name)!;
      if (c.type !== "numeric") throw new Error(`${name} is not numeric`);
      sums[name] = c.values[i]!;
    }
    out.set(key, { key, n: n.values[i]!, sums });
  }
  return out;
}

/** Largest relative difference |a − b| / max(1, |b|) over every group and sum; throws on a group mismatch. */
export function worstRelativeDifference(
  actual: Map<string, SumsRow>,
  expected: Map<string, SumsRow>,
): number {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  let worst = 0;
  for (const [key, e] of expected) {
    const a = actual.get(key)!;
    expect(a.n, key).toBe(e.n);
    expect(Object.keys(a.sums).sort()).toEqual(Object.keys(e.sums).sort());
    for (const [name, v] of Object.entries(e.sums))
      worst = Math.max(worst, Math.abs(a.sums[name]! - v) / Math.max(1, Math.abs(v)));
  }
  return worst;
}

/**
 * Runs a grouped-sums case on a database where `tableName` holds the case's data set, and returns
 * the largest relative difference from the JavaScript computation.
 */
export async function sumsCaseDifference(db: SqlSource, c: SumsCase, tableName: string): Promise<number> {
  const query = groupedSumsQuery({ from: tableName, groupBy: c.groupBy, columns: c.columns });
  const result = await db.query(query.sql);
  const used = [...new Set([...c.groupBy, ...c.columns.flatMap((x) => expressionColumns(x.expression))])];
  const expected = sumsInJs(csvTable(c.data), c, used);
  return worstRelativeDifference(
    sumsFromResult(
      result,
      query.groups.map((g) => g.alias),
    ),
    expected,
  );
}
