/**
 * Reading a CSV data file for the command line (Node-only; the library itself takes text through
 * `parseCsv`). Every failure is a `DataError` with code FILE that names the path: a missing file, a
 * directory, an unreadable file, a binary file, text that is not CSV.
 */
import { readFileSync, statSync } from "node:fs";
import { parseCsv } from "../data/csv";
import type { DataTable } from "../data/table";
import { DataError, LmmError } from "../errors";

/**
 * Reads and parses a CSV file (see src/data/csv.ts for how it is read).
 *
 * @param path - the file's path.
 * @returns the table.
 * @throws DataError (FILE) naming `path`.
 */
export function readCsvFile(path: string): DataTable {
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
