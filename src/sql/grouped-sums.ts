/**
 * The aggregation query behind a linear mixed model's sufficient statistics: for named column
 * expressions e_0 … e_{k-1} (X's columns, Z's, y), per group of the level columns, the row count,
 * the sums Σ e_i and the cross-product sums Σ e_i e_j (i ≤ j) — lme4's and MixedModels.jl's blocks
 * Z_j'Z_j, Z_j'X_j, X_j'y_j, y_j'y_j, ... are these sums per level (or per cell of crossed factors).
 * ANSI SQL: DuckDB, PostgreSQL, Spark SQL, BigQuery and Trino run it as it is.
 *
 * Rows with a NULL in any column the query reads (an expression's or a level column) are left out,
 * as the in-memory path drops rows with a missing value in a used column (lme4's `na.omit`).
 * Result columns have fixed aliases (`g_0`, … for the levels, `n`, `s_0`, …, `s_0_1`, …), listed in
 * the returned description, so reading the result back does not depend on the names.
 */
import { ArgumentError } from "../errors";
import { checkArrayArgument, checkObjectArgument } from "../validate";
import { expressionColumns, expressionSql, type SqlExpression } from "./expression";
import { quoteIdentifier } from "./quote";

/** Where the rows come from: a table name, a qualified name (`["schema", "table"]`), or a query. */
export type SqlFrom = string | readonly string[] | { readonly query: string };

/** What `groupedSumsQuery` sums. */
export interface GroupedSumsSpec {
  /** The rows: a table name (quoted as one identifier), a qualified name's parts, or a query (trusted SQL text, e.g. `SELECT * FROM read_parquet('d.parquet')`). */
  readonly from: SqlFrom;
  /** The level columns to group by (none: one row of totals). */
  readonly groupBy: readonly string[];
  /** The named column expressions e_i. */
  readonly columns: readonly { readonly name: string; readonly expression: SqlExpression }[];
  /**
   * Which cross-products Σ e_i e_j: `"all"` (every i ≤ j), `"none"`, or a list of [i, j] pairs.
   * @default "all"
   */
  readonly products?: "all" | "none" | readonly (readonly [number, number])[];
  /**
   * Whether to include the sums Σ e_i.
   * @default true
   */
  readonly sums?: boolean;
}

/** The query and what each of its result columns holds. */
export interface GroupedSumsQuery {
  readonly sql: string;
  /** The level columns' aliases (`g_0`, …), in `groupBy` order. */
  readonly groups: readonly { readonly alias: string; readonly column: string }[];
  /** The row count's alias (`n`). */
  readonly count: string;
  /** Σ e_i: alias `s_i`. */
  readonly sums: readonly { readonly alias: string; readonly index: number }[];
  /** Σ e_i e_j: alias `s_i_j`, i ≤ j. */
  readonly products: readonly { readonly alias: string; readonly i: number; readonly j: number }[];
}

/**
 * Writes the grouped-sums query for `spec` (see the file comment).
 *
 * @param spec - see `GroupedSumsSpec`.
 * @returns the SQL and the meaning of each result column.
 * @throws ArgumentError for an invalid name, expression or product index.
 * @example groupedSumsQuery({ from: "sleep", groupBy: ["Subject"], columns: [{ name: "Days", expression: { kind: "column", name: "Days" } }] }).sql
 */
export function groupedSumsQuery(spec: GroupedSumsSpec): GroupedSumsQuery {
  checkObjectArgument(spec, "spec", "a grouped-sums spec { from, columns, ... }", ["from", "columns"]);
  checkArrayArgument(spec.columns, "spec.columns", "an array of { expression } columns");
  const k = spec.columns.length;
  const rendered = spec.columns.map(
    (c, i) => `(${expressionSql(c.expression, `spec.columns[${i}].expression`)})`,
  );
  const pairs = productPairs(spec.products ?? "all", k);
  const groups = spec.groupBy.map((column, g) => ({ alias: `g_${g}`, column }));
  const select: string[] = groups.map(
    (g, i) => `${quoteIdentifier(g.column, `spec.groupBy[${i}]`)} AS ${quoteIdentifier(g.alias)}`,
  );
  select.push(`COUNT(*) AS "n"`);
  const sums = spec.sums === false ? [] : spec.columns.map((_, index) => ({ alias: `s_${index}`, index }));
  for (const s of sums) select.push(`SUM(${rendered[s.index]}) AS ${quoteIdentifier(s.alias)}`);
  const products = pairs.map(([i, j]) => ({ alias: `s_${i}_${j}`, i, j }));
  for (const p of products)
    select.push(`SUM(${rendered[p.i]} * ${rendered[p.j]}) AS ${quoteIdentifier(p.alias)}`);
  const used: string[] = [];
  for (const name of [...spec.groupBy, ...spec.columns.flatMap((c) => expressionColumns(c.expression))])
    if (!used.includes(name)) used.push(name);
  const lines = [`SELECT ${select.join(",\n       ")}`, `FROM ${fromSql(spec.from)}`];
  if (used.length > 0)
    lines.push(`WHERE ${used.map((name) => `${quoteIdentifier(name)} IS NOT NULL`).join("\n  AND ")}`);
  if (groups.length > 0) {
    const keys = spec.groupBy.map((c) => quoteIdentifier(c)).join(", ");
    lines.push(`GROUP BY ${keys}`, `ORDER BY ${keys}`);
  }
  return { sql: `${lines.join("\n")}\n`, groups, count: "n", sums, products };
}

function fromSql(from: SqlFrom): string {
  if (typeof from === "string") return quoteIdentifier(from, "spec.from");
  if (Array.isArray(from)) {
    if (from.length === 0) throw new ArgumentError("spec.from", "must name a table", from);
    return from.map((part, i) => quoteIdentifier(part, `spec.from[${i}]`)).join(".");
  }
  const query = (from as { query?: unknown }).query;
  if (typeof query !== "string" || query.trim().length === 0)
    throw new ArgumentError("spec.from.query", "must be the text of a query", query);
  return `(${query}) AS "source"`;
}

function productPairs(products: NonNullable<GroupedSumsSpec["products"]>, k: number): [number, number][] {
  if (products === "none") return [];
  if (products === "all") {
    const all: [number, number][] = [];
    for (let i = 0; i < k; i++) for (let j = i; j < k; j++) all.push([i, j]);
    return all;
  }
  if (!Array.isArray(products))
    throw new ArgumentError("spec.products", 'must be "all", "none" or a list of [i, j] pairs', products);
  const pairs: [number, number][] = [];
  products.forEach(([i, j], p) => {
    if (!Number.isInteger(i) || !Number.isInteger(j) || i < 0 || j < 0 || i >= k || j >= k)
      throw new ArgumentError(`spec.products[${p}]`, `must be two column indices from 0 to ${k - 1}`, [i, j]);
    const pair: [number, number] = i <= j ? [i, j] : [j, i];
    if (!pairs.some(([a, b]) => a === pair[0] && b === pair[1])) pairs.push(pair);
  });
  return pairs;
}
