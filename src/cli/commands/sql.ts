/**
 * `bayes-lmm sql --formula "..." --table T [--levels COL=L1,L2,...]`: prints the ANSI SQL aggregation
 * query of the formula's design (src/sql/model.ts) — the sums per cell of the grouping factors that a
 * model needs instead of its rows. Run it on any engine (Spark SQL, BigQuery, Trino, DuckDB,
 * PostgreSQL), save the result as CSV, Parquet or Arrow, and fit it with `--stats FILE` and the same
 * `--formula` and `--levels`.
 */
import { sqlDesign } from "../../sql/model";
import { type Command, requiredString } from "../command";
import { levelsFlags } from "../inputs";

export const sqlCommand: Command = {
  name: "sql",
  summary: "print the SQL query that reduces the data to the model's sums (for --stats)",
  usage: `Usage: bayes-lmm sql --formula "y ~ x + (x | g)" --table NAME [--levels COL=L1,L2,...]

Prints the ANSI SQL aggregation query of the formula: per cell of the grouping factors (the GROUP BY),
the row count and the sums of products of the model's columns (X, Z, y), rows with a NULL in a used
column left out. Run it where the data are and fit its result with --stats FILE and the same
--formula and --levels. Columns of the fixed part and of random-term columns are numeric unless named
by --levels; grouping factors need no levels. Expressions (log(x), poly(x, 2)) are not pushed down:
compute them as columns first.

Flags:
  --formula TEXT  lme4 model formula (data columns only)
  --table NAME    the table (or view) holding the rows
  --levels COL=L1,L2,...
                  a factor column and its levels, the first the reference (repeatable); levels that
                  are all numbers are compared as numbers, TRUE/FALSE as booleans

Example:
  bayes-lmm sql --formula "y ~ service + (1 | s) + (1 | d)" --table ratings --levels service=0,1
`,
  options: {
    formula: { type: "string" },
    table: { type: "string" },
    levels: { type: "string", multiple: true },
  },
  run(flags, io) {
    const formula = requiredString(flags, "formula");
    const table = requiredString(flags, "table");
    io.stdout(sqlDesign(formula, { from: table, factors: levelsFlags(flags) }).sql);
  },
};
