/**
 * `readParquet`: a Parquet file → `DataTable`, with the column types and missing values the CSV
 * path gives the same data (./csv.ts), through hyparquet (pure JavaScript, runs in a browser) and
 * hyparquet-compressors (gzip, zstd, brotli, LZ4; snappy is hyparquet's own) — imported only when a
 * column read is compressed by one of those (a dynamic import: an application's bundler puts it in a
 * chunk of its own, loaded by the files that need it).
 *
 * Column types, from the file's schema (not guessed from values):
 * - BOOLEAN → logical; INT32, INT64 (any integer annotation), FLOAT, DOUBLE, DECIMAL, FLOAT16 →
 *   numeric (64-bit integers beyond 2^53 lose digits, as in R, which reads them as doubles);
 * - strings (STRING/UTF8, ENUM, JSON, UUID, unannotated BYTE_ARRAY; dictionary-encoded or not, which
 *   is how R's and pandas' factors are written) → string, so a factor once used in a model;
 * - DATE → its ISO text (`2024-01-31`), which is what the same column gives through `write.csv`
 *   and `read.csv`;
 * - TIMESTAMP, TIME, INTERVAL, INT96, binary, nested (LIST, MAP, struct), geometry → a column that is
 *   an error only if a model uses it (it is not read at all).
 * - Missing: Parquet nulls. NaN stays NaN (an error if used, as `NaN` in CSV).
 */
import {
  type AsyncBuffer,
  type FileMetaData,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type SchemaTree,
} from "hyparquet";
import { DataError, LmmError } from "../errors";
import { selectColumns } from "./select";
import { DataTable } from "./table";
import type { Column } from "./types";

/**
 * Byte ranges on demand: hyparquet's `AsyncBuffer`, written out here so that the package's types do
 * not import hyparquet's (an ES module only: a CommonJS program's TypeScript refuses to import them).
 */
export interface ParquetByteRanges {
  readonly byteLength: number;
  slice(start: number, end?: number): ArrayBuffer | Promise<ArrayBuffer>;
}

/** What a Parquet file can be read from: its bytes, or byte ranges on demand (hyparquet's `AsyncBuffer`). */
export type ParquetSource = ArrayBuffer | Uint8Array | ParquetByteRanges;

/** Options of `readParquet`. */
export interface ReadParquetOptions {
  /**
   * The columns to read (the others are not decoded); all when left out. An unknown name is a
   * `DataError` (UNKNOWN_COLUMN).
   */
  readonly columns?: readonly string[];
}

type Kind = "numeric" | "string" | "logical" | "date";

/** How a field is read: its kind, and for DECIMAL its scale (digits after the point). */
interface Reading {
  readonly kind: Kind;
  readonly scale: number;
}

const textDecoder = /* @__PURE__ */ new TextDecoder();

/**
 * Reads a Parquet file into a `DataTable` (the column rules are in this file's comment).
 *
 * @param source - the file's bytes, or an `AsyncBuffer` that reads byte ranges (a file in Node:
 *   `readParquetFile` of `bayes-lmm/node`; an HTTP range reader in a browser).
 * @param options - see `ReadParquetOptions`.
 * @returns the table.
 * @throws DataError: FILE when the bytes are not Parquet or cannot be decoded; UNKNOWN_COLUMN for
 *   an unknown name in `options.columns`.
 * @example lmm("y ~ x + (1 | g)", await readParquet(await (await fetch("data.parquet")).arrayBuffer()))
 */
export async function readParquet(
  source: ParquetSource,
  options: ReadParquetOptions = {},
): Promise<DataTable> {
  const file = toAsyncBuffer(source);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw notParquet(error);
  }
  const fields = parquetSchema(metadata).children;
  const names = selectColumns(
    fields.map((f) => f.element.name),
    options.columns,
    "the Parquet file",
  );
  const nrows = Number(metadata.num_rows);
  const byName = new Map(fields.map((f) => [f.element.name, f]));
  const columns = new Map<string, Column>();
  const sinks = new Map<string, Sink>();
  for (const name of names) {
    const reading = parquetReading(byName.get(name)!);
    if ("kind" in reading) sinks.set(name, new Sink(reading, nrows));
    else columns.set(name, { type: "invalid", reason: `column \`${name}\` ${reading.reason}`, row: 1 });
  }
  if (sinks.size > 0) {
    // The decompressors only when a column chunk read needs one (snappy and none are hyparquet's own).
    const read = new Set(sinks.keys());
    const needsCompressors = metadata.row_groups.some((group) =>
      group.columns.some((chunk) => {
        const meta = chunk.meta_data;
        return (
          meta !== undefined &&
          read.has(meta.path_in_schema[0] ?? "") &&
          meta.codec !== "UNCOMPRESSED" &&
          meta.codec !== "SNAPPY"
        );
      }),
    );
    const compressors = needsCompressors ? (await import("hyparquet-compressors")).compressors : undefined;
    try {
      await parquetRead({
        file,
        metadata,
        columns: [...sinks.keys()],
        ...(compressors === undefined ? {} : { compressors }),
        parsers: {
          dateFromDays: (days: number) => new Date(days * 86_400_000).toISOString().slice(0, 10),
          jsonFromBytes: (bytes: Uint8Array) => textDecoder.decode(bytes),
        },
        onChunk: (chunk) => sinks.get(chunk.columnName)?.write(chunk.columnData, chunk.rowStart),
      });
    } catch (error) {
      if (error instanceof LmmError) throw error;
      throw new DataError("FILE", `cannot decode the Parquet data: ${reason(error)}.`);
    }
  }
  for (const [name, sink] of sinks) columns.set(name, sink.finish());
  return new DataTable(names, nrows, new Map(names.map((name) => [name, columns.get(name)!])));
}

function toAsyncBuffer(source: ParquetSource): AsyncBuffer {
  if (source instanceof ArrayBuffer) return source;
  if (source instanceof Uint8Array) {
    if (source.byteOffset === 0 && source.byteLength === source.buffer.byteLength)
      return source.buffer as ArrayBuffer;
    const copy = new Uint8Array(source.byteLength); // a view into a larger buffer (Node's Buffer pool)
    copy.set(source);
    return copy.buffer;
  }
  if (
    source === null ||
    typeof source !== "object" ||
    typeof source.byteLength !== "number" ||
    typeof source.slice !== "function"
  )
    throw new DataError(
      "INVALID_DATA",
      "invalid data. A Parquet source must be an ArrayBuffer, a Uint8Array or an AsyncBuffer ({ byteLength, slice(start, end) }).",
    );
  return source;
}

function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, "");
}

function notParquet(error: unknown): DataError {
  return new DataError("FILE", `not Parquet: ${reason(error)}.`);
}

/** How a schema field is read, or why it cannot be used. */
function parquetReading(field: SchemaTree): Reading | { reason: string } {
  const e = field.element;
  const decimal = e.logical_type?.type === "DECIMAL" || e.converted_type === "DECIMAL";
  if (decimal) return { kind: "numeric", scale: e.scale ?? 0 };
  const kind = parquetKind(field);
  return typeof kind === "string" ? { kind, scale: 0 } : kind;
}

/** The column type a (non-decimal) schema field is read as, or why it cannot be used. */
function parquetKind(field: SchemaTree): Kind | { reason: string } {
  const e = field.element;
  const logical = e.logical_type?.type;
  if (field.children.length > 0)
    return { reason: "is a nested Parquet column (a list, map or struct), which a model cannot use" };
  if (e.type === "BOOLEAN") return "logical";
  if (logical === "DATE" || e.converted_type === "DATE") return "date";
  const time =
    logical === "TIMESTAMP" ||
    logical === "TIME" ||
    logical === "INTERVAL" ||
    e.type === "INT96" ||
    (e.converted_type !== undefined && /^(TIME|TIMESTAMP)_|^INTERVAL$/.test(e.converted_type));
  if (time)
    return {
      reason:
        "holds Parquet times or timestamps, which a model cannot use as they are: convert them to numbers (e.g. days) or text first",
    };
  if (logical === "FLOAT16") return "numeric";
  if (e.type === "INT32" || e.type === "INT64" || e.type === "FLOAT" || e.type === "DOUBLE") return "numeric";
  const text =
    logical === "STRING" ||
    logical === "ENUM" ||
    logical === "JSON" ||
    logical === "UUID" ||
    e.converted_type === "UTF8" ||
    e.converted_type === "ENUM" ||
    e.converted_type === "JSON";
  if (text) return "string";
  if (e.type === "BYTE_ARRAY" && logical === undefined && e.converted_type === undefined) return "string";
  return {
    reason: `is a Parquet ${logical ?? e.converted_type ?? e.type ?? "group"} column, which a model cannot use`,
  };
}

/**
 * One column's values, written chunk by chunk at their row positions. hyparquet gives a DECIMAL as
 * unscaled × 10^-scale, which can be an ulp away from the decimal's nearest double (115 × 0.01 is
 * 1.1500000000000001); unscaled / 10^scale is the nearest double, what the CSV text `1.15` gives.
 */
class Sink {
  readonly #kind: Kind;
  readonly #power: number;
  readonly #numbers: Float64Array | null;
  readonly #values: (string | boolean | null)[] | null;
  #missing: Uint8Array | null = null;

  constructor({ kind, scale }: Reading, nrows: number) {
    this.#kind = kind;
    this.#power = 10 ** scale;
    this.#numbers = kind === "numeric" ? new Float64Array(nrows) : null;
    this.#values = kind === "numeric" ? null : new Array<string | boolean | null>(nrows).fill(null);
  }

  write(data: ArrayLike<unknown>, start: number): void {
    const numbers = this.#numbers;
    if (numbers !== null) {
      const power = this.#power;
      if (
        power === 1 &&
        (data instanceof Float64Array || data instanceof Float32Array || data instanceof Int32Array)
      ) {
        numbers.set(data, start);
        return;
      }
      for (let i = 0; i < data.length; i++) {
        const v = data[i];
        if (v === null || v === undefined) {
          this.#missing ??= new Uint8Array(numbers.length);
          this.#missing[start + i] = 1;
        } else {
          const x = typeof v === "bigint" ? Number(v) : (v as number);
          numbers[start + i] = power === 1 ? x : Math.round(x * power) / power;
        }
      }
      return;
    }
    const values = this.#values!;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      values[start + i] = v === undefined ? null : (v as string | boolean | null);
    }
  }

  finish(): Column {
    if (this.#numbers !== null) return { type: "numeric", values: this.#numbers, missing: this.#missing };
    if (this.#kind === "logical") return { type: "logical", values: this.#values as (boolean | null)[] };
    return { type: "string", values: this.#values as (string | null)[] };
  }
}
