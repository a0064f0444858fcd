/**
 * Which columns a list of model terms makes, and what they are called — R's `model.matrix` rules
 * (Chambers & Hastie 1992, *Statistical Models in S*, §2.4.1; R's `TermCode` in stats/src/model.c):
 *
 * - The intercept `(Intercept)` comes first, then each term's columns, terms in the given order.
 * - A numeric variable contributes its values, a matrix variable (`poly(x, 2)`) one column per column
 *   (named by the variable's label and the column's suffix: `poly(x, 2)1`); a factor contributes
 *   either its contrast columns (coding "contrasts": ./contrasts.ts — treatment contrasts give one
 *   indicator per level but the first, named by level; `sum`/`helmert` columns are numbered,
 *   `poly` ones `.L .Q ...`) or one indicator per level (coding "full").
 * - A factor f in a term T is coded by contrasts when T without f is empty, or is contained in a
 *   term before T; otherwise it is coded fully. (`y ~ a + a:b` codes b in `a:b` by contrasts, a
 *   fully: `aA:bY`, `aB:bY`; `y ~ a:b` codes both fully.)
 * - Without an intercept, the first factor (in variable order) of the first term that has a factor
 *   is coded fully: `y ~ 0 + a + b` gives `aA`, `aB`, `bY`.
 * - A term's columns run over the combinations of its variables' columns, the first variable varying
 *   fastest: `aB:bY`, `aC:bY`, `aB:bZ`, `aC:bZ`. Names join the parts with `:`; a factor's part is
 *   the variable's name followed by the level (`sexM`), a numeric variable's part its name.
 *
 * A term's variables are in R's variable order already (the formula stage lists them so). A variable
 * key that is an expression is labelled by its key (R's deparse), a column by its name (in backticks
 * when not syntactic).
 */

import { contrastsOf, type FactorVariable, type FrameVariable } from "../data/frame";
import { DataError } from "../errors";
import { rName } from "../formula/deparse";
import type { TermSpec } from "../formula/types";
import { contrastMatrix } from "./contrasts";
import type { ModelFrame } from "./frame";

/** One factor of a column's product: a numeric variable's values, or a factor's level indicator. */
export type ColumnPart =
  | { readonly type: "numeric"; readonly values: Float64Array }
  | { readonly type: "indicator"; readonly codes: Int32Array; readonly level: number }
  /** A contrast column: the value at a row is `weights[codes[row]]`. */
  | { readonly type: "contrast"; readonly codes: Int32Array; readonly weights: Float64Array };

/** One design column: its name and the product that gives its values (the intercept has no parts). */
export interface DesignColumn {
  readonly name: string;
  /** The label of the term the column comes from (`(Intercept)`, `sex`, `sex:standLRT`). */
  readonly term: string;
  readonly parts: readonly ColumnPart[];
}

/** How a factor in a term is coded. */
export type Coding = "contrasts" | "full";

/**
 * The coding of each factor in each term (R's rule, see the file comment).
 *
 * @param intercept - whether the model has an intercept.
 * @param terms - the terms, in model order, each with its variables in R's variable order.
 * @param isFactor - whether a variable is a factor.
 * @returns for term j, a map from each of its factor variables to its coding.
 * @example termCodings(true, [{ variables: ["a"] }, { variables: ["a", "b"] }], () => true)
 * // [Map { a => "contrasts" }, Map { a => "full", b => "contrasts" }]
 */
export function termCodings(
  intercept: boolean,
  terms: readonly TermSpec[],
  isFactor: (name: string) => boolean,
): Map<string, Coding>[] {
  const sets = terms.map((t) => new Set(t.variables));
  const codings = terms.map((term, j) => {
    const coding = new Map<string, Coding>();
    for (const v of term.variables) {
      if (!isFactor(v)) continue;
      const rest = term.variables.filter((u) => u !== v);
      let contrasts = rest.length === 0;
      for (let k = 0; k < j && !contrasts; k++) if (rest.every((u) => sets[k]!.has(u))) contrasts = true;
      coding.set(v, contrasts ? "contrasts" : "full");
    }
    return coding;
  });
  if (!intercept) {
    outer: for (const [j, term] of terms.entries())
      for (const v of term.variables)
        if (isFactor(v)) {
          codings[j]!.set(v, "full");
          break outer;
        }
  }
  return codings;
}

/**
 * The columns of the model matrix of `intercept + terms` on a frame (R's `model.matrix`).
 *
 * @param intercept - whether to start with `(Intercept)`.
 * @param terms - the terms in model order.
 * @param frame - the model frame holding every variable the terms use.
 * @param where - what the terms belong to, for error messages (e.g. "the fixed effects").
 * @returns the columns in R's order, with R's names.
 * @throws DataError (INVALID_DATA) when a factor coded by contrasts has a single level (R: "contrasts
 *   can be applied only to factors with 2 or more levels").
 */
export function designColumns(
  intercept: boolean,
  terms: readonly TermSpec[],
  frame: Pick<ModelFrame, "variables">,
  where: string,
  expressions: Readonly<Record<string, unknown>> = {},
): DesignColumn[] {
  const variable = (name: string): FrameVariable => {
    const v = frame.variables.get(name);
    if (v === undefined) throw new Error(`internal: the model frame has no variable \`${name}\``);
    return v;
  };
  const labelOf = (key: string): string => (Object.hasOwn(expressions, key) ? key : rName(key));
  const codings = termCodings(intercept, terms, (name) => variable(name).type === "factor");
  const columns: DesignColumn[] = [];
  if (intercept) columns.push({ name: "(Intercept)", term: "(Intercept)", parts: [] });
  terms.forEach((term, j) => {
    const label = term.variables.map(labelOf).join(":");
    // Each variable's list of (name part, column part), the first variable varying fastest.
    const choices = term.variables.map((name) => {
      const v = variable(name);
      const vl = labelOf(name);
      if (v.type === "numeric")
        return [{ name: vl, part: { type: "numeric", values: v.values } as ColumnPart }];
      if (v.type === "matrix")
        return v.columns.map((values, c) => ({
          name: `${vl}${v.suffixes[c]}`,
          part: { type: "numeric", values } as ColumnPart,
        }));
      const coding = codings[j]!.get(name)!;
      if (coding === "contrasts" && v.levels.length < 2) throw singleLevel(v, label, where);
      if (coding === "full")
        return v.levels.map((level, k) => ({
          name: `${vl}${level}`,
          part: { type: "indicator", codes: v.codes, level: k } as ColumnPart,
        }));
      const kind = contrastsOf(v);
      if (kind === "treatment")
        return v.levels.slice(1).map((level, k) => ({
          name: `${vl}${level}`,
          part: { type: "indicator", codes: v.codes, level: k + 1 } as ColumnPart,
        }));
      const matrix = contrastMatrix(kind, v.levels);
      const m = v.levels.length;
      return matrix.names.map((suffix, c) => ({
        name: `${vl}${suffix}`,
        part: {
          type: "contrast",
          codes: v.codes,
          weights: Float64Array.from({ length: m }, (_, i) => matrix.values[i * (m - 1) + c]!),
        } as ColumnPart,
      }));
    });
    const total = choices.reduce((acc, c) => acc * c.length, 1);
    for (let index = 0; index < total; index++) {
      let rest = index;
      const names: string[] = [];
      const parts: ColumnPart[] = [];
      for (const options of choices) {
        const pick = options[rest % options.length]!;
        rest = Math.floor(rest / options.length);
        names.push(pick.name);
        parts.push(pick.part);
      }
      columns.push({ name: names.join(":"), term: label, parts });
    }
  });
  return columns;
}

function singleLevel(v: FactorVariable, term: string, where: string): DataError {
  const level = v.levels[0] ?? "";
  return new DataError(
    "INVALID_DATA",
    `invalid data. The factor \`${v.name}\` in the term \`${term}\` of ${where} has only one level (\`${level}\`) in the rows used; contrasts need two or more levels.`,
    { column: v.name },
  );
}

/**
 * Writes the columns' values into `out`, row-major with row stride `stride` (column `c` of row `i`
 * at `offset + i * stride + c`). Allocates nothing.
 *
 * @param n - number of rows.
 * @param columns - the columns to write.
 * @param out - the destination.
 * @param stride - distance between rows in `out`.
 * @param offset - index of row 0, column 0 in `out`.
 */
export function fillColumns(
  n: number,
  columns: readonly DesignColumn[],
  out: Float64Array,
  stride: number,
  offset: number,
): void {
  for (let c = 0; c < columns.length; c++) {
    const parts = columns[c]!.parts;
    let o = offset + c;
    if (parts.length === 0) {
      for (let i = 0; i < n; i++, o += stride) out[o] = 1;
      continue;
    }
    if (parts.length === 1) {
      const part = parts[0]!;
      if (part.type === "numeric") {
        const values = part.values;
        for (let i = 0; i < n; i++, o += stride) out[o] = values[i]!;
      } else if (part.type === "contrast") {
        const { codes, weights } = part;
        for (let i = 0; i < n; i++, o += stride) out[o] = weights[codes[i]!]!;
      } else {
        const codes = part.codes;
        const level = part.level;
        for (let i = 0; i < n; i++, o += stride) out[o] = codes[i] === level ? 1 : 0;
      }
      continue;
    }
    for (let i = 0; i < n; i++, o += stride) {
      let value = 1;
      for (const part of parts) {
        if (part.type === "numeric") value *= part.values[i]!;
        else if (part.type === "contrast") value *= part.weights[part.codes[i]!]!;
        else if (part.codes[i] !== part.level) {
          value = 0;
          break;
        }
      }
      out[o] = value;
    }
  }
}
