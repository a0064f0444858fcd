/**
 * bayes-lmm/node — the Node-only entry: reading and writing files, and databases (DuckDB embedded,
 * PostgreSQL; optional peer dependencies imported on first use). The main entry (`bayes-lmm`) is
 * browser-safe and imports no `node:` module; everything that touches the file system lives here.
 *
 *     import { lmm, gibbs } from "bayes-lmm";
 *     import { readCsvFile, writeDrawsCsv } from "bayes-lmm/node";
 */
export { readArrowFile } from "./arrow-file";
export { readCsvFileStream } from "./csv-stream-file";
export {
  type DataFileFormat,
  dataFileFormat,
  type ReadDataFileOptions,
  readCsvFile,
  readDataFile,
  STREAMING_CSV_BYTES,
} from "./data-file";
export { readDrawsCsv, writeDrawsCsv } from "./draws-file";
export { type DuckDbOptions, openDuckDb } from "./duckdb";
export { writeInferenceData } from "./inference-data-file";
export { readParquetFile } from "./parquet-file";
export { connectPostgres } from "./postgres";
export { DUCKDB_BYTES, duckDbFileModel, duckDbFileQuery } from "./sql-file";
