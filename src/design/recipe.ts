/**
 * A design that travels: `DesignRecipe` is what a model's design needs to be built again on new rows
 * — R's `terms` with its `predvars`, `xlevels` and `contrasts`, and lme4's random-effects terms — and
 * `applyRecipe(recipe, data)` builds it: X exactly as R's `model.matrix(terms, model.frame(terms,
 * newdata, xlev = xlevels), contrasts.arg = contrasts)` (what `predict.lm` and lme4's `predict` do),
 * with the columns the fit kept, and each random term's columns and grouping levels.
 *
 * - Every variable is computed by its predvar, with the training data's parameters (`scale` centres,
 *   `poly` coefficients, spline knots): new data never re-learn them.
 * - A factor of the fixed effects or of a random term's columns keeps the training levels and
 *   contrasts; a level not seen in training is a `DataError` naming the variable and the level.
 * - A grouping factor's level not seen in training is reported, not refused: its rows get `refs` -1
 *   and the level is listed in `newLevels` (what to predict for it is the caller's decision).
 * - Rows with a missing value in a predictor are dropped and counted, as in training; the response is
 *   read only when asked for (`{ response: true }`).
 *
 * A recipe is plain JSON: `JSON.parse(JSON.stringify(recipe))` applies the same.
 */
import type { StringOrder } from "../data/collate";
import type { ContrastKind, FactorVariable, FrameVariable } from "../data/frame";
import { rNumberLabel } from "../data/numbers";
import { type DataInput, toDataTable } from "../data/table";
import { DataError } from "../errors";
import type { TermSpec } from "../formula/types";
import { checkObjectArgument, checkOptionsArgument } from "../validate";
import { designColumns, fillColumns } from "./columns";
import { evaluateRecipes, restrict, usedRows, type VariableRecipe } from "./frame";
import type { Value } from "./predvar";

/** One random-effects term of a recipe, in lme4's order. */
export interface RandomTermRecipe {
  /** lme4's label (`Subject`, `Subject.1`). */
  readonly label: string;
  /** The grouping factor's name (`Subject`, `cask:batch`, `factor(h)`). */
  readonly group: string;
  /** The grouping factor's variable keys (`["cask", "batch"]`). */
  readonly groupKeys: readonly string[];
  /** The grouping factor's levels in training, in lme4's order. */
  readonly levels: readonly string[];
  readonly intercept: boolean;
  readonly terms: readonly TermSpec[];
  /** The term's column names. */
  readonly names: readonly string[];
}

/** Everything needed to build a model's design on new data (see the file comment). */
export interface DesignRecipe {
  readonly formula: string;
  /** The response's key. */
  readonly response: string;
  /** Every variable's recipe, by key. */
  readonly variables: Readonly<Record<string, VariableRecipe>>;
  /** The keys that are expressions (labelled by their key in column names). */
  readonly expressions: readonly string[];
  readonly fixed: {
    readonly intercept: boolean;
    readonly terms: readonly TermSpec[];
    /** X's columns as fitted (aliased columns dropped). */
    readonly names: readonly string[];
  };
  readonly offsets: readonly string[];
  readonly random: readonly RandomTermRecipe[];
  readonly stringOrder: StringOrder;
}

/** One random-effects term on new data. */
export interface NewRandomTerm {
  readonly label: string;
  readonly group: string;
  readonly names: readonly string[];
  readonly q: number;
  /** The training levels (refs index them). */
  readonly levels: readonly string[];
  /** Training level of each row (0-based), or -1 for a level not seen in training. */
  readonly refs: Int32Array;
  /** n × q row-major: the term's columns in each row. */
  readonly values: Float64Array;
  /** Levels of the grouping factor not seen in training, in order of first appearance. */
  readonly newLevels: readonly string[];
  /** Index into `newLevels` of each row whose level is new, else -1 (which new level a row has). */
  readonly newRefs: Int32Array;
}

/** A model's design on new data. */
export interface NewDesign {
  /** Rows used. */
  readonly n: number;
  /** For each used row, its 0-based index in the data as given. */
  readonly rows: Int32Array;
  /** Rows dropped for a missing predictor. */
  readonly dropped: number;
  /** n × p row-major, the fit's columns. */
  readonly X: Float64Array;
  readonly p: number;
  readonly fixedNames: readonly string[];
  /** The offsets' sum per row, or null. */
  readonly offset: Float64Array | null;
  /** The response when asked for (`{ response: true }`), else null. */
  readonly y: Float64Array | null;
  /** The random-effects terms, in the model's order. */
  readonly terms: readonly NewRandomTerm[];
}

/** Options of `applyRecipe`. */
export interface ApplyOptions {
  /**
   * Read the response too (its columns must be present; rows missing it are dropped).
   * @default false
   */
  readonly response?: boolean;
}

/**
 * Builds a model's design on new data (R's `model.matrix(terms, newdata)` with the training levels and
 * contrasts, and lme4's random-effects terms).
 *
 * @param recipe - `model.recipe` of a model built by `lmm` (or its JSON).
 * @param data - rows, columns, an Arrow-like table or a `DataTable`.
 * @param options - whether to read the response.
 * @returns X, offsets, the response if asked, and each random term's columns and grouping levels.
 * @throws DataError for an unknown column, a fixed-effect factor level not seen in training (naming the
 *   variable and the level), or no rows left.
 * @example
 * const model = lmm("Reaction ~ poly(Days, 2) + (Days | Subject)", sleepstudy);
 * applyRecipe(model.recipe!, [{ Days: 10, Subject: "308" }]).X; // the row of poly(Days, 2) at Days = 10
 */
export function applyRecipe(recipe: DesignRecipe, data: DataInput, options: ApplyOptions = {}): NewDesign {
  checkObjectArgument(recipe, "recipe", "a design recipe (model.recipe)", ["fixed", "random"]);
  checkOptionsArgument(options);
  const table = toDataTable(data);
  const strict = new Set<string>();
  for (const term of recipe.fixed.terms) for (const v of term.variables) strict.add(v);
  for (const r of recipe.random) for (const term of r.terms) for (const v of term.variables) strict.add(v);
  const groups = new Set(recipe.random.flatMap((r) => r.groupKeys));
  const keys = [
    ...new Set([
      ...(options.response === true ? [recipe.response] : []),
      ...strict,
      ...recipe.offsets,
      ...groups,
    ]),
  ];
  if (table.nrows === 0) throw new DataError("INVALID_DATA", "invalid data. The data have no rows.");
  const values = evaluateRecipes(recipe.variables, keys, table, { stringOrder: recipe.stringOrder });
  // Factors of the design take the training levels (R's xlev); a new level is an error.
  for (const key of strict) {
    const entry = values.get(key)!;
    const variable = recipe.variables[key]!;
    if (variable.type === "factor") entry.value = relevel(key, entry.value, variable.levels ?? []);
  }
  const { rows, dropped } = usedRows(table.nrows, values);
  const n = rows.length;
  const variables = new Map<string, FrameVariable>();
  for (const key of keys) {
    const variable = recipe.variables[key]!;
    const value = values.get(key)!.value;
    const restricted = restrict(key, value, rows, variable.contrasts, true);
    variables.set(key, withRecipe(restricted, variable));
  }
  const expressions = Object.fromEntries(recipe.expressions.map((k) => [k, true]));

  const all = designColumns(
    recipe.fixed.intercept,
    recipe.fixed.terms,
    { variables },
    "the fixed effects",
    expressions,
  );
  const byName = new Map(all.map((c) => [c.name, c]));
  const kept = recipe.fixed.names.map((name) => {
    const column = byName.get(name);
    if (column === undefined) throw new Error(`internal: the recipe's column \`${name}\` is not built again`);
    return column;
  });
  const p = kept.length;
  const X = new Float64Array(n * p);
  fillColumns(n, kept, X, p, 0);

  let offset: Float64Array | null = null;
  for (const key of recipe.offsets) {
    const v = variables.get(key)!;
    if (v.type !== "numeric") throw new Error(`internal: the offset \`${key}\` is not numeric`);
    offset ??= new Float64Array(n);
    for (let i = 0; i < n; i++) offset[i] = offset[i]! + v.values[i]!;
  }

  const terms = recipe.random.map((r): NewRandomTerm => {
    const columns = designColumns(
      r.intercept,
      r.terms,
      { variables },
      `the random-effects term of ${r.group}`,
      expressions,
    );
    const q = columns.length;
    const values = new Float64Array(n * q);
    fillColumns(n, columns, values, q, 0);
    const index = new Map(r.levels.map((level, k) => [level, k]));
    const refs = new Int32Array(n);
    const newRefs = new Int32Array(n).fill(-1);
    const newLevels: string[] = [];
    const seenNew = new Map<string, number>();
    const parts = r.groupKeys.map((key) => labels(variables.get(key)!));
    for (let i = 0; i < n; i++) {
      const label = parts.map((p) => p[i]!).join(":");
      const k = index.get(label);
      refs[i] = k ?? -1;
      if (k !== undefined) continue;
      let s = seenNew.get(label);
      if (s === undefined) {
        s = newLevels.length;
        seenNew.set(label, s);
        newLevels.push(label);
      }
      newRefs[i] = s;
    }
    return {
      label: r.label,
      group: r.group,
      names: columns.map((c) => c.name),
      q,
      levels: r.levels,
      refs,
      values,
      newLevels,
      newRefs,
    };
  });

  let y: Float64Array | null = null;
  if (options.response === true) {
    const v = variables.get(recipe.response)!;
    if (v.type === "numeric") y = v.values;
    else if (v.type === "matrix" && v.columns.length === 1) y = v.columns[0]!;
    else throw new Error("internal: the response is not numeric");
  }
  return { n, rows, dropped, X, p, fixedNames: recipe.fixed.names, offset, y, terms };
}

/** A factor value recoded to the training levels; a label not among them is an error naming it. */
function relevel(key: string, value: Value, levels: readonly string[]): Value {
  const index = new Map(levels.map((level, k) => [level, k]));
  let labelsOf: (i: number) => string | null;
  let n: number;
  if (value.type === "factor") {
    n = value.codes.length;
    labelsOf = (i) => (value.codes[i]! < 0 ? null : value.levels[value.codes[i]!]!);
  } else if (value.type === "numeric") {
    n = value.values.length;
    labelsOf = (i) => (value.missing?.[i] === 1 ? null : rNumberLabel(value.values[i]!));
  } else throw new Error(`internal: the factor \`${key}\` evaluates to ${value.type}`);
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = labelsOf(i);
    if (label === null) {
      codes[i] = -1;
      continue;
    }
    const k = index.get(label);
    if (k === undefined)
      throw new DataError(
        "INVALID_DATA",
        `invalid data. The factor \`${key}\` has the level \`${label}\` in row ${i + 1}, which the model was not fitted with (its levels: ${levels
          .slice(0, 10)
          .map((l) => `\`${l}\``)
          .join(", ")}${levels.length > 10 ? ", ..." : ""}).`,
        { column: key, row: i + 1 },
      );
    codes[i] = k;
  }
  return { type: "factor", levels, codes, ordered: false, logical: false };
}

/** A restricted variable with the recipe's factor attributes (levels, ordered, contrasts). */
function withRecipe(variable: FrameVariable, recipe: VariableRecipe): FrameVariable {
  if (variable.type !== "factor" || recipe.type !== "factor") return variable;
  const out: FactorVariable = {
    type: "factor",
    name: variable.name,
    levels: variable.levels,
    codes: variable.codes,
    ...(recipe.ordered === true ? { ordered: true as const } : {}),
    ...(recipe.contrasts === undefined ? {} : { contrasts: recipe.contrasts as ContrastKind }),
  };
  return out;
}

/** The label of each row of a grouping variable, as R's `factor()` writes it. */
function labels(variable: FrameVariable): string[] {
  if (variable.type === "numeric") return Array.from(variable.values, rNumberLabel);
  if (variable.type === "factor") return Array.from(variable.codes, (c) => variable.levels[c]!);
  throw new Error(`internal: the grouping variable \`${variable.name}\` has several columns`);
}
