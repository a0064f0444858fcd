/**
 * The model frame: the columns a formula uses, restricted to the rows it can use — lme4's
 * `model.frame(..., na.action = na.omit, drop.unused.levels = TRUE)`.
 *
 * - A row with a missing value in any used column is dropped and counted (`dropped`).
 * - Numbers stay numbers. Strings become factors whose levels are the values seen in the rows
 *   kept, sorted (see ./collate.ts). Booleans become factors with levels `FALSE`, `TRUE` (both,
 *   as R's `model.matrix` codes a logical). Whether a numeric column is used as a factor (a
 *   grouping variable) is the design stage's business: it calls `asFactor`.
 * - `NaN` or `±Infinity` in a used column is an error naming the column and the row.
 */
import { DataError } from "../errors";
import type { FormulaSpec } from "../formula/types";
import { checkObjectArgument, checkOptionKinds } from "../validate";
import { type StringOrder, stringComparator } from "./collate";
import { rNumberLabel } from "./numbers";
import { closeNames } from "./suggest";
import { type DataInput, type DataTable, toDataTable } from "./table";
import type { Column } from "./types";

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
}

/** One used column of the frame. */
export type FrameVariable = NumericVariable | FactorVariable;

/** The used columns on the used rows. */
export interface ModelFrame {
  /** Number of rows used. */
  readonly n: number;
  /** For each used row, its 0-based index in the data as given. */
  readonly rows: Int32Array;
  /** Number of rows dropped for a missing value in a used column. */
  readonly dropped: number;
  /** The used columns, by name, in the formula's order of variables. */
  readonly variables: ReadonlyMap<string, FrameVariable>;
  /** How string levels were sorted (kept for factors made later, e.g. `asFactor`). */
  readonly stringOrder: StringOrder;
}

/** Options of `modelFrame`. */
export interface FrameOptions {
  /**
   * How to sort the levels of string columns: `"locale"` (ICU, as R in en_US.UTF-8) or
   * `"codepoint"` (as R in the C locale). See src/data/collate.ts.
   * @default "locale"
   */
  readonly stringOrder?: StringOrder;
}

/**
 * Builds the model frame of a formula on data (lme4's `model.frame` step).
 *
 * @param spec - the formula's meaning; only `variables` is read.
 * @param data - any accepted data shape (see src/data/types.ts).
 * @param options - see `FrameOptions`.
 * @returns the frame: used rows, dropped count, one typed variable per used column.
 * @throws DataError: UNKNOWN_COLUMN (with close names), INVALID_DATA (no rows, no rows left,
 *   non-finite value, unusable column).
 * @example modelFrame({ variables: ["y", "g"] }, { y: [1, null, 3], g: ["b", "a", "a"] }).dropped // 1
 */
export function modelFrame(
  spec: Pick<FormulaSpec, "variables">,
  data: DataInput,
  options: FrameOptions = {},
): ModelFrame {
  checkObjectArgument(spec, "spec", "a FormulaSpec from formulaSpec(text)", ["variables"]);
  checkOptionKinds(options, { stringOrder: "string" });
  const table = toDataTable(data);
  const stringOrder = options.stringOrder ?? "locale";
  if (table.names.length === 0 && table.nrows === 0)
    throw new DataError("INVALID_DATA", "invalid data. The data are empty: no columns and no rows.");
  for (const name of spec.variables) if (!table.has(name)) throw unknownColumn(name, table);
  if (table.nrows === 0) throw new DataError("INVALID_DATA", "invalid data. The data have no rows.");

  const columns = new Map<string, Column>();
  for (const name of spec.variables) {
    const column = table.column(name)!;
    if (column.type === "invalid")
      throw new DataError("INVALID_DATA", `invalid data. The ${column.reason}.`, {
        column: name,
        row: column.row,
      });
    if (column.type === "numeric") checkFinite(name, column.values, column.missing);
    columns.set(name, column);
  }

  // Rows with a missing value in any used column are dropped (na.omit).
  const nrows = table.nrows;
  const drop = new Uint8Array(nrows);
  const missingCounts = new Map<string, number>();
  for (const [name, column] of columns) {
    let count = 0;
    if (column.type === "numeric") {
      const missing = column.missing;
      if (missing !== null)
        for (let i = 0; i < nrows; i++)
          if (missing[i] === 1) {
            drop[i] = 1;
            count++;
          }
    } else if (column.type !== "invalid") {
      const values = column.values;
      for (let i = 0; i < nrows; i++)
        if (values[i] === null || values[i] === undefined) {
          drop[i] = 1;
          count++;
        }
    }
    if (count > 0) missingCounts.set(name, count);
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

  const variables = new Map<string, FrameVariable>();
  const compare = stringComparator(stringOrder);
  for (const [name, column] of columns) variables.set(name, frameVariable(name, column, rows, compare));
  return { n, rows, dropped: nrows - n, variables, stringOrder };
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

function frameVariable(
  name: string,
  column: Column,
  rows: Int32Array,
  compare: (a: string, b: string) => number,
): FrameVariable {
  const n = rows.length;
  if (column.type === "numeric") {
    const values = new Float64Array(n);
    for (let r = 0; r < n; r++) values[r] = column.values[rows[r]!]!;
    return { type: "numeric", name, values };
  }
  if (column.type === "logical") {
    const codes = new Int32Array(n);
    for (let r = 0; r < n; r++) codes[r] = column.values[rows[r]!] === true ? 1 : 0;
    return { type: "factor", name, levels: ["FALSE", "TRUE"], codes };
  }
  if (column.type === "string") {
    const index = new Map<string, number>();
    const raw = new Int32Array(n);
    const seen: string[] = [];
    for (let r = 0; r < n; r++) {
      const v = column.values[rows[r]!]!;
      let k = index.get(v);
      if (k === undefined) {
        k = seen.length;
        index.set(v, k);
        seen.push(v);
      }
      raw[r] = k;
    }
    return factorFromFirstSeen(name, seen, raw, compare);
  }
  throw new DataError("INVALID_DATA", `invalid data. The ${column.reason}.`, {
    column: name,
    row: column.row,
  });
}

/** Sorts first-seen levels and recodes. */
function factorFromFirstSeen(
  name: string,
  seen: readonly string[],
  raw: Int32Array,
  compare: (a: string, b: string) => number,
): FactorVariable {
  const order = seen.map((_, k) => k).sort((a, b) => compare(seen[a]!, seen[b]!));
  const recode = new Int32Array(seen.length);
  order.forEach((k, position) => {
    recode[k] = position;
  });
  const codes = new Int32Array(raw.length);
  for (let r = 0; r < raw.length; r++) codes[r] = recode[raw[r]!]!;
  return { type: "factor", name, levels: order.map((k) => seen[k]!), codes };
}

/**
 * A frame variable as a factor with only the levels that occur (R's `factor(x)`, as lme4 makes a
 * grouping variable): a numeric variable gets its distinct values sorted numerically, labelled as
 * R's `as.character` writes them (`308`, `2.5`, `1e+05`); a factor keeps its order and loses
 * unused levels.
 *
 * @param variable - a frame variable.
 * @returns the factor.
 * @example asFactor({ type: "numeric", name: "s", values: new Float64Array([10, 9, 10]) }).levels // ["9", "10"]
 */
export function asFactor(variable: FrameVariable): FactorVariable {
  checkObjectArgument(variable, "variable", "a frame variable (numeric or factor)", ["type"]);
  const n = variable.type === "numeric" ? variable.values.length : variable.codes.length;
  if (variable.type === "numeric") {
    const values = variable.values;
    const distinct = Float64Array.from(new Set(values)).sort();
    const index = new Map<number, number>();
    distinct.forEach((v, k) => {
      index.set(v, k);
    });
    const codes = new Int32Array(n);
    for (let r = 0; r < n; r++) codes[r] = index.get(values[r]!)!;
    // -0 and 0 are one level in R; Set/Map already treat them as one.
    return { type: "factor", name: variable.name, levels: Array.from(distinct, rNumberLabel), codes };
  }
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
  return { type: "factor", name: variable.name, levels, codes };
}
