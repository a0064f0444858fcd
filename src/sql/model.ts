/**
 * A linear mixed model whose data stay in a database: the formula's design written as one ANSI SQL
 * aggregation query (sums per cell of the grouping factors), and its result read back as a model
 * from sufficient statistics (src/model/stats.ts) that REML, ML and the sampler fit as they fit the rows.
 *
 *     formula + factor levels ──sqlDesign──▶ SqlDesign { sql } ──(any engine)──▶ result ──modelFromSums──▶ LmmModel
 *     sqlModel(db, formula, { from }): the levels query, the sums query and the read-back on an SqlSource
 *
 * The design is the in-memory path's own: the columns of X and of each random term come from the
 * design stage (src/design/columns.ts) run on the factors' levels, so names, codings (treatment, sum,
 * helmert, poly contrasts; full coding where R uses it), level orders (R's sort, or the given
 * `levels`/`ordered`) and aliased-column drops are the same; each column's part becomes SQL (a column's
 * value, an indicator, a CASE over levels for other contrasts). Rows with a NULL in any column the
 * formula uses are left out (lme4's `na.omit`), in the levels query too. Grouping factors are the
 * GROUP BY keys; their levels (and interactions `a:b`) are made from the result's cells exactly as the
 * in-memory path makes them from rows, and the terms are ordered and labelled as lme4 does.
 *
 * Not pushed down, refused naming the term: expressions of columns (`log(x)`, `poly(x, 2)`, `I(x^2)`,
 * `scale(x)`, `offset(log(n))`): compute them in the table or a view and use the new column's name.
 */
import type { ColumnOptions, FactorVariable, FrameVariable } from "../data/frame";
import { dataColumn, dropUnusedLevels } from "../data/frame";
import { rNumberLabel } from "../data/numbers";
import { DataTable } from "../data/table";
import { makeUnique } from "../data/unique";
import { type DesignColumn, designColumns } from "../design/columns";
import { RANK_TOLERANCE } from "../design/fixed";
import { groupingFactor } from "../design/grouping";
import { lme4Order } from "../design/random";
import { aliasedColumnsFromCrossproducts } from "../design/rank";
import { ArgumentError, DataError } from "../errors";
import { formatRandomTerm } from "../formula/format";
import { formulaSpec } from "../formula/index";
import type { FormulaSpec } from "../formula/types";
import { checkRandomTerms } from "../model/checks";
import {
  mapStatistics,
  packedIndex,
  statisticsLayout,
  statisticsMoments,
  statisticsTotals,
} from "../model/stats";
import type { LmmModel, ModelStatistics, RandomEffectsTerm } from "../model/types";
import { checkObjectArgument, checkStringArgument } from "../validate";
import { expressionSql, type SqlExpression } from "./expression";
import { type GroupedSumsQuery, groupedSumsQuery, type SqlFrom } from "./grouped-sums";
import { quoteIdentifier } from "./quote";
import type { SqlSource } from "./types";

/** A level of a factor column as the database holds it. */
export type SqlLevel = string | number | boolean;

/** Options of `sqlDesign` (and `modelFromSums`). */
export interface SqlDesignOptions extends ColumnOptions {
  /** Where the rows are: a table name, a qualified name's parts, or a query. */
  readonly from: SqlFrom;
  /**
   * The factor columns the design's columns use (not grouping factors, which are GROUP BY keys), each
   * with its levels as the database holds them, in order (the first is the reference level). Any
   * other column the fixed part or a random term's columns use is numeric. `sqlModel` finds these.
   */
  readonly factors?: Readonly<Record<string, readonly SqlLevel[]>>;
  /** Contrasts per factor column (`"treatment"`, `"sum"`, `"helmert"`, `"poly"`), as `lmm`'s option. */
  readonly contrasts?: Readonly<Record<string, "treatment" | "sum" | "helmert" | "poly">>;
}

/** A formula's design as an aggregation query, and how to read its result back. */
export interface SqlDesign {
  readonly formula: string;
  readonly spec: FormulaSpec;
  /** The query (ANSI SQL). */
  readonly sql: string;
  readonly query: GroupedSumsQuery;
  /** The grouping columns (the query's GROUP BY), in order. */
  readonly groupColumns: readonly string[];
  /** X's columns before aliased ones are dropped. */
  readonly fixed: readonly string[];
  /** Each random term (formula order): its columns' names and grouping variables. */
  readonly random: readonly { readonly names: readonly string[]; readonly group: readonly string[] }[];
  /** v (src/model/stats.ts, terms in formula order) as rows of coefficients on the query's expressions. */
  readonly map: Float64Array;
  readonly options: SqlDesignOptions;
}

/** The variables of a spec that a design's columns use (not grouping factors), in formula order. */
function designVariables(spec: FormulaSpec): string[] {
  const out: string[] = [];
  const add = (v: string) => {
    if (!out.includes(v)) out.push(v);
  };
  for (const t of spec.fixed) t.variables.forEach(add);
  for (const r of spec.random) for (const t of r.terms) t.variables.forEach(add);
  return out;
}

/** Refuses what cannot be pushed into SQL: expressions of columns, naming the term. */
function checkPushable(spec: FormulaSpec): void {
  const keys = Object.keys(spec.expressions);
  if (keys.length === 0) return;
  const key = keys[0]!;
  throw new ArgumentError(
    "formula",
    `uses \`${key}\`, which is not pushed into SQL (only data columns are): compute it as a column of the table or a view and use that column's name`,
    spec.text,
  );
}

function parseSpec(formula: string | FormulaSpec): FormulaSpec {
  const spec = typeof formula === "string" ? formulaSpec(formula) : formula;
  if (spec.random.length === 0)
    throw new ArgumentError(
      "formula",
      "must have at least one random-effects term such as `(1 | group)`",
      spec.text,
    );
  checkPushable(spec);
  return spec;
}

/** The label R gives a level value (text as it is, numbers as R writes them, TRUE/FALSE). */
function levelLabel(level: SqlLevel): string {
  return typeof level === "number"
    ? rNumberLabel(level)
    : typeof level === "boolean"
      ? level
        ? "TRUE"
        : "FALSE"
      : level;
}

/**
 * Writes the aggregation query of a formula's design (see the file comment).
 *
 * @param formula - lme4 formula text (data columns only, see the file comment)
 * @param options - where the rows are, the factor columns' levels, contrasts
 * @returns the query and how to read its result (`modelFromSums`)
 * @throws ArgumentError for a formula that cannot be pushed down (naming the term) or bad options;
 *   DataError for a factor with one level under contrasts
 * @example sqlDesign("Reaction ~ Days + (Days | Subject)", { from: "sleepstudy" }).sql
 */
export function sqlDesign(formula: string | FormulaSpec, options: SqlDesignOptions): SqlDesign {
  checkObjectArgument(options, "options", "the design's options { from, factors, ... }", ["from"]);
  if (typeof formula !== "string")
    checkObjectArgument(formula, "formula", "formula text or a FormulaSpec", [
      "text",
      "response",
      "fixed",
      "random",
      "offsets",
      "expressions",
    ]);
  const spec = parseSpec(formula);
  const factors = options.factors ?? {};
  if (factors === null || typeof factors !== "object")
    throw new ArgumentError("options.factors", "must map factor columns to their levels", factors);
  // A frame of the design's variables with no rows: numeric variables, and factors with their levels.
  const variables = new Map<string, FrameVariable>();
  const numericOf = new Map<Float64Array, string>();
  const factorOf = new Map<Int32Array, { name: string; levels: readonly SqlLevel[] }>();
  for (const name of designVariables(spec)) {
    const given = factors[name];
    if (given === undefined) {
      const values = new Float64Array(0);
      numericOf.set(values, name);
      variables.set(name, { type: "numeric", name, values });
    } else {
      if (!Array.isArray(given) || given.length === 0)
        throw new ArgumentError(`options.factors.${name}`, "must list the factor's levels", given);
      const codes = new Int32Array(0);
      factorOf.set(codes, { name, levels: given });
      const contrasts = options.contrasts?.[name];
      const factor: FactorVariable = {
        type: "factor",
        name,
        levels: given.map(levelLabel),
        codes,
        ...(options.ordered?.[name] !== undefined ? { ordered: true as const } : {}),
        ...(contrasts === undefined ? {} : { contrasts }),
      };
      variables.set(name, factor);
    }
  }
  const frame = { variables };
  const toSql = (column: DesignColumn): SqlExpression => ({
    kind: "product",
    factors: column.parts.map((part): SqlExpression => {
      if (part.type === "numeric") return { kind: "column", name: numericOf.get(part.values)! };
      const f = factorOf.get(part.codes)!;
      if (part.type === "indicator") return { kind: "indicator", name: f.name, level: f.levels[part.level]! };
      return { kind: "recode", name: f.name, levels: f.levels, values: Array.from(part.weights) };
    }),
  });
  const fixedColumns = designColumns(
    spec.intercept,
    spec.fixed,
    frame,
    "the fixed effects",
    spec.expressions,
  );
  const randomColumns = spec.random.map((r) =>
    designColumns(
      r.intercept,
      r.terms,
      frame,
      `the random-effects term ${formatRandomTerm(r, spec.expressions)}`,
    ),
  );
  // The query's expressions: each distinct one once (shared columns repeat); index 0 is the constant
  // 1 (the intercept), whose sums are the count and the sums Σ e_i, expression i is index i + 1.
  const expressions: { name: string; expression: SqlExpression }[] = [];
  const indexOf = new Map<string, number>([[expressionSql({ kind: "constant", value: 1 }), 0]]);
  const add = (name: string, expression: SqlExpression): number => {
    const key = expressionSql(expression);
    let i = indexOf.get(key);
    if (i === undefined) {
      expressions.push({ name, expression });
      i = expressions.length;
      indexOf.set(key, i);
    }
    return i;
  };
  const one = 0;
  const zIndex = randomColumns.map((cols) => cols.map((c) => add(c.name, toSql(c))));
  const xIndex = fixedColumns.map((c) => add(c.name, toSql(c)));
  const yIndex = add(spec.response, { kind: "column", name: spec.response });
  const offsetIndex = spec.offsets.map((o) => add(`offset(${o})`, { kind: "column", name: o }));
  const groupColumns: string[] = [];
  for (const r of spec.random) for (const g of r.group) if (!groupColumns.includes(g)) groupColumns.push(g);
  const query = groupedSumsQuery({ from: options.from, groupBy: groupColumns, columns: expressions });
  // v = (1, z of each term in formula order, x, y − offsets) on (1, the expressions).
  const E = expressions.length + 1;
  const rows: number[][] = [[one], ...zIndex.flat().map((i) => [i]), ...xIndex.map((i) => [i])];
  const d = rows.length + 1;
  const map = new Float64Array(d * E);
  rows.forEach((list, r) => {
    map[r * E + list[0]!] = 1;
  });
  map[(d - 1) * E + yIndex] = 1;
  for (const o of offsetIndex) map[(d - 1) * E + o] = map[(d - 1) * E + o]! - 1;
  return {
    formula: spec.text,
    spec,
    sql: query.sql,
    query,
    groupColumns,
    fixed: fixedColumns.map((c) => c.name),
    random: spec.random.map((r, k) => ({ names: randomColumns[k]!.map((c) => c.name), group: r.group })),
    map,
    options,
  };
}

/**
 * Reads an aggregation query's result (run by the package or by anyone, on any engine) into a model
 * from sufficient statistics: the grouping levels from the cells, the terms in lme4's order and
 * labels, aliased X columns dropped as the in-memory path drops them, and lme4's checks.
 *
 * @param design - the design the query came from (`sqlDesign`, with the same options)
 * @param result - the result: columns `g_0`, …, `n`, `s_i_j` (any order; more columns are ignored)
 * @param dropped - rows left out for a missing value, when known (`model.dropped`)
 * @returns the model (no rows: `model.statistics`)
 * @throws DataError (INVALID_DATA) for a result that does not match the design, no rows, a constant
 *   response, or data lme4 refuses (src/model/checks.ts)
 */
export function modelFromSums(design: SqlDesign, result: DataTable, dropped = 0): LmmModel {
  checkObjectArgument(design, "design", "a design from sqlDesign(formula, options)", [
    "spec",
    "query",
    "map",
    "random",
    "fixed",
    "options",
  ]);
  if (!(result instanceof DataTable))
    throw new ArgumentError(
      "result",
      "must be the query's result as a DataTable (a database's query(), readDataFile)",
      result,
    );
  if (!(Number.isSafeInteger(dropped) && dropped >= 0))
    throw new ArgumentError("dropped", "must be a count of rows ≥ 0", dropped);
  const { spec, query, options } = design;
  const count = result.nrows;
  if (count === 0)
    throw new DataError(
      "INVALID_DATA",
      "invalid data. The query's result has no rows: no row has every column the formula uses.",
    );
  const numeric = (alias: string): Float64Array => {
    const c = result.column(alias);
    if (c === undefined || c.type !== "numeric")
      throw new DataError(
        "INVALID_DATA",
        `invalid data. The sums have no numeric column \`${alias}\`: they are not the result of this formula's query (bayes-lmm sql --formula ...).`,
        { column: alias },
      );
    for (let i = 0; i < count; i++)
      if (c.missing?.[i] === 1)
        throw new DataError(
          "INVALID_DATA",
          `invalid data. The sums' column \`${alias}\` is missing in row ${i + 1}.`,
          {
            column: alias,
            row: i + 1,
          },
        );
    return c.values;
  };
  const expected = new Set([...query.products.map((p) => p.alias), ...query.sums.map((s) => s.alias)]);
  const extra = result.names.find((name) => /^s_\d+(_\d+)?$/.test(name) && !expected.has(name));
  if (extra !== undefined)
    throw new DataError(
      "INVALID_DATA",
      `invalid data. The sums have a column \`${extra}\` this formula's query does not make: they come from another formula or other factor levels (give the same formula and levels the query was written with).`,
      { column: extra },
    );
  const E = query.sums.length + 1;
  const size = (E * (E + 1)) / 2;
  const raw = new Float64Array(count * size);
  const counts = numeric(query.count);
  for (let c = 0; c < count; c++) raw[c * size] = counts[c]!;
  for (const s of query.sums) {
    const values = numeric(s.alias);
    const e = packedIndex(s.index + 1, 0);
    for (let c = 0; c < count; c++) raw[c * size + e] = values[c]!;
  }
  for (const p of query.products) {
    const values = numeric(p.alias);
    const e = packedIndex(p.j + 1, p.i + 1);
    for (let c = 0; c < count; c++) raw[c * size + e] = values[c]!;
  }
  let n = 0;
  for (let c = 0; c < count; c++) n += counts[c]!;
  // The grouping variables over the cells, typed as the in-memory path types them.
  const groupOptions: ColumnOptions = {
    ...(options.stringOrder === undefined ? {} : { stringOrder: options.stringOrder }),
  };
  const variables = new Map<string, FrameVariable>();
  query.groups.forEach(({ alias, column }) => {
    const renamed = new DataTable([column], count, new Map([[column, result.column(alias)!]]));
    if (result.column(alias) === undefined)
      throw new DataError(
        "INVALID_DATA",
        `invalid data. The sums have no column \`${alias}\` (the levels of \`${column}\`).`,
        {
          column: alias,
        },
      );
    const levelOptions: ColumnOptions = {
      ...groupOptions,
      ...(options.levels?.[column] === undefined ? {} : { levels: { [column]: options.levels[column]! } }),
      ...(options.ordered?.[column] === undefined ? {} : { ordered: { [column]: options.ordered[column]! } }),
    };
    const col = dataColumn(renamed, column, levelOptions);
    if (col.type === "numeric") {
      if (col.missing?.includes(1))
        throw new DataError(
          "INVALID_DATA",
          `invalid data. The sums' grouping column \`${column}\` has a missing value.`,
          { column },
        );
      variables.set(column, { type: "numeric", name: column, values: col.values });
    } else {
      if (col.codes.includes(-1))
        throw new DataError(
          "INVALID_DATA",
          `invalid data. The sums' grouping column \`${column}\` has a missing value.`,
          { column },
        );
      const f: FactorVariable = { type: "factor", name: column, levels: col.levels, codes: col.codes };
      variables.set(column, col.logical ? f : dropUnusedLevels(f));
    }
  });
  const built = design.random.map((r) => {
    const factor = groupingFactor(r.group, { variables });
    return {
      group: factor.name,
      levels: factor.levels,
      codes: factor.codes,
      names: r.names,
      q: r.names.length,
      m: factor.levels.length,
    };
  });
  const order = lme4Order(built.map((t) => t.m));
  const labels = makeUnique(order.map((k) => built[k]!.group));
  // v in formula term order → v in lme4's term order, aliased X columns dropped.
  const exprStats: ModelStatistics = { d: E, count, levels: [], sums: raw };
  const dFormula = design.map.length / E;
  const formulaStats = mapStatistics(exprStats, design.map, dFormula);
  const zStart: number[] = [];
  let o = 1;
  for (const t of built) {
    zStart.push(o);
    o += t.q;
  }
  const xStart = o;
  const pAll = design.fixed.length;
  const T = statisticsTotals(formulaStats);
  const G = new Float64Array(pAll * pAll);
  for (let a = 0; a < pAll; a++)
    for (let b = 0; b < pAll; b++) G[a * pAll + b] = T[(xStart + a) * dFormula + xStart + b]!;
  const aliasedFlags =
    pAll > 0 ? aliasedColumnsFromCrossproducts(pAll, G, RANK_TOLERANCE) : new Uint8Array(0);
  const keep = design.fixed.map((_, j) => j).filter((j) => aliasedFlags[j] === 0);
  const aliased = design.fixed.filter((_, j) => aliasedFlags[j] === 1);
  const source: number[] = [0];
  for (const k of order) for (let r = 0; r < built[k]!.q; r++) source.push(zStart[k]! + r);
  for (const j of keep) source.push(xStart + j);
  source.push(dFormula - 1);
  const d = source.length;
  const select = new Float64Array(d * dFormula);
  source.forEach((s, r) => {
    select[r * dFormula + s] = 1;
  });
  const selected = mapStatistics(formulaStats, select, d);
  const terms: RandomEffectsTerm[] = order.map((k, position) => {
    const t = built[k]!;
    return {
      group: t.group,
      label: labels[position]!,
      levels: t.levels,
      refs: new Int32Array(0),
      names: t.names,
      q: t.q,
      m: t.m,
      values: new Float64Array(0),
    };
  });
  const statistics: ModelStatistics = { ...selected, levels: order.map((k) => built[k]!.codes) };
  const p = keep.length;
  const layout = statisticsLayout(terms, p);
  if (layout.d !== d) throw new Error("internal: the statistics' layout does not match the terms");
  const y = statisticsMoments(statistics, n, layout.yIndex);
  if (!(y.sd > 0))
    throw new DataError(
      "INVALID_DATA",
      `invalid data. The response \`${spec.response}\` is constant in the ${n} rows used (its sums have no variation); there is nothing to model.`,
      { column: spec.response },
    );
  checkRandomTerms(terms, n, (_, k) => formatRandomTerm(spec.random[order[k]!]!, spec.expressions));
  return {
    formula: spec.text,
    response: spec.response,
    n,
    p,
    y: new Float64Array(0),
    X: new Float64Array(0),
    fixedNames: keep.map((j) => design.fixed[j]!),
    offset: null,
    terms,
    dropped,
    rows: new Int32Array(0),
    aliased,
    warnings:
      aliased.length === 0
        ? []
        : [
            `fixed-effect model matrix is rank deficient so dropping ${aliased.length} column${aliased.length === 1 ? "" : "s"} / coefficient${aliased.length === 1 ? "" : "s"}: ${aliased.map((a) => `\`${a}\``).join(", ")}`,
          ],
    statistics,
  };
}

/** Options of `sqlModel`. */
export interface SqlModelOptions extends Omit<SqlDesignOptions, "factors"> {}

/** The text of a FROM clause, for the package's own queries. */
function fromClause(from: SqlFrom): string {
  if (typeof from === "string") return quoteIdentifier(from, "options.from");
  if (Array.isArray(from))
    return from.map((part, i) => quoteIdentifier(part, `options.from[${i}]`)).join(".");
  const q = (from as { query?: unknown }).query;
  if (typeof q !== "string" || q.trim() === "")
    throw new ArgumentError("options.from.query", "must be the text of a query", q);
  return `(${q}) AS "source"`;
}

/**
 * A model from data in a database: the column types (one row), each design factor's levels (one
 * DISTINCT query per factor, on the rows the formula uses), the sums query, then `modelFromSums`.
 *
 * @param db - the database (`openDuckDb()`, `connectPostgres(url)`, or any `SqlSource`)
 * @param formula - lme4 formula text (data columns only)
 * @param options - where the rows are; level orders, ordered factors, contrasts, string order
 * @returns the model from sufficient statistics and the design (its query)
 * @throws as `sqlDesign` and `modelFromSums`; LmmError (QUERY) when the database refuses a query;
 *   DataError (UNKNOWN_COLUMN) for a column the table does not have
 * @example const { model } = await sqlModel(await openDuckDb(), "Reaction ~ Days + (Days | Subject)", { from: { query: "SELECT * FROM 'sleep.parquet'" } });
 */
export async function sqlModel(
  db: SqlSource,
  formula: string,
  options: SqlModelOptions,
): Promise<{ model: LmmModel; design: SqlDesign }> {
  if (db === null || typeof db !== "object" || typeof (db as { query?: unknown }).query !== "function")
    throw new ArgumentError("db", "must be a database connection (openDuckDb(), connectPostgres(url))", db);
  checkStringArgument(formula, "formula", 'formula text such as "y ~ x + (1 | g)"');
  checkObjectArgument(options, "options", "the model's options { from, ... }", ["from"]);
  const spec = parseSpec(formula);
  const from = fromClause(options.from);
  const sample = await db.query(`SELECT * FROM ${from} LIMIT 1`);
  for (const name of spec.variables)
    if (!sample.has(name))
      throw new DataError(
        "UNKNOWN_COLUMN",
        `unknown column \`${name}\` in the formula: the table has ${sample.names.map((c) => `\`${c}\``).join(", ")}.`,
        { column: name },
      );
  const where = spec.variables.map((v) => `${quoteIdentifier(v)} IS NOT NULL`).join(" AND ");
  const factors: Record<string, SqlLevel[]> = {};
  for (const name of designVariables(spec)) {
    const column = sample.column(name)!;
    const isFactor =
      column.type === "string" ||
      column.type === "logical" ||
      options.levels?.[name] !== undefined ||
      options.ordered?.[name] !== undefined;
    if (!isFactor) continue;
    const distinct = await db.query(`SELECT DISTINCT ${quoteIdentifier(name)} FROM ${from} WHERE ${where}`);
    const col = dataColumn(distinct, name, options);
    if (col.type !== "factor") throw new Error(`internal: \`${name}\` is not read as a factor`);
    const raw = distinct.column(name)!;
    const levels: SqlLevel[] = new Array(col.levels.length);
    const seen = new Uint8Array(col.levels.length);
    for (let i = 0; i < distinct.nrows; i++) {
      const k = col.codes[i]!;
      if (k < 0) continue;
      seen[k] = 1;
      levels[k] = raw.type === "invalid" ? "" : (raw.values[i] as SqlLevel);
    }
    // Levels no used row has: kept for a logical (FALSE, TRUE as R codes it), else dropped.
    factors[name] = col.logical
      ? col.levels.map((l, k) => (seen[k] === 1 ? levels[k]! : l === "TRUE"))
      : levels.filter((_, k) => seen[k] === 1);
  }
  const design = sqlDesign(spec, { ...options, factors });
  const total = await db.query(`SELECT COUNT(*) AS "n" FROM ${from}`);
  const totalColumn = total.column("n");
  const result = await db.query(design.sql);
  const model = modelFromSums(design, result);
  const all = totalColumn?.type === "numeric" ? totalColumn.values[0]! : model.n;
  return { model: { ...model, dropped: all - model.n }, design };
}
