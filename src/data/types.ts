/**
 * The shapes data come in, and the typed columns every shape is turned into.
 *
 * Accepted input (`DataInput`):
 * - an array of row objects: `[{ y: 1.2, g: "a" }, ...]`;
 * - an object of equal-length columns: `{ y: [1.2, ...], g: ["a", ...] }` (arrays or typed arrays);
 * - an Arrow-like table, by duck typing: anything with `getChild(name)` returning a vector with
 *   `toArray()` (apache-arrow's `Table`), its column names from `schema.fields`;
 * - a `DataTable`, e.g. from `parseCsv(text)`.
 *
 * Missing values: `null` and `undefined` (and an Arrow vector's nulls; in CSV, empty fields and
 * `NA`). `NaN` and `±Infinity` are not missing: they are an error when a model uses the column.
 */

/** A column of numbers. `missing[i] === 1` marks row i as missing (its value is then meaningless). */
export interface NumericColumn {
  readonly type: "numeric";
  readonly values: Float64Array;
  /** Missing-value flags, or `null` when none is missing. */
  readonly missing: Uint8Array | null;
}

/** A column of strings (a factor once used in a model); `null` is missing. */
export interface StringColumn {
  readonly type: "string";
  readonly values: readonly (string | null)[];
}

/** A column of booleans (R's logical; in a model a factor with levels `FALSE`, `TRUE`); `null` is missing. */
export interface LogicalColumn {
  readonly type: "logical";
  readonly values: readonly (boolean | null)[];
}

/**
 * A column that cannot be used (mixed numbers and strings, objects, ...). It is an error only when
 * a model uses it; `reason` says why, `row` (1-based) where.
 */
export interface InvalidColumn {
  readonly type: "invalid";
  readonly reason: string;
  readonly row: number;
}

/** A typed column of a `DataTable`. */
export type Column = NumericColumn | StringColumn | LogicalColumn | InvalidColumn;

/** One vector of an Arrow-like table (the part of apache-arrow's `Vector` that is used). */
export interface ArrowLikeVector {
  toArray(): ArrayLike<unknown>;
  readonly length?: number;
  readonly nullCount?: number;
  isValid?(index: number): boolean;
}

/** An Arrow-like table (the part of apache-arrow's `Table` that is used). */
export interface ArrowLikeTable {
  getChild(name: string): ArrowLikeVector | null;
  /** Column names in order; a field's `type.typeId` (Arrow's type id) tells dates and unusable types. */
  readonly schema?: {
    readonly fields: readonly { readonly name: string; readonly type?: { readonly typeId?: number } }[];
  };
  readonly numRows?: number;
}
