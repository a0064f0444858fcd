/**
 * The variables of a model frame, and the data columns they are computed from.
 *
 * - `NumericVariable`, `FactorVariable`, `MatrixVariable` (`poly(x, 2)`, `ns(x, 3)`): one used
 *   variable of a model frame, one value per used row. The model frame itself — evaluating the
 *   formula's variables and dropping rows, R's `model.frame` — is src/design/frame.ts.
 * - `dataColumn(table, name, options)`: one data column over all rows as a number column (with a
 *   missing mask) or a factor (codes, -1 for missing): strings become factors whose levels are the
 *   values seen, sorted as R sorts them (./collate.ts), or in the order `options.levels` gives;
 *   booleans are factors with levels `FALSE`, `TRUE`; `options.ordered` makes a column an ordered
 *   factor (R's `ordered()`; numbers are sorted numerically and labelled as R writes them).
 *   `NaN` or `±Infinity` in a used column is an error naming the column and the row.
 * - `asFactor`: R's `factor(x)` of a frame variable (a grouping variable).
 */
import { DataError } from "../errors";
import { checkObjectArgument } from "../validate";
import { type StringOrder, stringComparator } from "./collate";
import { rNumberLabel } from "./numbers";
import { closeNames } from "./suggest";
import type { DataTable } from "./table";

/** The contrasts a factor can be coded by (R's `contr.treatment`, `contr.sum`, `contr.helmert`, `contr.poly`). */
export type ContrastKind = "treatment" | "sum" | "helmert" | "poly";

/** A numeric variable of the frame: one value per used row. */
export interface NumericVariable {
  readonly type: "numeric";
  readonly name: string;
  readonly values: Float64Array;
}

/** A factor variable of the frame: a level index (0-based into `levels`) per used row. */
export interface FactorVariable {
  readonly type: "factor";
  readonly name: string;
  readonly levels: readonly string[];
  readonly codes: Int32Array;
  /** An ordered factor (R's `ordered()`): coded by polynomial contrasts unless `contrasts` says otherwise. */
  readonly ordered?: true;
  /** Contrasts chosen for this factor (an option); absent means R's default (treatment; poly if ordered). */
  readonly contrasts?: ContrastKind;
}

/** A variable of several columns (`poly(x, 2)`, `ns(x, 3)`, `scale(x)`): column j is named `name + suffixes[j]`. */
export interface MatrixVariable {
  readonly type: "matrix";
  readonly name: string;
  readonly suffixes: readonly string[];
  /** One array per column, one value per used row. */
  readonly columns: readonly Float64Array[];
}

/** One used variable of the frame. */
export type FrameVariable = NumericVariable | FactorVariable | MatrixVariable;

/** The contrasts a factor is coded by: its own, else R's default for its kind. */
export function contrastsOf(variable: FactorVariable): ContrastKind {
  return variable.contrasts ?? (variable.ordered === true ? "poly" : "treatment");
}

/** How data columns become variables. */
export interface ColumnOptions {
  /**
   * How to sort the levels of string columns: `"locale"` (ICU, as R in en_US.UTF-8) or
   * `"codepoint"` (as R in the C locale). See src/data/collate.ts.
   * @default "locale"
   */
  readonly stringOrder?: StringOrder;
  /**
   * The level order of factor columns, by column (R's `factor(x, levels = ...)`): the first level is
   * the reference of treatment contrasts. Every value of the column must be listed.
   */
  readonly levels?: Readonly<Record<string, readonly string[]>>;
  /**
   * Columns to read as ordered factors (R's `ordered()`), by column: the levels in order, or `true`
   * for the sorted order. Ordered factors are coded by polynomial contrasts (`.L`, `.Q`, ...), as in R.
   */
  readonly ordered?: Readonly<Record<string, readonly string[] | true>>;
}

/** A data column over all rows of the data, as the frame reads it. */
export type DataColumn =
  | { readonly type: "numeric"; readonly values: Float64Array; readonly missing: Uint8Array | null }
  | {
      readonly type: "factor";
      /** Levels in order. */
      readonly levels: readonly string[];
      /** Level index per row, -1 where missing. */
      readonly codes: Int32Array;
      readonly ordered: boolean;
      /** A column of booleans: its factor keeps both levels `FALSE`, `TRUE` (as R's model.matrix codes it). */
      readonly logical: boolean;
    };

/**
 * One data column over all rows, typed as the model frame uses it.
 *
 * @param table - the data.
 * @param name - the column.
 * @param options - string order, level orders, ordered factors.
 * @returns numbers with a missing mask, or a factor with codes (-1 for missing).
 * @throws DataError: UNKNOWN_COLUMN (with close names), INVALID_DATA (a non-finite number, a column
 *   mixing types, a value missing from `options.levels`).
 * @example dataColumn(toDataTable({ g: ["b", "a", null] }), "g").levels // ["a", "b"]
 */
export function dataColumn(table: DataTable, name: string, options: ColumnOptions = {}): DataColumn {
  const column = table.column(name);
  if (column === undefined) throw unknownColumn(name, table);
  if (column.type === "invalid")
    throw new DataError("INVALID_DATA", `invalid data. The ${column.reason}.`, {
      column: name,
      row: column.row,
    });
  const given = options.ordered?.[name] ?? options.levels?.[name];
  const ordered = options.ordered?.[name] !== undefined;
  const compare = stringComparator(options.stringOrder ?? "locale");
  if (column.type === "numeric") {
    checkFinite(name, column.values, column.missing);
    if (given === undefined) return { type: "numeric", values: column.values, missing: column.missing };
    const labels = Array.from(column.values, (v, i) => (column.missing?.[i] === 1 ? null : rNumberLabel(v)));
    const sorted = Float64Array.from(
      new Set(Array.from(column.values).filter((_, i) => column.missing?.[i] !== 1)),
    ).sort();
    return levelled(name, labels, given === true ? Array.from(sorted, rNumberLabel) : given, ordered);
  }
  if (column.type === "logical") {
    const labels = column.values.map((v) => (v === null || v === undefined ? null : v ? "TRUE" : "FALSE"));
    const factor = levelled(
      name,
      labels,
      given === undefined || given === true ? ["FALSE", "TRUE"] : given,
      ordered,
    );
    return given === undefined ? { ...factor, logical: true } : factor;
  }
  const values = column.values as readonly (string | null | undefined)[];
  if (given !== undefined && given !== true) return levelled(name, values, given, ordered);
  const seen = [...new Set(values.filter((v): v is string => v !== null && v !== undefined))];
  return levelled(name, values, seen.sort(compare), ordered);
}

/** A factor with the given levels; a value not among them is an error naming it. */
function levelled(
  name: string,
  labels: readonly (string | null | undefined)[],
  levels: readonly string[],
  ordered: boolean,
): Extract<DataColumn, { type: "factor" }> {
  const index = new Map<string, number>();
  levels.forEach((level, k) => {
    if (!index.has(level)) index.set(level, k);
  });
  if (index.size !== levels.length)
    throw new DataError("INVALID_DATA", `invalid data. The levels given for \`${name}\` repeat a level.`, {
      column: name,
    });
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === null || label === undefined) {
      codes[i] = -1;
      continue;
    }
    const k = index.get(label);
    if (k === undefined)
      throw new DataError(
        "INVALID_DATA",
        `invalid data. Column \`${name}\` has the value \`${label}\` in row ${i + 1}, which is not among the levels given for it (${levels
          .slice(0, 8)
          .map((l) => `\`${l}\``)
          .join(", ")}${levels.length > 8 ? ", ..." : ""}).`,
        { column: name, row: i + 1 },
      );
    codes[i] = k;
  }
  return { type: "factor", levels, codes, ordered, logical: false };
}

function unknownColumn(name: string, table: DataTable): DataError {
  const close = closeNames(name, table.names);
  const hint = close.length > 0 ? ` Did you mean ${close.map((c) => `\`${c}\``).join(" or ")}?` : "";
  const shown = table.names.slice(0, 12).map((c) => `\`${c}\``);
  const more = table.names.length > 12 ? `, ... (${table.names.length} in all)` : "";
  const list = table.names.length === 0 ? "no columns" : `columns ${shown.join(", ")}${more}`;
  return new DataError(
    "UNKNOWN_COLUMN",
    `unknown column. The formula uses \`${name}\`, which the data do not have.${hint} The data have ${list}.`,
    { column: name },
  );
}

function checkFinite(name: string, values: Float64Array, missing: Uint8Array | null): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v) && (missing === null || missing[i] === 0))
      throw new DataError(
        "INVALID_DATA",
        `invalid data. Column \`${name}\` has the non-finite value \`${String(v)}\` in row ${i + 1}; a missing value must be null (in CSV: empty or NA).`,
        { column: name, row: i + 1 },
      );
  }
}

/**
 * A frame variable as a factor with only the levels that occur (R's `factor(x)`, as lme4 makes a
 * grouping variable): a numeric variable gets its distinct values sorted numerically, labelled as
 * R's `as.character` writes them (`308`, `2.5`, `1e+05`); a factor keeps its order and loses
 * unused levels.
 *
 * @param variable - a numeric or factor frame variable.
 * @returns the factor.
 * @throws DataError (INVALID_DATA) for a variable of several columns.
 * @example asFactor({ type: "numeric", name: "s", values: new Float64Array([10, 9, 10]) }).levels // ["9", "10"]
 */
export function asFactor(variable: FrameVariable): FactorVariable {
  checkObjectArgument(variable, "variable", "a frame variable (numeric or factor)", ["type"]);
  if (variable.type === "matrix")
    throw new DataError(
      "INVALID_DATA",
      `invalid data. \`${variable.name}\` has ${variable.columns.length} columns and cannot be a grouping factor.`,
      { column: variable.name },
    );
  const n = variable.type === "numeric" ? variable.values.length : variable.codes.length;
  if (variable.type === "numeric") {
    const values = variable.values;
    // The distinct values: sorted, then runs of equal values kept once (-0 and 0 are one level, as in
    // R; NaN, sorted last, one level too).
    const sorted = values.slice().sort();
    let m = 0;
    for (let r = 0; r < n; r++) {
      const v = sorted[r]!;
      const last = sorted[m - 1]!;
      if (m === 0 || (v !== last && !(Number.isNaN(v) && Number.isNaN(last)))) sorted[m++] = v;
    }
    const distinct = sorted.subarray(0, m);
    // Each row's level by binary search (rows repeating the previous row's value skip it).
    const codes = new Int32Array(n);
    let previous = Number.NaN;
    let code = -1;
    for (let r = 0; r < n; r++) {
      const v = values[r]!;
      if (Number.isNaN(v)) {
        previous = v; // the next row is searched for
        code = m - 1;
      } else if (v !== previous) {
        let lo = 0;
        let hi = m - 1;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (distinct[mid]! < v) lo = mid + 1;
          else hi = mid;
        }
        previous = v;
        code = lo;
      }
      codes[r] = code;
    }
    return { type: "factor", name: variable.name, levels: Array.from(distinct, rNumberLabel), codes };
  }
  return dropUnusedLevels(variable);
}

/** A factor without the levels no row has (R's `droplevels`), keeping its ordering and contrasts. */
export function dropUnusedLevels(variable: FactorVariable): FactorVariable {
  const n = variable.codes.length;
  const used = new Uint8Array(variable.levels.length);
  for (let r = 0; r < n; r++) used[variable.codes[r]!] = 1;
  if (used.every((u) => u === 1)) return variable;
  const recode = new Int32Array(variable.levels.length).fill(-1);
  const levels: string[] = [];
  variable.levels.forEach((level, k) => {
    if (used[k] === 1) {
      recode[k] = levels.length;
      levels.push(level);
    }
  });
  const codes = new Int32Array(n);
  for (let r = 0; r < n; r++) codes[r] = recode[variable.codes[r]!]!;
  return { ...variable, levels, codes };
}
