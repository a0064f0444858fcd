/**
 * The checks lme4's `lmer` makes before fitting (`lmerControl()` defaults, each "stop"), and the
 * response checks: each failure is a `DataError` (INVALID_DATA) that says what to change.
 *
 * - `check.nlev.gtr.1`: every grouping factor has at least 2 levels in the rows used.
 * - `check.nobs.vs.nlev`: every grouping factor has fewer levels than rows.
 * - `check.nobs.vs.nRE`: for every term, rows outnumber its random effects (q × m), as lme4's
 *   `checkZdims` checks term by term.
 * - The response is numeric (not a string or boolean column) and not constant.
 */

import type { FrameVariable } from "../data/frame";
import { ArgumentError, DataError } from "../errors";
import type { RandomEffectsTerm } from "./types";

/**
 * Checks the response variable: numeric and not constant.
 *
 * @param name - the response column.
 * @param variable - its frame variable.
 * @returns the response values.
 * @throws DataError (INVALID_DATA) naming the column.
 */
export function checkResponse(name: string, variable: FrameVariable): Float64Array {
  if (variable.type === "matrix") {
    if (variable.columns.length === 1)
      return checkResponse(name, { type: "numeric", name, values: variable.columns[0]! });
    throw new DataError(
      "INVALID_DATA",
      `invalid data. The response \`${name}\` has ${variable.columns.length} columns; a linear mixed model has one response.`,
      { column: name },
    );
  }
  if (variable.type !== "numeric") {
    const sample = variable.levels
      .slice(0, 3)
      .map((l) => `\`${l}\``)
      .join(", ");
    throw new DataError(
      "INVALID_DATA",
      `invalid data. The response \`${name}\` must be numeric, but it holds text or booleans (${sample}${variable.levels.length > 3 ? ", ..." : ""}).`,
      { column: name },
    );
  }
  const y = variable.values;
  const first = y[0]!;
  let constant = true;
  for (let i = 1; i < y.length && constant; i++) if (y[i] !== first) constant = false;
  if (constant)
    throw new DataError(
      "INVALID_DATA",
      `invalid data. The response \`${name}\` is constant (${String(first)} in each of the ${y.length} rows used); there is nothing to model.`,
      { column: name },
    );
  return y;
}

/**
 * lme4's checks on the random-effects terms (see the file comment).
 *
 * @param terms - the terms, in lme4's order.
 * @param n - number of rows used.
 * @param describe - the formula text of each term, for messages.
 * @throws DataError (INVALID_DATA) naming the grouping factor.
 */
export function checkRandomTerms(
  terms: readonly RandomEffectsTerm[],
  n: number,
  describe: (term: RandomEffectsTerm, index: number) => string,
): void {
  for (const term of terms)
    if (term.m < 2)
      throw new DataError(
        "INVALID_DATA",
        `invalid data. The grouping factor \`${term.group}\` has ${term.m === 1 ? `one level (\`${term.levels[0]}\`)` : "no level"} in the rows used; a random effect needs at least 2 (lme4's check.nlev.gtr.1).`,
        { column: term.group },
      );
  for (const term of terms)
    if (term.m >= n)
      throw new DataError(
        "INVALID_DATA",
        `invalid data. The grouping factor \`${term.group}\` has ${term.m} levels for ${n} rows; it needs fewer levels than rows, or the random effects cannot be told from the residual (lme4's check.nobs.vs.nlev).`,
        { column: term.group },
      );
  for (const [k, term] of terms.entries()) {
    const effects = term.q * term.m;
    if (n <= effects)
      throw new DataError(
        "INVALID_DATA",
        `invalid data. The term ${describe(term, k)} has ${effects} random effects (${term.q} × ${term.m} levels) for ${n} rows; there must be more rows than random effects (lme4's check.nobs.vs.nRE).`,
        { column: term.group },
      );
  }
}

/**
 * Checks a model's precision weights (`model.weights`, absent or null for none): one per row, each
 * finite and > 0.
 *
 * @throws ArgumentError naming `model.weights` (and the row, 1-based)
 */
export function checkModelWeights(weights: Float64Array | null | undefined, n: number): void {
  if (weights === null || weights === undefined) return;
  if (!(weights instanceof Float64Array) || weights.length !== n)
    throw new ArgumentError("model.weights", `must be a Float64Array of ${n} weights (one per row)`, weights);
  for (let i = 0; i < n; i++)
    if (!(weights[i]! > 0) || !Number.isFinite(weights[i]!))
      throw new ArgumentError(
        `model.weights[${i}]`,
        `must be a finite number > 0 (row ${i + 1})`,
        weights[i],
      );
}
