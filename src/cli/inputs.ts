/**
 * What every command that fits reads: the data and the model the formula makes of them, with
 * their warnings passed on (held until the work starts; see run.ts). The data come from one of:
 *
 * - `--data FILE` (CSV, Parquet, Arrow IPC): read into memory — or, for a Parquet or CSV file above
 *   `DUCKDB_BYTES` (1 GiB) when `@duckdb/node-api` is installed, or with `--duckdb`, aggregated by
 *   DuckDB embedded where the file lies (a model from sufficient statistics, src/model/stats.ts);
 * - `--postgres URL --table T`: aggregated by PostgreSQL;
 * - `--stats FILE`: the result of the formula's aggregation query (`bayes-lmm sql`), run by anyone on
 *   any engine, saved as CSV, Parquet or Arrow; `--levels COL=L1,L2,...` as given to `bayes-lmm sql`.
 */
import { ArgumentError, DataError } from "../errors";
import { checkComputable } from "../limits";
import { lmm } from "../model/lmm";
import type { LmmModel } from "../model/types";
import { readDataFile } from "../node/data-file";
import { dataFileSize } from "../node/file-error";
import { connectPostgres } from "../node/postgres";
import { DUCKDB_BYTES, duckDbFileModel } from "../node/sql-file";
import { modelFromSums, type SqlLevel, sqlDesign, sqlModel } from "../sql/model";
import type { CommandIO, FlagValues } from "./command";
import { optionalString, requiredString } from "./command";
import type { FlagSpec } from "./flags";

/** The flags naming where the data are (every command that builds a model takes them). */
export const DATA_SOURCE_OPTIONS: Readonly<Record<string, FlagSpec>> = {
  data: { type: "string" },
  formula: { type: "string" },
  duckdb: { type: "boolean" },
  postgres: { type: "string" },
  table: { type: "string" },
  stats: { type: "string" },
  levels: { type: "string", multiple: true },
};

/** Their lines in a command's usage text. */
export const DATA_SOURCE_USAGE = `  --data FILE     CSV file with a header row (read as R's read.csv reads it), or Parquet or Arrow IPC
                  (Parquet and CSV files over 1 GiB are aggregated by DuckDB when it is installed)
  --formula TEXT  lme4 model formula
  --duckdb        aggregate --data (Parquet or CSV) with DuckDB where it lies, not in memory
  --postgres URL  aggregate the table --table in PostgreSQL (postgresql://user@host:port/db)
  --table NAME    the database table (with --postgres)
  --stats FILE    the formula's aggregation query's result (bayes-lmm sql), as CSV, Parquet or Arrow
  --levels COL=L1,L2,...
                  with --stats: the levels of a factor column, as given to bayes-lmm sql (repeatable)`;

/**
 * `--levels COL=L1,L2,...` flags as factor levels: numbers when every level is a number, TRUE/FALSE
 * booleans when every level is one, else text.
 *
 * @throws ArgumentError naming the flag value that is not COL=L1,L2,...
 */
export function levelsFlags(flags: FlagValues): Record<string, SqlLevel[]> {
  const raw = flags["levels"];
  const list = raw === undefined ? [] : typeof raw === "string" ? [raw] : Array.isArray(raw) ? raw : [];
  const out: Record<string, SqlLevel[]> = {};
  for (const item of list as readonly string[]) {
    const eq = item.indexOf("=");
    if (eq <= 0 || eq === item.length - 1)
      throw new ArgumentError(
        "--levels",
        "must be COLUMN=LEVEL1,LEVEL2,... (the first level is the reference)",
        item,
      );
    const column = item.slice(0, eq);
    const levels = item.slice(eq + 1).split(",");
    const numbers = levels.map((l) => (l.trim() === "" ? Number.NaN : Number(l)));
    out[column] = numbers.every(Number.isFinite)
      ? numbers
      : levels.every((l) => l === "TRUE" || l === "FALSE")
        ? levels.map((l) => l === "TRUE")
        : levels;
  }
  return out;
}

/** Which source the flags name (exactly one of --data, --postgres, --stats), or a typed error. */
export function dataSource(flags: FlagValues): "data" | "duckdb" | "postgres" | "stats" {
  requiredString(flags, "formula");
  const given = ["data", "postgres", "stats"].filter((f) => flags[f] !== undefined);
  if (given.length === 0)
    throw new ArgumentError(
      "--data",
      "is required (or --postgres URL --table T, or --stats FILE)",
      undefined,
    ).withoutValue();
  if (given.length > 1)
    throw new ArgumentError(
      `--${given[1]}`,
      `cannot be given with --${given[0]}: the data come from one place`,
      flags[given[1]!],
    );
  const source = given[0] as "data" | "postgres" | "stats";
  if (flags["duckdb"] === true && source !== "data")
    throw new ArgumentError("--duckdb", "aggregates a --data file (Parquet or CSV)", true);
  if (source === "postgres") requiredString(flags, "table");
  else if (flags["table"] !== undefined)
    throw new ArgumentError("--table", "names a table of the --postgres database", flags["table"]);
  if (flags["levels"] !== undefined && source !== "stats")
    throw new ArgumentError(
      "--levels",
      "goes with --stats (a database's levels are read from it)",
      flags["levels"],
    );
  for (const f of ["weights", "var-ident", "ar1"])
    if (flags[f] !== undefined && (source !== "data" || flags["duckdb"] === true))
      throw new ArgumentError(`--${f}`, "needs the rows: give --data without --duckdb", flags[f]);
  if (source === "data" && flags["duckdb"] === true) return "duckdb";
  return source;
}

/** Whether `@duckdb/node-api` can be loaded. */
async function duckDbInstalled(): Promise<boolean> {
  try {
    await import("@duckdb/node-api");
    return true;
  } catch {
    return false;
  }
}

/**
 * `--weights COLUMN`: precision weights (lme4's `weights =`); `--var-ident COLUMN`: a residual
 * variance per level of a column (nlme's varIdent); `--ar1 "TIME | GROUP"`: AR(1) residuals within
 * each GROUP ordered by TIME (nlme's corAR1) — the residual models of the commands that fit.
 */
export const RESIDUAL_OPTIONS = {
  weights: { type: "string" },
  "var-ident": { type: "string" },
  ar1: { type: "string" },
} as const;
export const RESIDUAL_USAGE = `  --weights COLUMN  precision weights (lme4's weights =): row i's residual variance is sigma2 / w_i
  --var-ident COLUMN
                    a residual variance per level of COLUMN (nlme's varIdent(form = ~ 1 | COLUMN))
  --ar1 "TIME | GROUP"
                    AR(1) residuals within each GROUP, ordered by the integer column TIME (gaps
                    count: phi^lag), or by the rows' order with "1 | GROUP" (nlme's
                    corAR1(form = ~ TIME | GROUP); a leading ~ is allowed)`;

/**
 * Parses `--ar1`: nlme's form `TIME | GROUP` (a leading `~` allowed; `1 | GROUP` for the rows'
 * order) into lmm's `ar1` option.
 *
 * @throws ArgumentError naming --ar1 for any other text
 * @example parseAr1Flag("~ Days | Subject") // { time: "Days", group: "Subject" }
 */
export function parseAr1Flag(text: string): { time: string; group: string } {
  const m = /^\s*(?:~\s*)?([^|~\s][^|~]*?)\s*\|\s*([^|~\s][^|~]*?)\s*$/.exec(text);
  if (m === null || /\s/.test(m[1]!) || /\s/.test(m[2]!))
    throw new ArgumentError(
      "--ar1",
      'must be "TIME | GROUP" (nlme\'s corAR1 form, e.g. "Days | Subject", or "1 | Subject" for the rows\' order)',
      text,
    );
  return { time: m[1]!, group: m[2]! };
}

/**
 * Reads the data (see the file comment) and builds the model of `--formula` (with the `--weights`
 * column's precision weights, the `--var-ident` column's strata and the `--ar1` chains, from rows only), passing their
 * warnings to `io.warn`.
 *
 * @param checkNumbers - also refuse data that double precision cannot fit (src/limits.ts), as every
 *   fit does: before the work starts rather than in the middle of it
 */
export async function readModel(flags: FlagValues, io: CommandIO, checkNumbers = true): Promise<LmmModel> {
  let source = dataSource(flags);
  const formula = requiredString(flags, "formula");
  let model: LmmModel;
  if (source === "data") {
    const path = requiredString(flags, "data");
    if (
      dataFileSize(path) > DUCKDB_BYTES &&
      !/\.(arrow|arrows|feather|ipc)$/i.test(path) &&
      (await duckDbInstalled())
    )
      source = "duckdb";
  }
  if (source === "duckdb") model = (await duckDbFileModel(requiredString(flags, "data"), formula)).model;
  else if (source === "postgres") {
    const db = await connectPostgres(requiredString(flags, "postgres"));
    try {
      model = (await sqlModel(db, formula, { from: requiredString(flags, "table") })).model;
    } finally {
      await db.close();
    }
  } else if (source === "stats") {
    const path = requiredString(flags, "stats");
    const design = sqlDesign(formula, { from: "data", factors: levelsFlags(flags) });
    const table = await readDataFile(path);
    try {
      model = modelFromSums(design, table);
    } catch (error) {
      if (error instanceof DataError)
        throw new DataError(error.code as "INVALID_DATA", `${error.message} (in \`${path}\`)`);
      throw error;
    }
  } else {
    const table = await readDataFile(requiredString(flags, "data"));
    for (const w of table.warnings) io.warn(w);
    const weights = optionalString(flags, "weights");
    const varIdent = optionalString(flags, "var-ident");
    const ar1 = optionalString(flags, "ar1");
    model = lmm(formula, table, {
      ...(weights === undefined ? {} : { weights }),
      ...(varIdent === undefined ? {} : { varIdent }),
      ...(ar1 === undefined ? {} : { ar1: parseAr1Flag(ar1) }),
    });
  }
  for (const w of model.warnings) io.warn(w);
  if (checkNumbers) checkComputable(model);
  return model;
}
