/**
 * Reading a data file for the command line (Node-only; the library itself takes text through
 * `parseCsv`): CSV here, and Parquet, Arrow IPC or large CSV through `readDataFile`. Every failure is a `DataError` with code FILE that names the path: a missing file, a
 * directory, an unreadable file, a binary file, text that is not CSV.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { parseCsv } from "../data/csv";
import type { DataTable } from "../data/table";
import { DataError, LmmError } from "../errors";
import { checkOptionsArgument, checkStringArgument } from "../validate";
import { readArrowFile } from "./arrow-file";
import { readCsvFileStream } from "./csv-stream-file";
import { dataFileError, dataFileSize, fileErrorReason } from "./file-error";
import { readParquetFile } from "./parquet-file";

/**
 * Reads and parses a CSV file (see src/data/csv.ts for how it is read).
 *
 * @param path - the file's path.
 * @returns the table.
 * @throws DataError (FILE) naming `path`.
 */
export function readCsvFile(path: string): DataTable {
  checkStringArgument(path, "path", "a file name");
  const fail = (reason: string, row?: number): DataError =>
    new DataError("FILE", `cannot read data file \`${path}\`: ${reason}`, row === undefined ? {} : { row });
  let bytes: Buffer;
  try {
    if (statSync(path).isDirectory()) throw fail("it is a directory, not a CSV file.");
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof LmmError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw fail("no such file.");
    if (code === "EACCES" || code === "EPERM") throw fail("permission denied.");
    if (code === "EISDIR") throw fail("it is a directory, not a CSV file.");
    throw fail(`${error instanceof Error ? error.message : String(error)}.`);
  }
  const text = decode(bytes);
  if (text === undefined) throw fail("it is not a text file (it has binary content), so not CSV.");
  try {
    return parseCsv(text);
  } catch (error) {
    if (error instanceof DataError && error.code === "FILE") throw fail(error.message, error.row);
    throw error;
  }
}

/** UTF-8 text, else Latin-1 text, else `undefined` for binary content (NUL or other control bytes). */
function decode(bytes: Buffer): string | undefined {
  const sample = bytes.subarray(0, Math.min(bytes.length, 1 << 16));
  for (const b of sample) if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString("latin1");
  }
}

/** CSV files larger than this (bytes) are read by the streaming reader (`readCsvFileStream`). */
export const STREAMING_CSV_BYTES = 64 << 20;

/** Options of `readDataFile`. */
export interface ReadDataFileOptions {
  /** The columns to keep; all when left out. An unknown name is a `DataError` (UNKNOWN_COLUMN). */
  readonly columns?: readonly string[];
}

/** The formats `readDataFile` reads. */
export type DataFileFormat = "csv" | "parquet" | "arrow";

/**
 * The format of a data file, from its first bytes: `PAR1` is Parquet, `ARROW1` or an IPC
 * continuation marker is Arrow IPC, anything else CSV. A `.parquet`, `.arrow`, `.arrows`, `.feather`
 * or `.ipc` name whose bytes say otherwise is an error.
 *
 * @param path - the file.
 * @returns its format.
 * @throws DataError (FILE) naming `path`.
 */
export function dataFileFormat(path: string): DataFileFormat {
  checkStringArgument(path, "path", "a file name");
  dataFileSize(path);
  const head = Buffer.alloc(8);
  let got = 0;
  try {
    const fd = openSync(path, "r");
    try {
      got = readSync(fd, head, 0, 8, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw dataFileError(path, fileErrorReason(error));
  }
  const start = head.subarray(0, got);
  const format: DataFileFormat =
    start.subarray(0, 4).toString("latin1") === "PAR1"
      ? "parquet"
      : start.subarray(0, 6).toString("latin1") === "ARROW1" ||
          (got >= 4 && start.readUInt32LE(0) === 0xffffffff)
        ? "arrow"
        : "csv";
  const extension = /\.([A-Za-z]+)$/.exec(path)?.[1]?.toLowerCase();
  const named: DataFileFormat | undefined =
    extension === "parquet"
      ? "parquet"
      : extension === "arrow" || extension === "arrows" || extension === "feather" || extension === "ipc"
        ? "arrow"
        : undefined;
  if (named !== undefined && named !== format)
    throw dataFileError(
      path,
      named === "parquet"
        ? "it is not a Parquet file (Parquet files start with `PAR1`)."
        : "it is not an Arrow IPC file (they start with `ARROW1` or an IPC message).",
    );
  return format;
}

/**
 * Reads a data file of any supported format (see `dataFileFormat`): Parquet (`readParquetFile`),
 * Arrow IPC (`readArrowFile`), or CSV — `readCsvFile` up to `STREAMING_CSV_BYTES`, the streaming
 * `readCsvFileStream` above it or when `columns` is given. Every format gives the same table for
 * the same data (names, values, types, factor levels, missing values).
 *
 * @param path - the file.
 * @param options - see `ReadDataFileOptions`.
 * @returns the table.
 * @throws DataError (FILE) naming `path`; UNKNOWN_COLUMN for an unknown name in `columns`.
 * @example lmm("Reaction ~ Days + (Days | Subject)", await readDataFile("sleepstudy.parquet"))
 */
export async function readDataFile(path: string, options: ReadDataFileOptions = {}): Promise<DataTable> {
  checkStringArgument(path, "path", "a file name");
  checkOptionsArgument(options);
  const format = dataFileFormat(path);
  if (format === "parquet") return readParquetFile(path, options);
  if (format === "arrow") return readArrowFile(path, options);
  if (options.columns !== undefined || dataFileSize(path) > STREAMING_CSV_BYTES)
    return readCsvFileStream(path, options);
  return readCsvFile(path);
}
