/**
 * A model of a Parquet or CSV file computed by DuckDB embedded where the file lies: the file is
 * never read into this process, only the sums per cell come back (src/sql/model.ts). The default
 * for files above `DUCKDB_BYTES` in the CLI, and what `--duckdb` asks for.
 *
 * CSV is read by DuckDB's `read_csv` with `NA` and empty fields as NULL (R's `read.csv` missing
 * values) and DuckDB's own type detection; the in-memory reader's other rules (R's `type.convert` of
 * quoted numbers, `T`/`F` logicals) are DuckDB's, so a column DuckDB types otherwise is coded
 * otherwise — Parquet files carry their types and are read the same by both.
 */
import { LmmError } from "../errors";
import type { LmmModel } from "../model/types";
import { type SqlDesign, type SqlModelOptions, sqlModel } from "../sql/model";
import { quoteString } from "../sql/quote";
import { dataFileFormat } from "./data-file";
import { type DuckDbOptions, openDuckDb } from "./duckdb";

/** Files (Parquet or CSV) larger than this many bytes are aggregated by DuckDB in the CLI (when installed). */
export const DUCKDB_BYTES = 1 << 30;

/**
 * The query DuckDB reads a data file with (`read_parquet`, `read_csv`).
 *
 * @param path - a Parquet or CSV file
 * @returns the SELECT text
 * @throws LmmError (FILE) for an Arrow IPC file, which DuckDB does not read
 * @example duckDbFileQuery("sleep.parquet") // SELECT * FROM read_parquet('sleep.parquet')
 */
export function duckDbFileQuery(path: string): string {
  const format = dataFileFormat(path);
  if (format === "parquet") return `SELECT * FROM read_parquet(${quoteString(path)})`;
  if (format === "csv")
    return `SELECT * FROM read_csv(${quoteString(path)}, header = true, nullstr = ['NA', ''])`;
  throw new LmmError(
    "FILE",
    `cannot read \`${path}\` with DuckDB: it is an Arrow IPC file; DuckDB reads Parquet and CSV (read it with --data alone).`,
  );
}

/**
 * The model of a formula on a data file, aggregated by DuckDB (see the file comment).
 *
 * @param path - a Parquet or CSV file
 * @param formula - lme4 formula text (data columns only)
 * @param options - level orders, contrasts, DuckDB settings (`duckdb`, e.g. `{ memory_limit: "2GB" }`)
 * @returns the model from sufficient statistics and its design (the query)
 * @throws as `sqlModel`; LmmError (MISSING_DEPENDENCY) without `@duckdb/node-api`
 */
export async function duckDbFileModel(
  path: string,
  formula: string,
  options: Omit<SqlModelOptions, "from"> & { readonly duckdb?: DuckDbOptions["config"] } = {},
): Promise<{ model: LmmModel; design: SqlDesign }> {
  const query = duckDbFileQuery(path);
  const { duckdb, ...rest } = options;
  const db = await openDuckDb(duckdb === undefined ? {} : { config: duckdb });
  try {
    return await sqlModel(db, formula, { ...rest, from: { query } });
  } finally {
    await db.close();
  }
}
