/**
 * Draws CSV files (Node): reading in 4 MiB chunks (a big file never becomes one string) and writing
 * in pieces. The layout and the reading rules are in ./csv.ts. Every failure is a `DataError` with
 * code FILE naming the path.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { combineChains, type DrawsCsvFormat, DrawsCsvReader, drawsCsvPieces } from "../draws/csv";
import type { Draws } from "../draws/types";
import { ArgumentError, DataError, LmmError } from "../errors";
import { checkDrawsArgument } from "../validate";
import { writeFileAtomic } from "./atomic";

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

/** Reads one file through a reader (not finished yet); its rows are chain `chain` if it has no `.chain` column. */
function readWith(path: string, chain: number): DrawsCsvReader {
  let fd: number;
  try {
    if (statSync(path).isDirectory())
      throw new DataError("FILE", `cannot read draws file \`${path}\`: it is a directory.`);
    fd = openSync(path, "r");
  } catch (error) {
    if (error instanceof LmmError) throw error;
    throw fileError(path, error, "read");
  }
  const reader = new DrawsCsvReader(`draws file \`${path}\``, chain);
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
  return reader;
}

/**
 * Reads a draws CSV file: posterior's `draws_df` layout, R's `write.csv` of one, or a CmdStan CSV
 * (one chain; rules in src/draws/csv.ts).
 *
 * @param path - the file
 * @returns the draws
 * @throws DataError (FILE) for a missing or unreadable file, or a malformed one (naming row and column)
 * @example readDrawsCsv("draws.csv").parameters // ["beta[(Intercept)]", "beta[Days]", "sigma2", ...]
 */
export function readDrawsCsv(path: string): Draws {
  if (typeof path !== "string" || path.length === 0)
    throw new ArgumentError("path", "must be a file name", path);
  return readWith(path, 1).finish();
}

/** Draws read from one or more files, with what reading noticed. */
export interface DrawsFiles {
  readonly draws: Draws;
  /** "cmdstan" when the files are CmdStan CSVs (one chain each), else "draws_df". */
  readonly format: DrawsCsvFormat;
  readonly warnings: readonly string[];
}

/**
 * Reads draws from several files — CmdStan's one file per chain, or draws_df files — as one set of
 * chains, in the order of the files.
 *
 * @param paths - the files (at least one)
 * @returns the draws, their format and warnings (a last row without a line break)
 * @throws DataError (FILE) for an unreadable or malformed file, or files with different parameters
 * @example readDrawsFiles(["output_1.csv", "output_2.csv"]).draws.chains // 2
 */
export function readDrawsFiles(paths: readonly string[]): DrawsFiles {
  if (
    !Array.isArray(paths) ||
    paths.length === 0 ||
    !paths.every((p) => typeof p === "string" && p.length > 0)
  )
    throw new ArgumentError("paths", "must be a non-empty array of file names", paths);
  let chain = 1;
  const parts: { draws: Draws; source: string }[] = [];
  const warnings: string[] = [];
  const formats = new Set<DrawsCsvFormat>();
  for (const path of paths) {
    const reader = readWith(path, chain);
    const draws = reader.finish();
    parts.push({ draws, source: `draws file \`${path}\`` });
    warnings.push(...reader.warnings);
    formats.add(reader.format);
    chain += draws.chains;
  }
  if (formats.size > 1)
    throw new DataError(
      "FILE",
      "the draws files mix CmdStan CSV and draws_df layouts; give files of one kind.",
    );
  return { draws: combineChains(parts), format: formats.has("cmdstan") ? "cmdstan" : "draws_df", warnings };
}

/**
 * Writes draws as CSV (posterior's `draws_df` layout; numbers round-trip exactly), atomically: to a
 * temporary file beside `path`, renamed over it when complete (./atomic.ts) — a crash or a full disk
 * never leaves a half-written file under the name. Rows go iteration by iteration over the chains.
 *
 * @param draws - the draws
 * @param path - the file (replaced if it exists)
 * @throws DataError (FILE) if the file cannot be written
 * @example writeDrawsCsv(posterior.draws, "draws.csv")
 */
export function writeDrawsCsv(draws: Draws, path: string): void {
  checkDrawsArgument(draws);
  if (typeof path !== "string" || path.length === 0)
    throw new ArgumentError("path", "must be a file name", path);
  writeFileAtomic(path, drawsCsvPieces(draws), "draws file");
}
