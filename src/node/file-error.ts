/**
 * The one wording of a data file that cannot be read (Node): `cannot read data file \`PATH\`: REASON`,
 * a `DataError` with code FILE, for the readers of src/node.
 */
import { statSync } from "node:fs";
import { DataError, LmmError } from "../errors";

/** A FILE error naming `path`. */
export function dataFileError(path: string, reason: string, row?: number): DataError {
  return new DataError(
    "FILE",
    `cannot read data file \`${path}\`: ${reason}`,
    row === undefined ? {} : { row },
  );
}

/** The reason a file system call failed, in words. */
export function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file.";
  if (code === "EACCES" || code === "EPERM") return "permission denied.";
  if (code === "EISDIR") return "it is a directory, not a data file.";
  return `${(error instanceof Error ? error.message : String(error)).replace(/\.$/, "")}.`;
}

/**
 * The size of the data file at `path`.
 *
 * @throws DataError (FILE) for a missing file, a directory, an unreadable path.
 */
export function dataFileSize(path: string): number {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw dataFileError(path, "it is a directory, not a data file.");
    return stat.size;
  } catch (error) {
    if (error instanceof LmmError) throw error;
    throw dataFileError(path, fileErrorReason(error));
  }
}

/**
 * Runs a reader on `path`, naming the path in its FILE errors (`not CSV: ...` becomes
 * `cannot read data file \`PATH\`: not CSV: ...`).
 */
export async function namingPath<T>(path: string, read: () => T | Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (
      error instanceof DataError &&
      error.code === "FILE" &&
      !error.message.startsWith("cannot read data file")
    )
      throw dataFileError(path, error.message, error.row);
    if (error instanceof LmmError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === "string") throw dataFileError(path, fileErrorReason(error));
    throw error;
  }
}
