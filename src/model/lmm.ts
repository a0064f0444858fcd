/**
 * `lmm(formula, data)`: the model constructor users call — formula text and data in, an `LmmModel`
 * out, ready for `reml(model)` and `gibbs(model, { iter })`. It only composes stages a user can
 * also call one by one:
 *
 *     formulaSpec(text) ──▶ modelFrame(spec, data) ──▶ modelFromFrame(spec, frame) ──▶ LmmModel
 */
import { type DataInput, toDataTable } from "../data/table";
import { type FrameOptions, modelFrame } from "../design/frame";
import { ArgumentError } from "../errors";
import { formulaSpec } from "../formula/index";
import type { FormulaSpec } from "../formula/types";
import { checkOptionsArgument } from "../validate";
import { modelFromFrame } from "./build";
import type { LmmModel } from "./types";

/** Options of `lmm`. */
export interface LmmOptions extends FrameOptions {}

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
  const frame = modelFrame(spec, table, options);
  return modelFromFrame(spec, frame);
}
