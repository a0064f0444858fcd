/**
 * The model frame: every variable a formula uses, computed from the data and restricted to the rows it
 * can use — R's and lme4's `model.frame(..., na.action = na.omit, drop.unused.levels = TRUE)`:
 *
 * - Each variable key (src/formula/types.ts) is a data column or an expression; expressions are
 *   evaluated on every row of the data by ./functions.ts, which learns their parameters (`scale`'s
 *   centre, `poly`'s recurrence, spline knots) from every row where their argument is present, as R
 *   does, and returns each variable's predvar (./predvar.ts).
 * - A row with a missing value in any variable is dropped and counted (`dropped`).
 * - Factors keep the levels seen in the rows kept (R's `drop.unused.levels`), in their order: sorted
 *   (strings as R sorts them, numbers numerically), or as `options.levels` / `options.ordered` give
 *   them. Booleans are factors with levels `FALSE`, `TRUE` (both, as R's `model.matrix` codes a
 *   logical). `options.contrasts` chooses a factor's contrasts, by variable key.
 * - `recipes` records, per variable, how to compute it again on new data: the predvar, and a factor's
 *   levels and contrasts — what src/design/recipe.ts applies.
 * - `NaN` or `±Infinity` in a used column, or as the value of an expression, is an error naming the
 *   column (or expression) and the row.
 */
import type { StringOrder } from "../data/collate";
import {
  type ColumnOptions,
  type ContrastKind,
  type DataColumn,
  dropUnusedLevels,
  type FactorVariable,
  type FrameVariable,
} from "../data/frame";
import { type DataInput, type DataTable, toDataTable } from "../data/table";
import { ArgumentError, DataError } from "../errors";
import { keysOf } from "../formula/keys";
import type { FormulaSpec } from "../formula/types";
import { checkObjectArgument, checkOptionsArgument } from "../validate";
import { CONTRAST_KINDS } from "./contrasts";
import { checkExpression, fitExpression } from "./functions";
import { MAX_POLY_LEVELS } from "./poly";
import { type EvaluationContext, evaluatePredvar, type Predvar, readColumn, type Value } from "./predvar";

/** How one variable is computed from the data, and what it is — enough to compute it on new data. */
export interface VariableRecipe {
  /** The computation, with the training data's parameters written in (R's predvars). */
  readonly predvar: Predvar;
  readonly type: "numeric" | "matrix" | "factor";
  /** A matrix variable's column suffixes (`"1"`, `"2"`, or `""` for `scale(x)`). */
  readonly suffixes?: readonly string[];
  /** A factor's levels in the rows used for fitting, in order. */
  readonly levels?: readonly string[];
  /** An ordered factor. */
  readonly ordered?: true;
  /** A factor's contrasts when chosen by option (else R's default: treatment; poly if ordered). */
  readonly contrasts?: ContrastKind;
}

/** The used variables on the used rows. */
export interface ModelFrame {
  /** Number of rows used. */
  readonly n: number;
  /** For each used row, its 0-based index in the data as given. */
  readonly rows: Int32Array;
  /** Number of rows dropped for a missing value in a used variable. */
  readonly dropped: number;
  /** The used variables, by key, in the formula's order. */
  readonly variables: ReadonlyMap<string, FrameVariable>;
  /** How string levels were sorted. */
  readonly stringOrder: StringOrder;
  /** How each variable is computed from the data, by key (R's predvars, levels, contrasts). */
  readonly recipes: ReadonlyMap<string, VariableRecipe>;
}

/** Options of `modelFrame`. */
export interface FrameOptions extends ColumnOptions {
  /**
   * Contrasts per factor, by variable key (`{ dose: "poly", "factor(cyl)": "sum" }`): `"treatment"`
   * (R's default), `"sum"`, `"helmert"` or `"poly"` (R's default for ordered factors).
   */
  readonly contrasts?: Readonly<Record<string, ContrastKind>>;
}

/** What `modelFrame` reads of a spec: the columns, and (when present) the variable keys and expressions. */
export type FrameSpec = Pick<FormulaSpec, "variables"> &
  Partial<Pick<FormulaSpec, "response" | "fixed" | "offsets" | "random" | "expressions">>;

/**
 * Builds the model frame of a formula on data (lme4's `model.frame` step).
 *
 * @param spec - the formula's meaning (a spec with only `variables` treats each column as a variable).
 * @param data - any accepted data shape (see src/data/types.ts).
 * @param options - string order, factor levels, ordered factors, contrasts.
 * @returns the frame: used rows, dropped count, one typed variable per key, and their recipes.
 * @throws FormulaError for an unsupported function; DataError: UNKNOWN_COLUMN (with close names),
 *   INVALID_DATA (no rows, no rows left, non-finite value, unusable column); ArgumentError for bad options.
 * @example modelFrame({ variables: ["y", "g"] }, { y: [1, null, 3], g: ["b", "a", "a"] }).dropped // 1
 */
export function modelFrame(spec: FrameSpec, data: DataInput, options: FrameOptions = {}): ModelFrame {
  checkObjectArgument(spec, "spec", "a FormulaSpec from formulaSpec(text)", ["variables"]);
  checkOptionsArgument(options);
  const keys = spec.response === undefined ? [...spec.variables] : keysOf(spec as FormulaSpec);
  const expressions = spec.expressions ?? {};
  for (const key of keys) {
    const node = expressions[key];
    if (node !== undefined) checkExpression(node);
  }
  const table = toDataTable(data);
  if (table.names.length === 0 && table.nrows === 0)
    throw new DataError("INVALID_DATA", "invalid data. The data are empty: no columns and no rows.");
  for (const name of spec.variables) if (!table.has(name)) readColumn(context(table, options, name), name);
  if (table.nrows === 0) throw new DataError("INVALID_DATA", "invalid data. The data have no rows.");
  checkOptions(table, options);

  const cache = new Map<string, DataColumn>();
  const values = new Map<string, { value: Value; predvar: Predvar }>();
  for (const key of keys) {
    const ctx: EvaluationContext = { ...context(table, options, key), cache };
    const node = expressions[key];
    if (node === undefined) {
      values.set(key, { value: readColumn(ctx, key), predvar: { op: "column", name: key } });
    } else values.set(key, fitExpression(node, ctx));
  }
  const { rows, dropped } = usedRows(table.nrows, values);

  const variables = new Map<string, FrameVariable>();
  const recipes = new Map<string, VariableRecipe>();
  for (const [key, { value, predvar }] of values) {
    const variable = restrict(key, value, rows, options.contrasts?.[key]);
    variables.set(key, variable);
    recipes.set(key, recipeOf(variable, predvar));
  }
  checkContrasts(variables, options);
  return {
    n: rows.length,
    rows,
    dropped,
    variables,
    stringOrder: options.stringOrder ?? "locale",
    recipes,
  };
}

function context(table: DataTable, options: ColumnOptions, key: string): EvaluationContext {
  return { table, columnOptions: options, key, cache: new Map() };
}

/** The rows without a missing value in any variable (na.omit); no rows left is an error. */
export function usedRows(
  nrows: number,
  values: ReadonlyMap<string, { readonly value: Value }>,
): { rows: Int32Array; dropped: number } {
  const drop = new Uint8Array(nrows);
  const missingCounts = new Map<string, number>();
  for (const [key, { value }] of values) {
    let count = 0;
    if (value.type === "factor") {
      for (let i = 0; i < nrows; i++)
        if (value.codes[i]! < 0) {
          drop[i] = 1;
          count++;
        }
    } else if (value.type !== "constant" && value.missing !== null) {
      const missing = value.missing;
      for (let i = 0; i < nrows; i++)
        if (missing[i] === 1) {
          drop[i] = 1;
          count++;
        }
    }
    if (count > 0) missingCounts.set(key, count);
  }
  let n = 0;
  for (let i = 0; i < nrows; i++) if (drop[i] === 0) n++;
  if (n === 0) {
    const counts = [...missingCounts].map(([name, count]) => `\`${name}\`: ${count}`).join(", ");
    throw new DataError(
      "INVALID_DATA",
      `invalid data. No rows left: each of the ${nrows} rows has a missing value in a column the formula uses (missing values: ${counts}).`,
    );
  }
  const rows = new Int32Array(n);
  for (let i = 0, r = 0; i < nrows; i++) if (drop[i] === 0) rows[r++] = i;
  return { rows, dropped: nrows - n };
}

/**
 * A value on the used rows (`rows`: increasing, as `usedRows` gives them) as a frame variable;
 * factors lose the levels no used row has.
 */
export function restrict(
  key: string,
  value: Value,
  rows: Int32Array,
  contrasts: ContrastKind | undefined,
  keepLevels = false,
): FrameVariable {
  const n = rows.length;
  switch (value.type) {
    case "constant":
      return { type: "numeric", name: key, values: new Float64Array(n).fill(value.value) };
    case "numeric":
      return { type: "numeric", name: key, values: take(value.values, rows, new Float64Array(n)) };
    case "matrix":
      return {
        type: "matrix",
        name: key,
        suffixes: value.suffixes,
        columns: value.columns.map((column) => take(column, rows, new Float64Array(n))),
      };
    case "factor": {
      const codes = take(value.codes, rows, new Int32Array(n));
      const factor: FactorVariable = {
        type: "factor",
        name: key,
        levels: value.levels,
        codes,
        ...(value.ordered ? { ordered: true as const } : {}),
        ...(contrasts === undefined ? {} : { contrasts }),
      };
      // Logicals keep both levels (model.matrix codes them as factor(x, levels = c(FALSE, TRUE))).
      return keepLevels || value.logical ? factor : dropUnusedLevels(factor);
    }
  }
}

/**
 * `out[r] = values[rows[r]]` — a copy (the frame's variables are its own arrays) when no row was
 * dropped (rows then 0, 1, ..., n − 1).
 */
function take<T extends Float64Array | Int32Array>(values: ArrayLike<number>, rows: Int32Array, out: T): T {
  const n = rows.length;
  if (n === values.length && (n === 0 || rows[n - 1] === n - 1)) {
    // rows is increasing from 0 and ends at n − 1: every row, in order.
    out.set(values);
    return out;
  }
  for (let r = 0; r < n; r++) out[r] = values[rows[r]!]!;
  return out;
}

function recipeOf(variable: FrameVariable, predvar: Predvar): VariableRecipe {
  switch (variable.type) {
    case "numeric":
      return { predvar, type: "numeric" };
    case "matrix":
      return { predvar, type: "matrix", suffixes: variable.suffixes };
    case "factor":
      return {
        predvar,
        type: "factor",
        levels: variable.levels,
        ...(variable.ordered === true ? { ordered: true as const } : {}),
        ...(variable.contrasts === undefined ? {} : { contrasts: variable.contrasts }),
      };
  }
}

function checkOptions(table: DataTable, options: FrameOptions): void {
  for (const field of ["levels", "ordered"] as const) {
    const given = options[field];
    if (given === undefined) continue;
    for (const name of Object.keys(given)) {
      if (!table.has(name))
        throw new ArgumentError(`options.${field}.${name}`, "must name a column of the data", name);
      const levels = given[name];
      if (levels !== true && !(Array.isArray(levels) && levels.every((l) => typeof l === "string")))
        throw new ArgumentError(
          `options.${field}.${name}`,
          field === "ordered"
            ? "must be the levels in order (strings) or true"
            : "must be the levels in order (strings)",
          levels,
        );
    }
  }
  for (const [key, kind] of Object.entries(options.contrasts ?? {}))
    if (!CONTRAST_KINDS.includes(kind))
      throw new ArgumentError(
        `options.contrasts.${key}`,
        `must be one of ${CONTRAST_KINDS.map((k) => `"${k}"`).join(", ")}`,
        kind,
      );
}

function checkContrasts(variables: ReadonlyMap<string, FrameVariable>, options: FrameOptions): void {
  for (const key of Object.keys(options.contrasts ?? {})) {
    const v = variables.get(key);
    if (v !== undefined && v.type !== "factor")
      throw new ArgumentError(
        `options.contrasts.${key}`,
        `names \`${key}\`, which is not a factor (contrasts apply to factors; write factor(${key}) in the formula for a numeric column)`,
        options.contrasts?.[key],
      );
  }
  for (const v of variables.values())
    if (
      v.type === "factor" &&
      v.levels.length > MAX_POLY_LEVELS &&
      (v.contrasts ?? (v.ordered ? "poly" : "")) === "poly"
    )
      throw new DataError(
        "INVALID_DATA",
        `invalid data. The ordered factor \`${v.name}\` has ${v.levels.length} levels; polynomial contrasts need at most ${MAX_POLY_LEVELS} (as in R). Choose other contrasts through options.contrasts.`,
        { column: v.name },
      );
}

/** Evaluates a recipe's variables on new data (see src/design/recipe.ts). */
export function evaluateRecipes(
  recipes: Readonly<Record<string, VariableRecipe>>,
  keys: readonly string[],
  table: DataTable,
  options: ColumnOptions,
): Map<string, { value: Value; predvar: Predvar }> {
  const cache = new Map<string, DataColumn>();
  const out = new Map<string, { value: Value; predvar: Predvar }>();
  for (const key of keys) {
    const recipe = recipes[key];
    if (recipe === undefined) throw new Error(`internal: the recipe has no variable \`${key}\``);
    const value = evaluatePredvar(recipe.predvar, { table, columnOptions: options, key, cache });
    out.set(key, { value, predvar: recipe.predvar });
  }
  return out;
}
