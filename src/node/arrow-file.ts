/**
 * Reading an Arrow IPC file (Node): `.arrow` / `.feather` (file format) or `.arrows` (stream
 * format). The file is read whole (Arrow's columns are its bytes); rules in src/data/arrow.ts.
 */
import { readFile } from "node:fs/promises";
import { type ReadArrowOptions, readArrowIpc } from "../data/arrow";
import type { DataTable } from "../data/table";
import { checkOptionsArgument, checkStringArgument } from "../validate";
import { dataFileSize, namingPath } from "./file-error";

/**
 * Reads an Arrow IPC file into a `DataTable`.
 *
 * @param path - the file.
 * @param options - `columns`: keep only these.
 * @returns the table.
 * @throws DataError (FILE) naming `path`: missing, unreadable, not Arrow IPC, LZ4-compressed.
 * @example lmm("y ~ x + (1 | g)", await readArrowFile("data.arrow"))
 */
export async function readArrowFile(path: string, options: ReadArrowOptions = {}): Promise<DataTable> {
  checkStringArgument(path, "path", "a file name");
  checkOptionsArgument(options);
  dataFileSize(path);
  return namingPath(path, async () => readArrowIpc(await readFile(path), options));
}
