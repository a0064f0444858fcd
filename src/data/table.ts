/**
 * `DataTable`: named, typed, equal-length columns — what every accepted data shape becomes
 * (see ./types.ts). Columns are converted when first asked for, so a column the model does not
 * use costs nothing and cannot fail.
 */
import { DataError, show } from "../errors";
import { ARROW_DATE, ARROW_DECIMAL, arrowTypeProblem, isoDate } from "./arrow-types";
import type { ArrowLikeTable, ArrowLikeVector, Column } from "./types";

/** Named, typed, equal-length columns. */
export class DataTable {
  /** Column names in order. */
  readonly names: readonly string[];
  /** Number of rows. */
  readonly nrows: number;
  /** What reading the data noticed and the user should see (e.g. parseCsv: a quote that may close a row early). */
  readonly warnings: readonly string[];
  readonly #columns: Map<string, Column | (() => Column)>;

  /**
   * @param names - column names in order (each once).
   * @param nrows - number of rows.
   * @param columns - each column, or a function that makes it when first asked for.
   * @param warnings - what reading noticed (default none).
   */
  constructor(
    names: readonly string[],
    nrows: number,
    columns: ReadonlyMap<string, Column | (() => Column)>,
    warnings: readonly string[] = [],
  ) {
    this.names = names;
    this.nrows = nrows;
    this.#columns = new Map(columns);
    this.warnings = warnings;
  }

  /** Whether the table has a column `name`. */
  has(name: string): boolean {
    return this.#columns.has(name);
  }

  /** The typed column `name`, or `undefined` when there is none. */
  column(name: string): Column | undefined {
    const entry = this.#columns.get(name);
    if (entry === undefined || typeof entry !== "function") return entry;
    const column = entry();
    this.#columns.set(name, column);
    return column;
  }
}

/** Any data shape the package accepts (see ./types.ts). */
export type DataInput =
  | DataTable
  | readonly Readonly<Record<string, unknown>>[]
  | Readonly<Record<string, ArrayLike<unknown>>>
  | ArrowLikeTable;

/**
 * Turns any accepted data shape into a `DataTable`.
 *
 * @param data - rows, columns, an Arrow-like table or a `DataTable` (returned as is).
 * @returns the table.
 * @throws DataError (INVALID_DATA) when columns have unequal lengths or `data` is no table at all.
 * @example toDataTable([{ y: 1, g: "a" }, { y: 2, g: "b" }]).nrows // 2
 */
export function toDataTable(data: DataInput): DataTable {
  if (data instanceof DataTable) return data;
  if (Array.isArray(data)) return fromRows(data as readonly unknown[]);
  if (data === null || typeof data !== "object")
    throw new DataError(
      "INVALID_DATA",
      `invalid data. Expected an array of rows, an object of columns or a table. Value: \`${show(data)}\`.`,
    );
  if (isArrowLike(data)) return fromArrow(data);
  return fromColumns(data as Readonly<Record<string, unknown>>);
}

function isArrowLike(data: object): data is ArrowLikeTable {
  return typeof (data as { getChild?: unknown }).getChild === "function";
}

function fromRows(rows: readonly unknown[]): DataTable {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row === null || typeof row !== "object" || Array.isArray(row))
      throw new DataError(
        "INVALID_DATA",
        `invalid data. Row ${i + 1} must be an object of column values. Value: \`${show(row)}\`.`,
        { row: i + 1 },
      );
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        names.push(key);
      }
    }
  }
  const columns = new Map<string, () => Column>();
  for (const name of names)
    columns.set(name, () =>
      columnFromValues(name, rows.length, (i) => (rows[i] as Record<string, unknown>)[name]),
    );
  return new DataTable(names, rows.length, columns);
}

function fromColumns(data: Readonly<Record<string, unknown>>): DataTable {
  const names = Object.keys(data);
  let nrows = -1;
  let first = "";
  const columns = new Map<string, () => Column>();
  for (const name of names) {
    const values = data[name];
    if (!isArrayLike(values))
      throw new DataError(
        "INVALID_DATA",
        `invalid data. Column \`${name}\` must be an array or a typed array. Value: \`${show(values)}\`.`,
        { column: name },
      );
    if (nrows < 0) {
      nrows = values.length;
      first = name;
    } else if (values.length !== nrows)
      throw new DataError(
        "INVALID_DATA",
        `invalid data. Columns must have equal lengths: \`${first}\` has ${nrows} values, \`${name}\` has ${values.length}.`,
        { column: name },
      );
    columns.set(name, () => columnFromArray(name, values));
  }
  return new DataTable(names, Math.max(nrows, 0), columns);
}

function fromArrow(table: ArrowLikeTable): DataTable {
  const names = (table.schema?.fields ?? []).map((f) => f.name);
  const vectors = new Map<string, ArrowLikeVector>();
  let nrows = typeof table.numRows === "number" ? table.numRows : -1;
  let first = "";
  for (const name of names) {
    const vector = table.getChild(name);
    if (vector === null || vector === undefined) continue;
    const length = vector.length ?? vector.toArray().length;
    if (nrows < 0) nrows = length;
    if (first === "") first = name;
    if (length !== nrows)
      throw new DataError(
        "INVALID_DATA",
        `invalid data. Columns must have equal lengths: the table has ${nrows} rows, \`${name}\` has ${length}.`,
        { column: name },
      );
    vectors.set(name, vector);
  }
  const typeIds = new Map((table.schema?.fields ?? []).map((f) => [f.name, f.type?.typeId]));
  const columns = new Map<string, () => Column>();
  for (const [name, vector] of vectors) {
    columns.set(name, () => {
      const typeId = typeIds.get(name);
      const problem = arrowTypeProblem(name, typeId);
      if (problem !== undefined) return { type: "invalid", reason: problem, row: 1 };
      let values = vector.toArray();
      if (typeId === ARROW_DECIMAL && values.length !== nrows)
        // apache-arrow gives a decimal's 32-bit words, not its value
        return {
          type: "invalid",
          reason: `column \`${name}\` is an Arrow decimal column given as integer words: convert it to float64 first`,
          row: 1,
        };
      if (typeId === ARROW_DATE)
        values = Array.from(values, (v) => (typeof v === "number" ? isoDate(v) : null));
      if ((vector.nullCount ?? 0) > 0 && typeof vector.isValid === "function") {
        const isValid = vector.isValid.bind(vector);
        return columnFromValues(name, values.length, (i) => (isValid(i) ? values[i] : null));
      }
      return columnFromArray(name, values);
    });
  }
  return new DataTable([...vectors.keys()], Math.max(nrows, 0), columns);
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  if (Array.isArray(value)) return true;
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

function columnFromArray(name: string, values: ArrayLike<unknown>): Column {
  if (values instanceof Float64Array) return { type: "numeric", values, missing: null };
  if (
    values instanceof Float32Array ||
    values instanceof Int32Array ||
    values instanceof Int16Array ||
    values instanceof Int8Array ||
    values instanceof Uint32Array ||
    values instanceof Uint16Array ||
    values instanceof Uint8Array ||
    values instanceof Uint8ClampedArray
  )
    return { type: "numeric", values: Float64Array.from(values), missing: null };
  return columnFromValues(name, values.length, (i) => values[i]);
}

/** Types a column from its values: numbers (and bigints), strings, booleans; null/undefined missing. */
function columnFromValues(name: string, n: number, get: (i: number) => unknown): Column {
  let kind: "number" | "string" | "boolean" | undefined;
  let kindRow = 0;
  for (let i = 0; i < n; i++) {
    const v = get(i);
    if (v === null || v === undefined) continue;
    const t = typeof v;
    const k =
      t === "number" || t === "bigint"
        ? "number"
        : t === "string"
          ? "string"
          : t === "boolean"
            ? "boolean"
            : undefined;
    if (k === undefined)
      return {
        type: "invalid",
        reason: `column \`${name}\` has a value that is not a number, string or boolean in row ${i + 1}: \`${show(v)}\``,
        row: i + 1,
      };
    if (kind === undefined) {
      kind = k;
      kindRow = i;
    } else if (k !== kind)
      return {
        type: "invalid",
        reason: `column \`${name}\` mixes types: row ${kindRow + 1} has ${describe(get(kindRow))}, row ${i + 1} has ${describe(v)}`,
        row: i + 1,
      };
  }
  if (kind === "string") {
    const values: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const v = get(i);
      values[i] = typeof v === "string" ? v : null;
    }
    return { type: "string", values };
  }
  if (kind === "boolean") {
    const values: (boolean | null)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const v = get(i);
      values[i] = typeof v === "boolean" ? v : null;
    }
    return { type: "logical", values };
  }
  // Numbers — and a column with no value at all, which R also reads as missing numbers.
  const values = new Float64Array(n);
  let missing: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const v = get(i);
    if (typeof v === "number") values[i] = v;
    else if (typeof v === "bigint") values[i] = Number(v);
    else {
      missing ??= new Uint8Array(n);
      missing[i] = 1;
    }
  }
  return { type: "numeric", values, missing };
}

function describe(value: unknown): string {
  return `a ${typeof value === "bigint" ? "number" : typeof value} (\`${show(value)}\`)`;
}
