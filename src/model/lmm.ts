/**
 * `lmm(formula, data)`: the model constructor users call — formula text and data in, an `LmmModel`
 * out, ready for `reml(model)` and `gibbs(model, { iter })`. It only composes stages a user can
 * also call one by one:
 *
 *     formulaSpec(text) ──▶ modelFrame(spec, data) ──▶ modelFromFrame(spec, frame) ──▶ LmmModel
 */

import type { FrameVariable } from "../data/frame";
import { type DataInput, toDataTable } from "../data/table";
import { type FrameOptions, modelFrame } from "../design/frame";
import { ArgumentError, DataError } from "../errors";
import { formulaSpec } from "../formula/index";
import type { FormulaSpec } from "../formula/types";
import { checkOptionsArgument } from "../validate";
import { AR1_POSITION_TIME, ar1Chains } from "./ar1";
import { modelFromFrame } from "./build";
import type { LmmModel, VarIdent } from "./types";

/** Options of `lmm`. */
export interface LmmOptions extends FrameOptions {
  /**
   * A numeric column of precision weights (lme4's `weights =`): row i's residual has variance
   * sigma2 / w_i. Every weight must be finite and > 0; a row with a missing weight is dropped.
   */
  readonly weights?: string;
  /**
   * A column whose levels each get their own residual variance (nlme's
   * `varIdent(form = ~ 1 | column)`): row i's residual variance is sigma2 delta_{level(i)}², the first
   * level (in R's sorted order) the reference with delta = 1.
   */
  readonly varIdent?: string;
  /**
   * AR(1) residuals within groups ordered by time (nlme's `corAR1(form = ~ time | group)`):
   * `{ time: "Days", group: "Subject" }`; `time: "1"` for the rows' order within a group
   * (`~ 1 | group`). Times must be integers, unique within a group; gaps count (phi^lag); each
   * group must lie in one level of every random-effects factor. See src/model/ar1.ts.
   */
  readonly ar1?: { readonly time: string; readonly group: string };
}

/**
 * Builds a linear mixed model from an lme4 formula and data.
 *
 *     y = X beta + sum_k Z_k b_k + offset + e,   e ~ N(0, sigma2 I),   b_kj ~ N(0, Psi_k)
 *
 * X is R's `model.matrix` of the fixed part (aliased columns dropped with a warning in
 * `model.warnings`); each `(lhs | g)` gives a term with lme4's layout, order and names. Rows with a
 * missing value in a used column are dropped (`model.dropped`).
 *
 * @param formula - lme4 formula text, e.g. `"Reaction ~ Days + (Days | Subject)"`, or a `FormulaSpec`.
 * @param data - rows, columns, an Arrow-like table or a `DataTable` (e.g. from `parseCsv`).
 * @param options - see `LmmOptions`.
 * @returns the model.
 * @throws FormulaError for a formula that does not parse; ArgumentError when it has no
 *   random-effects term; DataError for unknown columns (with close names) and data lme4 would
 *   refuse (see src/model/checks.ts).
 * @example
 * const model = lmm("Reaction ~ Days + (Days | Subject)", rows);
 * model.fixedNames; // ["(Intercept)", "Days"]
 * model.terms[0].names; // ["(Intercept)", "Days"]
 * @see Bates, Mächler, Bolker & Walker (2015) Fitting linear mixed-effects models using lme4.
 *   J. Stat. Softw. 67(1). doi:10.18637/jss.v067.i01
 */
export function lmm(formula: string | FormulaSpec, data: DataInput, options: LmmOptions = {}): LmmModel {
  checkOptionsArgument(options);
  const table = toDataTable(data);
  let spec: FormulaSpec;
  if (typeof formula === "string") spec = formulaSpec(formula, { columns: table.names });
  else if (
    formula !== null &&
    typeof formula === "object" &&
    typeof formula.response === "string" &&
    Array.isArray(formula.fixed) &&
    Array.isArray(formula.random) &&
    Array.isArray(formula.variables) &&
    Array.isArray(formula.offsets) &&
    typeof formula.intercept === "boolean"
  )
    spec = formula;
  else
    throw new ArgumentError(
      "formula",
      "must be formula text or a FormulaSpec (formulaSpec(text): response, intercept, fixed, random, variables, offsets)",
      formula,
    );
  if (spec.random.length === 0)
    throw new ArgumentError(
      "formula",
      "must have at least one random-effects term such as `(1 | group)` (for a model without one, use a linear regression)",
      spec.text,
    );
  const { weights: weightsColumn, varIdent: varIdentColumn, ar1: ar1Option, ...frameOptions } = options;
  if (weightsColumn === undefined && varIdentColumn === undefined && ar1Option === undefined)
    return modelFromFrame(spec, modelFrame(spec, table, frameOptions));
  const extra: string[] = [];
  for (const [name, column] of [
    ["weights", weightsColumn],
    ["varIdent", varIdentColumn],
  ] as const) {
    if (column === undefined) continue;
    if (typeof column !== "string" || column === "")
      throw new ArgumentError(
        `options.${name}`,
        name === "weights" ? "must be the name of a numeric column" : "must be the name of a column",
        column,
      );
    extra.push(column);
  }
  if (ar1Option !== undefined) {
    checkAr1Option(ar1Option, weightsColumn, varIdentColumn);
    for (const column of [ar1Option.time, ar1Option.group])
      if (column !== AR1_POSITION_TIME && !extra.includes(column)) extra.push(column);
  }
  // The residual model's columns are read with the formula's variables (so a row missing one is
  // dropped with them).
  const frame = modelFrame(
    { ...spec, variables: [...spec.variables, ...extra], offsets: [...spec.offsets, ...extra] },
    table,
    frameOptions,
  );
  let model: LmmModel = modelFromFrame(spec, frame);
  if (weightsColumn !== undefined)
    model = {
      ...model,
      weights: precisionWeights(weightsColumn, frame.variables.get(weightsColumn), frame.rows),
    };
  if (varIdentColumn !== undefined)
    model = { ...model, varIdent: strata(varIdentColumn, frame.variables.get(varIdentColumn)!) };
  if (ar1Option !== undefined)
    model = {
      ...model,
      ar1: ar1Chains(
        ar1Option.time,
        ar1Option.group,
        frame.variables.get(ar1Option.time),
        frame.variables.get(ar1Option.group),
        model.terms,
        frame.rows,
      ),
    };
  const unused = extra.filter((c) => !spec.variables.includes(c));
  if (unused.length === 0 || model.recipe === undefined) return model;
  // The recipe rebuilds X and Z on new data: it needs no residual-model columns.
  const variables = Object.fromEntries(
    Object.entries(model.recipe.variables).filter(([key]) => !unused.includes(key)),
  );
  return { ...model, recipe: { ...model.recipe, variables } };
}

/** Checks `options.ar1`: `{ time, group }` column names, and no weights or varIdent beside it. */
function checkAr1Option(option: unknown, weights: string | undefined, varIdent: string | undefined): void {
  const o = option as { time?: unknown; group?: unknown } | null;
  if (o === null || typeof o !== "object" || Array.isArray(o))
    throw new ArgumentError(
      "options.ar1",
      "must be { time, group }: the time column (or \"1\" for the rows' order) and the grouping column, as nlme's corAR1(form = ~ time | group)",
      option,
    );
  for (const key of Object.keys(o))
    if (key !== "time" && key !== "group")
      throw new ArgumentError(
        "options.ar1",
        `has an unknown key \`${key}\` (it takes time and group)`,
        option,
      );
  for (const key of ["time", "group"] as const)
    if (typeof o[key] !== "string" || o[key] === "")
      throw new ArgumentError(`options.ar1.${key}`, "must be the name of a column", o[key]);
  if (o.group === AR1_POSITION_TIME)
    throw new ArgumentError("options.ar1.group", "must be the name of a grouping column", o.group);
  if (weights !== undefined || varIdent !== undefined)
    throw new ArgumentError(
      "options.ar1",
      `cannot be combined with ${weights !== undefined ? "weights" : "varIdent"} yet (AR(1) residuals with one residual variance)`,
      option,
    );
}

/** The strata of a varIdent column: a factor's levels, or a numeric column's distinct values in order. */
function strata(name: string, variable: FrameVariable): VarIdent {
  let levels: string[];
  let refs: Int32Array;
  if (variable.type === "factor") {
    levels = [...variable.levels];
    refs = Int32Array.from(variable.codes);
  } else if (variable.type === "numeric") {
    const values = [...new Set(variable.values)].sort((a, b) => a - b);
    levels = values.map(String);
    const at = new Map(values.map((v, k) => [v, k]));
    refs = Int32Array.from(variable.values, (v) => at.get(v)!);
  } else
    throw new DataError("INVALID_DATA", `invalid data. The varIdent column \`${name}\` must be one column.`, {
      column: name,
    });
  // Levels no used row holds are left out (R's droplevels).
  const counts = new Int32Array(levels.length);
  for (const r of refs) counts[r]!++;
  const kept = levels.map((_, k) => k).filter((k) => counts[k]! > 0);
  const index = new Int32Array(levels.length).fill(-1);
  kept.forEach((k, j) => {
    index[k] = j;
  });
  if (kept.length < 2)
    throw new DataError(
      "INVALID_DATA",
      `invalid data. The varIdent column \`${name}\` must have at least 2 levels in the rows used (it has ${kept.length}).`,
      { column: name },
    );
  return { group: name, levels: kept.map((k) => levels[k]!), refs: Int32Array.from(refs, (r) => index[r]!) };
}

/**
 * Checks a precision-weights column: numeric, each value finite and > 0.
 *
 * @throws DataError (INVALID_DATA) naming the column (and the row of the data, 1-based, of a bad value)
 */
function precisionWeights(name: string, variable: FrameVariable | undefined, rows: Int32Array): Float64Array {
  if (variable === undefined || variable.type !== "numeric")
    throw new DataError(
      "INVALID_DATA",
      `invalid data. The weights column \`${name}\` must be numeric (precision weights, one per row).`,
      { column: name },
    );
  const values = variable.values;
  for (let i = 0; i < values.length; i++)
    if (!(values[i]! > 0) || !Number.isFinite(values[i]!))
      throw new DataError(
        "INVALID_DATA",
        `invalid data. The weights column \`${name}\` must hold finite numbers > 0; row ${rows[i]! + 1} holds ${values[i]}.`,
        { column: name, row: rows[i]! + 1 },
      );
  return Float64Array.from(values);
}
