/**
 * Contrasts: how a factor with m levels becomes m - 1 columns where the model has an intercept (or an
 * earlier term that absorbs one level), as R's `contrasts()` — and the names R gives the columns
 * (`model.matrix` pastes the variable's label and the contrast matrix's column name):
 *
 * | kind        | R                | column j (1-based) at level i                    | names          |
 * |-------------|------------------|--------------------------------------------------|----------------|
 * | `treatment` | `contr.treatment`| 1 if i = j + 1 (level 1 is the reference)        | the levels 2..m|
 * | `sum`       | `contr.sum`      | 1 if i = j, -1 if i = m                           | `1` .. `m-1`   |
 * | `helmert`   | `contr.helmert`  | -1 if i ≤ j, j if i = j + 1                       | `1` .. `m-1`   |
 * | `poly`      | `contr.poly`     | orthonormal polynomial of degree j on scores 1..m | `.L .Q .C ^4 …`|
 *
 * Treatment contrasts are R's default for unordered factors, polynomial contrasts for ordered factors
 * (`options("contrasts")`). A factor coded "fully" (no intercept to absorb a level) gets one indicator
 * per level whatever its contrasts, named by level, as in R.
 */

import { checkArrayArgument, checkStringArgument } from "../validate";
import { MAX_POLY_LEVELS, polyContrasts } from "./poly";

/** The contrasts a factor can be coded by. */
export type ContrastKind = "treatment" | "sum" | "helmert" | "poly";

/** Every contrast kind, for validating options. */
export const CONTRAST_KINDS: readonly ContrastKind[] = ["treatment", "sum", "helmert", "poly"];

/** A contrast matrix: m × (m - 1), row-major, with R's column names. */
export interface ContrastMatrix {
  readonly values: Float64Array;
  readonly names: readonly string[];
}

/**
 * The contrast matrix of a factor.
 *
 * @param kind - the contrasts.
 * @param levels - the factor's levels (m ≥ 2; `poly` at most 95).
 * @returns m × (m - 1) values and the column names.
 * @example contrastMatrix("sum", ["a", "b", "c"]).values // [1, 0, 0, 1, -1, -1]
 * @example contrastMatrix("treatment", ["a", "b", "c"]).names // ["b", "c"]
 */
export function contrastMatrix(kind: ContrastKind, levels: readonly string[]): ContrastMatrix {
  checkStringArgument(kind, "kind", "a contrast kind");
  checkArrayArgument(levels, "levels", "an array of level names", false);
  const m = levels.length;
  const k = m - 1;
  const values = new Float64Array(m * k);
  const numbered = Array.from({ length: k }, (_, j) => String(j + 1));
  switch (kind) {
    case "treatment":
      for (let j = 0; j < k; j++) values[(j + 1) * k + j] = 1;
      return { values, names: levels.slice(1) };
    case "sum":
      for (let j = 0; j < k; j++) {
        values[j * k + j] = 1;
        values[(m - 1) * k + j] = -1;
      }
      return { values, names: numbered };
    case "helmert":
      for (let j = 0; j < k; j++) {
        for (let i = 0; i <= j; i++) values[i * k + j] = -1;
        values[(j + 1) * k + j] = j + 1;
      }
      return { values, names: numbered };
    case "poly": {
      if (m > MAX_POLY_LEVELS)
        throw new Error(`internal: polynomial contrasts for ${m} levels (the frame checks the limit)`);
      return polyContrasts(m);
    }
  }
}
