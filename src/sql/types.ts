/**
 * What the SQL modules share: a database that runs a query and returns its result as a `DataTable`
 * (the same typed columns every data source gives), and the values a query's parameters take.
 * Implementations are Node-only: `openDuckDb` and `connectPostgres` in `bayes-lmm/node`.
 */
import type { DataTable } from "../data/table";

/** A value bound to a query parameter (`$1`, `$2`, ... in both DuckDB and PostgreSQL). */
export type SqlValue = number | string | boolean | null;

/** The SQL dialects the package runs queries on. */
export type SqlDialect = "duckdb" | "postgres";

/** A database connection that returns query results as typed columns. */
export interface SqlSource {
  readonly dialect: SqlDialect;
  /**
   * Runs `sql` and returns its result: numeric columns (any integer, float or decimal type) as
   * `Float64Array` with a missing mask, text as strings, booleans as logicals, dates as ISO text;
   * other types become columns that are an error only if a model uses them.
   *
   * @throws LmmError (QUERY) when the database refuses the query, with its message.
   */
  query(sql: string, params?: readonly SqlValue[]): Promise<DataTable>;
  /** Closes the connection (and an embedded database). */
  close(): Promise<void>;
}
