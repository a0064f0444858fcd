/**
 * `readArrowIpc`: Arrow IPC bytes (the file format, `.arrow` / Feather v2, or the stream format,
 * `.arrows`) → `DataTable`, decoded by flechette (pure JavaScript, 14 KB gzipped, runs in a
 * browser). The columns are typed as for any Arrow table (./arrow-types.ts), so an Arrow file and
 * the CSV of the same data give the same table. Buffers compressed with ZSTD are decompressed
 * (fzstd, through hyparquet-compressors); LZ4-compressed buffers are refused with a message saying
 * how to write the file instead.
 */

import { CompressionType, getCompressionCodec, setCompressionCodec, tableFromIPC } from "@uwdata/flechette";
import { decompressZstd } from "hyparquet-compressors";
import { ArgumentError, DataError } from "../errors";
import { selectColumns } from "./select";
import { DataTable, toDataTable } from "./table";
import type { ArrowLikeTable } from "./types";

/** Options of `readArrowIpc`. */
export interface ReadArrowOptions {
  /** The columns to keep; all when left out. An unknown name is a `DataError` (UNKNOWN_COLUMN). */
  readonly columns?: readonly string[];
}

function registerCodecs(): void {
  if (getCompressionCodec(CompressionType.ZSTD) === null)
    setCompressionCodec(CompressionType.ZSTD, {
      decode: (bytes, length) => decompressZstd(bytes, new Uint8Array(length)),
      encode: () => {
        throw new Error("bayes-lmm registers a ZSTD decoder only");
      },
    });
}

/**
 * Reads Arrow IPC bytes (file or stream format) into a `DataTable`.
 *
 * @param bytes - the IPC bytes.
 * @param options - see `ReadArrowOptions`.
 * @returns the table (columns typed as in ./arrow-types.ts).
 * @throws DataError: FILE when the bytes are not Arrow IPC or use LZ4 compression; UNKNOWN_COLUMN
 *   for an unknown name in `options.columns`.
 * @example lmm("y ~ x + (1 | g)", readArrowIpc(new Uint8Array(await (await fetch("d.arrow")).arrayBuffer())))
 */
export function readArrowIpc(bytes: Uint8Array | ArrayBuffer, options: ReadArrowOptions = {}): DataTable {
  if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer))
    throw new ArgumentError("bytes", "must be Arrow IPC bytes (a Uint8Array or ArrayBuffer)", bytes);
  registerCodecs();
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let table: ArrowLikeTable;
  try {
    table = tableFromIPC(data);
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).replace(/\.$/, "");
    if (/codec "LZ4_FRAME"/.test(message))
      throw new DataError(
        "FILE",
        'not readable: its Arrow buffers are LZ4-compressed, which is not supported. Write it uncompressed or with ZSTD (R: arrow::write_feather(x, f, compression = "zstd"); pyarrow: feather.write_feather(t, f, compression="zstd")), or as Parquet.',
      );
    throw new DataError("FILE", `not Arrow IPC: ${message}.`);
  }
  const all = toDataTable(table);
  const names = selectColumns(all.names, options.columns, "the Arrow data");
  if (names.length === all.names.length) return all;
  return new DataTable(names, all.nrows, new Map(names.map((name) => [name, () => all.column(name)!])));
}
