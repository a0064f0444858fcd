/**
 * PostgreSQL through a connection string (`pg`, an optional peer dependency imported on first use),
 * returning query results as typed columns (`SqlSource`, src/sql/types.ts) — the same types as
 * DuckDB's: boolean → logical; smallint, integer, bigint, real, double precision, numeric, oid →
 * numeric (bigint and numeric through their exact text); text, varchar, char, name, uuid → string;
 * date → ISO text; other types → a column that is an error only if a model uses it.
 */
import { type ColumnKind, columnBuilder } from "../data/column-builder";
import { DataTable } from "../data/table";
import { makeUnique } from "../data/unique";
import { LmmError } from "../errors";
import type { SqlSource, SqlValue } from "../sql/types";
import { checkStringArgument } from "../validate";
import { importOptional } from "./optional";
import { queryError } from "./query-error";

// PostgreSQL type oids (pg_type).
const BOOL = 16;
const NUMERIC_OIDS = new Set([20, 21, 23, 26, 700, 701, 1700]);
const TEXT_OIDS = new Set([18, 19, 25, 1042, 1043, 2950]);
const DATE = 1082;
const AS_NUMBER = new Set([20, 1700]);

/**
 * Connects to PostgreSQL.
 *
 * @param connectionString - e.g. `postgresql://user:password@host:5432/db` (libpq's URI or
 *   key=value form, as `pg` reads it; environment variables PGHOST, PGUSER, ... fill the gaps).
 * @returns the connection as an `SqlSource`; `close()` it when done.
 * @throws LmmError: MISSING_DEPENDENCY when `pg` is not installed; QUERY when the server cannot be
 *   reached or refuses the login.
 * @example const pg = await connectPostgres(process.env.DATABASE_URL); const t = await pg.query("SELECT * FROM sleepstudy"); await pg.close();
 */
export async function connectPostgres(connectionString: string): Promise<SqlSource> {
  checkStringArgument(connectionString, "connectionString", "a PostgreSQL connection string");
  const imported = await importOptional("pg", () => import("pg"), "PostgreSQL");
  const pg = imported.default ?? imported; // pg is CommonJS: its exports are the default export in ESM
  const types = {
    getTypeParser: (oid: number, format?: "text" | "binary") => {
      if (AS_NUMBER.has(oid)) return (text: string) => Number(text);
      if (oid === DATE) return (text: string) => text;
      return pg.types.getTypeParser(oid, format ?? "text");
    },
  };
  const client = new pg.Client({ connectionString, types });
  try {
    await client.connect();
  } catch (error) {
    throw queryError("cannot connect to PostgreSQL", error);
  }
  let closed = false;
  return {
    dialect: "postgres",
    async query(sql: string, params?: readonly SqlValue[]): Promise<DataTable> {
      if (closed) throw new LmmError("QUERY", "the PostgreSQL connection is closed.");
      let result: { fields: { name: string; dataTypeID: number }[]; rows: unknown[][] };
      try {
        result = await client.query({
          text: sql,
          values: params === undefined ? [] : [...params],
          rowMode: "array",
        });
      } catch (error) {
        throw queryError("PostgreSQL refused the query", error);
      }
      const fields = result.fields ?? [];
      const names = makeUnique(fields.map((f) => f.name));
      const rows = result.rows ?? [];
      const columns = new Map(
        fields.map((field, j) => {
          const oid = field.dataTypeID;
          const kind: ColumnKind | "invalid" =
            oid === BOOL
              ? "logical"
              : NUMERIC_OIDS.has(oid)
                ? "numeric"
                : TEXT_OIDS.has(oid) || oid === DATE
                  ? "string"
                  : "invalid";
          const builder = columnBuilder(
            kind,
            rows.length,
            `column \`${names[j]}\` has a PostgreSQL type (oid ${oid}) a model cannot use: cast it to double precision or text in the query`,
          );
          for (const row of rows) builder.push(kind === "invalid" ? null : row[j]);
          return [names[j]!, builder.finish()] as const;
        }),
      );
      return new DataTable(names, rows.length, columns);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await client.end();
    },
  };
}
