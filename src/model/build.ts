/**
 * The design stage: a formula's meaning and its model frame → `LmmModel` (src/model/types.ts).
 * Composes the fixed-effects design (src/design/fixed.ts), the random-effects terms
 * (src/design/random.ts), offsets, and lme4's checks (./checks.ts).
 */
import { fixedDesign } from "../design/fixed";
import type { ModelFrame } from "../design/frame";
import { randomDesign } from "../design/random";
import type { DesignRecipe } from "../design/recipe";
import { DataError } from "../errors";
import { formatRandomTerm } from "../formula/format";
import type { FormulaSpec } from "../formula/types";
import { checkObjectArgument } from "../validate";
import { checkRandomTerms, checkResponse } from "./checks";
import type { LmmModel } from "./types";

/**
 * Builds the model from a formula spec and its model frame (lme4's `lFormula` after `model.frame`).
 *
 * @param spec - the formula's meaning (from `formulaSpec`).
 * @param frame - its model frame (from `modelFrame(spec, data)`).
 * @returns the `LmmModel`: y, X (aliased columns dropped), offset, random terms in lme4's order, and
 *   the recipe that builds the same design on new data (`applyRecipe`).
 * @throws DataError for a non-numeric or constant response, a non-numeric offset, a single-level
 *   factor under contrasts, and lme4's grouping-factor checks.
 * @example modelFromFrame(spec, modelFrame(spec, data)).fixedNames // ["(Intercept)", "Days"]
 */
export function modelFromFrame(spec: FormulaSpec, frame: ModelFrame): LmmModel {
  checkObjectArgument(spec, "spec", "a FormulaSpec from formulaSpec(text)", [
    "response",
    "intercept",
    "fixed",
    "random",
    "offsets",
  ]);
  checkObjectArgument(frame, "frame", "a ModelFrame from modelFrame(spec, data)", ["n", "variables"]);
  const n = frame.n;
  const y = checkResponse(spec.response, variableOf(frame, spec.response));
  const fixed = fixedDesign(spec, frame);
  let offset: Float64Array | null = null;
  for (const name of spec.offsets) {
    const v = variableOf(frame, name);
    if (v.type !== "numeric")
      throw new DataError(
        "INVALID_DATA",
        `invalid data. The offset \`${name}\` must be numeric, but it holds text or booleans.`,
        { column: name },
      );
    offset ??= new Float64Array(n);
    for (let i = 0; i < n; i++) offset[i] = offset[i]! + v.values[i]!;
  }
  const { terms, specs } = randomDesign(spec.random, frame, spec.expressions);
  checkRandomTerms(terms, n, (_, k) => formatRandomTerm(specs[k]!, spec.expressions));
  const recipe: DesignRecipe = {
    formula: spec.text,
    response: spec.response,
    variables: Object.fromEntries(frame.recipes),
    expressions: Object.keys(spec.expressions),
    fixed: { intercept: spec.intercept, terms: spec.fixed, names: fixed.names },
    offsets: spec.offsets,
    random: terms.map((term, k) => ({
      label: term.label,
      group: term.group,
      groupKeys: specs[k]!.group,
      levels: term.levels,
      intercept: specs[k]!.intercept,
      terms: specs[k]!.terms,
      names: term.names,
    })),
    stringOrder: frame.stringOrder,
  };
  return {
    formula: spec.text,
    response: spec.response,
    n,
    p: fixed.p,
    y,
    X: fixed.X,
    fixedNames: fixed.names,
    offset,
    terms,
    dropped: frame.dropped,
    rows: frame.rows,
    aliased: fixed.aliased,
    warnings: fixed.warnings,
    recipe,
  };
}

function variableOf(frame: ModelFrame, name: string) {
  const v = frame.variables.get(name);
  if (v === undefined) throw new Error(`internal: the model frame has no variable \`${name}\``);
  return v;
}
