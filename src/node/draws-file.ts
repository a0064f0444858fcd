/**
 * Draws CSV files (Node): reading in 4 MiB chunks (a big file never becomes one string) and writing
 * in pieces. The layout and the reading rules are in ./csv.ts. Every failure is a `DataError` with
 * code FILE naming the path.
 */
import { closeSync, openSync, readSync, statSync, writeSync } from "node:fs";
import { DrawsCsvReader, drawsCsvPieces } from "../draws/csv";
import type { Draws } from "../draws/types";
import { DataError, LmmError } from "../errors";

const CHUNK = 4 << 20;

function fileError(path: string, error: unknown, verb: "read" | "write"): DataError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === "ENOENT"
      ? "no such file"
      : code === "EACCES" || code === "EPERM"
        ? "permission denied"
        : code === "EISDIR"
          ? "it is a directory"
          : error instanceof Error
            ? error.message
            : String(error);
  return new DataError("FILE", `cannot ${verb} draws file \`${path}\`: ${reason}.`);
}

/**
 * Reads a draws CSV file (posterior's `draws_df` layout; rules in src/draws/csv.ts).
 *
 * @param path - the file
 * @returns the draws
 * @throws DataError (FILE) for a missing or unreadable file, or a malformed one (naming row and column)
 * @example readDrawsCsv("draws.csv").parameters // ["beta[(Intercept)]", "beta[Days]", "sigma2", ...]
 */
export function readDrawsCsv(path: string): Draws {
  let fd: number;
  try {
    if (statSync(path).isDirectory())
      throw new DataError("FILE", `cannot read draws file \`${path}\`: it is a directory.`);
    fd = openSync(path, "r");
  } catch (error) {
    if (error instanceof LmmError) throw error;
    throw fileError(path, error, "read");
  }
  const reader = new DrawsCsvReader(`draws file \`${path}\``);
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    // the estimate below is only a hint
  }
  let estimated = false;
  try {
    let buffer = new Uint8Array(CHUNK);
    let kept = 0; // bytes of an unfinished record carried to the front
    while (true) {
      if (kept === buffer.length) {
        const bigger = new Uint8Array(buffer.length * 2); // one record longer than a chunk
        bigger.set(buffer);
        buffer = bigger;
      }
      let got: number;
      try {
        got = readSync(fd, buffer, kept, buffer.length - kept, null);
      } catch (error) {
        throw fileError(path, error, "read");
      }
      const end = kept + got;
      const final = got === 0;
      const used = reader.parse(buffer, 0, end, final);
      if (final) break;
      if (!estimated && reader.rowCount > 0) {
        // Rows so far took `used` bytes (with the header): reserve for the whole file, 5% spare.
        reader.reserve((size / used) * reader.rowCount * 1.05);
        estimated = true;
      }
      buffer.copyWithin(0, used, end);
      kept = end - used;
    }
  } finally {
    closeSync(fd);
  }
  return reader.finish();
}

/**
 * Writes draws as CSV (posterior's `draws_df` layout; numbers round-trip exactly).
 *
 * @param draws - the draws
 * @param path - the file (replaced if it exists)
 * @throws DataError (FILE) if the file cannot be written
 * @example writeDrawsCsv(posterior.draws, "draws.csv")
 */
export function writeDrawsCsv(draws: Draws, path: string): void {
  let fd: number;
  try {
    fd = openSync(path, "w");
  } catch (error) {
    throw fileError(path, error, "write");
  }
  try {
    for (const piece of drawsCsvPieces(draws)) writeSync(fd, piece);
  } catch (error) {
    throw fileError(path, error, "write");
  } finally {
    closeSync(fd);
  }
}
