/**
 * Reading a CSV file in one streaming pass (Node): 4 MiB chunks through `CsvStreamReader`
 * (src/data/csv-stream.ts), so a file larger than memory can be read when its used columns fit.
 * Bytes are UTF-8, else (the first invalid byte sends the reader back to the start) Latin-1, as
 * `readCsvFile` decodes them; a file with binary content in its first 64 KiB is refused.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { type CsvStreamOptions, CsvStreamReader, CsvTextColumnError } from "../data/csv-stream";
import type { DataTable } from "../data/table";
import { DataError, LmmError } from "../errors";
import { checkOptionsArgument, checkStringArgument } from "../validate";
import { dataFileError, dataFileSize, fileErrorReason } from "./file-error";

const CHUNK = 4 << 20;

/**
 * Reads a CSV file in a streaming pass; the table equals `readCsvFile(path)`'s.
 *
 * @param path - the file.
 * @param options - `columns`: keep only these (the others are parsed, not stored); see
 *   `CsvStreamOptions`.
 * @returns the table.
 * @throws DataError (FILE) naming `path`: missing, unreadable, binary, not CSV.
 * @example readCsvFileStream("big.csv", { columns: ["y", "x", "g"] }).nrows
 */
export function readCsvFileStream(path: string, options: CsvStreamOptions = {}): DataTable {
  checkStringArgument(path, "path", "a file name");
  checkOptionsArgument(options);
  dataFileSize(path);
  let encoding: "utf-8" | "latin1" = "utf-8";
  let text = [...(options.text ?? [])];
  for (;;) {
    try {
      return readPass(path, { ...options, text }, encoding);
    } catch (error) {
      if (error === NOT_UTF8 && encoding === "utf-8") encoding = "latin1";
      else if (error instanceof CsvTextColumnError) text = [...text, error.textColumn];
      else if (
        error instanceof DataError &&
        error.code === "FILE" &&
        !error.message.startsWith("cannot read")
      )
        throw dataFileError(path, error.message, error.row);
      else throw error;
    }
  }
}

const NOT_UTF8 = new Error("not UTF-8");

function readPass(path: string, options: CsvStreamOptions, encoding: "utf-8" | "latin1"): DataTable {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    throw dataFileError(path, fileErrorReason(error));
  }
  const reader = new CsvStreamReader(options);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const buffer = Buffer.allocUnsafe(CHUNK);
  let first = true;
  try {
    for (;;) {
      let got: number;
      try {
        got = readSync(fd, buffer, 0, CHUNK, null);
      } catch (error) {
        throw dataFileError(path, fileErrorReason(error));
      }
      const bytes = buffer.subarray(0, got);
      if (first) {
        first = false;
        const sample = bytes.subarray(0, Math.min(bytes.length, 1 << 16));
        for (const b of sample)
          if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12)
            throw dataFileError(path, "it is not a text file (it has binary content), so not CSV.");
      }
      if (encoding === "latin1") reader.write(bytes.toString("latin1"));
      else {
        let text: string;
        try {
          text = decoder.decode(bytes, { stream: got > 0 });
        } catch {
          throw NOT_UTF8;
        }
        reader.write(text);
      }
      if (got === 0) break;
    }
    return reader.end();
  } catch (error) {
    if (error instanceof LmmError || error === NOT_UTF8) throw error;
    throw dataFileError(path, fileErrorReason(error));
  } finally {
    closeSync(fd);
  }
}
