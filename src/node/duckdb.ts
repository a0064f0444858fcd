/**
 * DuckDB embedded (`@duckdb/node-api`, an optional peer dependency imported on first use): a
 * database in this process that reads Parquet, CSV and its own files larger than memory, and
 * returns query results as typed columns (`SqlSource`, src/sql/types.ts). Results are read chunk by
 * chunk (2,048 rows each) into the columns, never as row objects.
 *
 * Types: BOOLEAN → logical; every integer type, FLOAT, DOUBLE, DECIMAL → numeric (DECIMAL through its
 * exact text, so `1.15` is the double the CSV text gives); VARCHAR, ENUM, UUID → string; DATE → ISO
 * text; other types → a column that is an error only if a model uses it.
 */
import { type ColumnBuilder, type ColumnKind, columnBuilder } from "../data/column-builder";
import { DataTable } from "../data/table";
import { makeUnique } from "../data/unique";
import { LmmError } from "../errors";
import type { SqlSource, SqlValue } from "../sql/types";
import { checkOptionsArgument } from "../validate";
import { importOptional } from "./optional";
import { queryError } from "./query-error";

/** Options of `openDuckDb`. */
export interface DuckDbOptions {
  /**
   * A database file, or `":memory:"` for a database that lives only in this process.
   * @default ":memory:"
   */
  readonly path?: string;
  /** DuckDB settings, e.g. `{ threads: "2", memory_limit: "4GB" }`. */
  readonly config?: Readonly<Record<string, string>>;
}

// DuckDB's type ids (DuckDBTypeId of @duckdb/node-api).
const BOOLEAN = 1;
const NUMERIC_IDS = new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16, 32, 35]);
const DATE = 13;
const DECIMAL = 19;
const TEXT_IDS = new Set([17, 23, 27]);

/**
 * Opens an embedded DuckDB database.
 *
 * @param options - see `DuckDbOptions`.
 * @returns the database as an `SqlSource`; `close()` it when done.
 * @throws LmmError: MISSING_DEPENDENCY when `@duckdb/node-api` is not installed; QUERY when the
 *   database cannot be opened.
 * @example const db = await openDuckDb(); const t = await db.query("SELECT * FROM 'data.parquet'"); await db.close();
 */
export async function openDuckDb(options: DuckDbOptions = {}): Promise<SqlSource> {
  checkOptionsArgument(options);
  const duckdb = await importOptional("@duckdb/node-api", () => import("@duckdb/node-api"), "DuckDB");
  let instance: InstanceType<typeof duckdb.DuckDBInstance>;
  let connection: Awaited<ReturnType<typeof instance.connect>>;
  try {
    instance = await duckdb.DuckDBInstance.create(options.path ?? ":memory:", { ...options.config });
    connection = await instance.connect();
  } catch (error) {
    throw queryError("cannot open the DuckDB database", error);
  }
  let closed = false;
  return {
    dialect: "duckdb",
    async query(sql: string, params?: readonly SqlValue[]): Promise<DataTable> {
      if (closed) throw new LmmError("QUERY", "the DuckDB database is closed.");
      let result: Awaited<ReturnType<typeof connection.stream>>;
      try {
        result =
          params === undefined ? await connection.stream(sql) : await connection.stream(sql, [...params]);
      } catch (error) {
        throw queryError("DuckDB refused the query", error);
      }
      const names = makeUnique(result.columnNames());
      const builders: ColumnBuilder[] = result.columnTypes().map((type, j) => {
        const id = type.typeId as number;
        const kind: ColumnKind | "invalid" =
          id === BOOLEAN
            ? "logical"
            : NUMERIC_IDS.has(id) || id === DECIMAL
              ? "numeric"
              : TEXT_IDS.has(id) || id === DATE
                ? "string"
                : "invalid";
        return columnBuilder(
          kind,
          2048,
          `column \`${names[j]}\` has the DuckDB type ${type.toString()}, which a model cannot use: cast it to DOUBLE or VARCHAR in the query`,
        );
      });
      const convert = result.columnTypes().map((type) => {
        const id = type.typeId as number;
        if (id === DECIMAL || id === 16 || id === 32 || id === 35)
          return (v: unknown) => (v === null ? null : Number(String(v)));
        if (id === DATE || id === 27) return (v: unknown) => (v === null ? null : String(v));
        return undefined;
      });
      try {
        for (;;) {
          const chunk = await result.fetchChunk();
          if (chunk === null || chunk.rowCount === 0) break;
          const rows = chunk.rowCount;
          builders.forEach((builder, j) => {
            const vector = chunk.getColumnVector(j);
            const f = convert[j];
            if (builder.kind === "invalid") for (let i = 0; i < rows; i++) builder.push(null);
            else if (f === undefined) for (let i = 0; i < rows; i++) builder.push(vector.getItem(i));
            else for (let i = 0; i < rows; i++) builder.push(f(vector.getItem(i)));
          });
        }
      } catch (error) {
        throw queryError("DuckDB failed while reading the result", error);
      }
      const nrows = builders[0]?.length ?? 0;
      return new DataTable(names, nrows, new Map(names.map((name, j) => [name, builders[j]!.finish()])));
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      connection.closeSync();
      instance.closeSync();
    },
  };
}
