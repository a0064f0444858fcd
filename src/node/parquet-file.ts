/**
 * Reading a Parquet file (Node): byte ranges read on demand from the open file (hyparquet's
 * `AsyncBuffer`), so only the footer and the column chunks asked for are read — never the whole
 * file at once. Column rules: src/data/parquet.ts.
 */
import { open } from "node:fs/promises";
import { type ParquetSource, type ReadParquetOptions, readParquet } from "../data/parquet";
import type { DataTable } from "../data/table";
import { checkOptionsArgument, checkStringArgument } from "../validate";
import { dataFileSize, namingPath } from "./file-error";

/**
 * Reads a Parquet file into a `DataTable`.
 *
 * @param path - the file.
 * @param options - `columns`: read only these.
 * @returns the table.
 * @throws DataError (FILE) naming `path`: missing, unreadable, not Parquet, undecodable.
 * @example lmm("Reaction ~ Days + (Days | Subject)", await readParquetFile("sleepstudy.parquet"))
 */
export async function readParquetFile(path: string, options: ReadParquetOptions = {}): Promise<DataTable> {
  checkStringArgument(path, "path", "a file name");
  checkOptionsArgument(options);
  const size = dataFileSize(path);
  return namingPath(path, async () => {
    const handle = await open(path, "r");
    try {
      const file: ParquetSource = {
        byteLength: size,
        async slice(start: number, end?: number): Promise<ArrayBuffer> {
          const stop = Math.min(end ?? size, size);
          const bytes = new Uint8Array(Math.max(0, stop - start));
          let done = 0;
          while (done < bytes.length) {
            const { bytesRead } = await handle.read(bytes, done, bytes.length - done, start + done);
            if (bytesRead === 0) break;
            done += bytesRead;
          }
          return bytes.buffer;
        },
      };
      return await readParquet(file, options);
    } finally {
      await handle.close();
    }
  });
}
