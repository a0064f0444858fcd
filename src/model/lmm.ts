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
import { modelFromFrame } from "./build";
import type { LmmModel } from "./types";

/** Options of `lmm`. */
export interface LmmOptions extends FrameOptions {
  /**
   * A numeric column of precision weights (lme4's `weights =`): row i's residual has variance
   * sigma2 / w_i. Every weight must be finite and > 0; a row with a missing weight is dropped.
   */
  readonly weights?: string;
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
  const { weights: weightsColumn, ...frameOptions } = options;
  if (weightsColumn === undefined) return modelFromFrame(spec, modelFrame(spec, table, frameOptions));
  if (typeof weightsColumn !== "string" || weightsColumn === "")
    throw new ArgumentError("options.weights", "must be the name of a numeric column", weightsColumn);
  // The weights column is read with the formula's variables (so a row missing it is dropped with them).
  const used = spec.variables.includes(weightsColumn);
  const frame = modelFrame(
    { ...spec, variables: [...spec.variables, weightsColumn], offsets: [...spec.offsets, weightsColumn] },
    table,
    frameOptions,
  );
  const model = modelFromFrame(spec, frame);
  const weights = precisionWeights(weightsColumn, frame.variables.get(weightsColumn), frame.rows);
  if (used || model.recipe === undefined) return { ...model, weights };
  // The recipe rebuilds X and Z on new data: it needs no weights.
  const { [weightsColumn]: _, ...variables } = model.recipe.variables;
  return { ...model, weights, recipe: { ...model.recipe, variables } };
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
