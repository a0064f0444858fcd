/**
 * `bayes-lmm diagnose --draws FILE [--json]` (CLI.md): reads a draws CSV in posterior's `draws_df`
 * layout and prints, per parameter, mean, sd, median, q5, q95, rhat, ess_bulk, ess_tail, mcse_mean
 * and mcse_sd — the R package posterior's definitions (diagnostics/). Convergence warnings (R-hat
 * above 1.01, bulk or tail ESS below 100 per chain, a capped ESS) go to standard error, one line each,
 * and into the JSON document's `warnings`.
 *
 * JSON: `{ draws, chains, iterations, parameters: [{ name, mean, sd, median, q5, q95, rhat, ess_bulk,
 * ess_tail, mcse_mean, mcse_sd }], warnings: [{ kind, parameter, measure, value, threshold, message }] }`;
 * a value posterior gives as NA is null.
 */
import { DIAGNOSE_MEASURES, type DrawsSummary, summarizeDraws } from "../../../diagnostics/summarize";
import { ArgumentError } from "../../errors";
import { readDrawsFiles } from "../../node/draws-file";
import { type Command, plural } from "../command";

/** One row of the JSON document; null where posterior gives NA. */
export type DiagnoseRow = { readonly name: string } & {
  readonly [K in (typeof DIAGNOSE_MEASURES)[number]]: number | null;
};

/** The JSON document `bayes-lmm diagnose --json` prints. */
export interface DiagnoseReport {
  readonly draws: string;
  readonly chains: number;
  readonly iterations: number;
  readonly parameters: readonly DiagnoseRow[];
  readonly warnings: readonly {
    readonly kind: string;
    readonly parameter: string | null;
    readonly measure: string;
    readonly value: number | null;
    readonly threshold: number;
    readonly message: string;
  }[];
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** The report of a summary (NaN and ±Infinity become null: JSON has no such numbers). */
export function diagnoseReport(path: string, summary: DrawsSummary): DiagnoseReport {
  return {
    draws: path,
    chains: summary.chains,
    iterations: summary.iterations,
    parameters: summary.rows.map((row) => {
      const out: Record<string, number | string | null> = { name: row.parameter };
      for (const m of DIAGNOSE_MEASURES) out[m] = finite(row.values[m]!);
      return out as DiagnoseRow;
    }),
    warnings: summary.warnings.map((w) => ({
      kind: w.kind,
      parameter: w.parameter ?? null,
      measure: w.measure,
      value: finite(w.value),
      threshold: w.threshold,
      message: w.message,
    })),
  };
}

/** A number for the table: NA, or a few significant digits by column. */
function cell(measure: string, x: number | null): string {
  if (x === null) return "NA";
  if (measure === "rhat") return x.toFixed(3);
  if (measure.startsWith("ess_")) return String(Math.round(x));
  const digits = measure.startsWith("mcse_") ? 2 : 4;
  const text = x.toPrecision(digits);
  return text.includes("e") ? text : String(Number(text));
}

/** The text table `bayes-lmm diagnose` prints. */
export function formatDiagnoseText(report: DiagnoseReport): string {
  const header = ["parameter", ...DIAGNOSE_MEASURES];
  const body = report.parameters.map((row) => [row.name, ...DIAGNOSE_MEASURES.map((m) => cell(m, row[m]))]);
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((r) => r[j]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!)))
      .join("  ")
      .trimEnd();
  const n = report.parameters.length;
  return `${[
    `draws ${report.draws}: ${plural(report.chains, "chain")} × ${plural(report.iterations, "draw")}, ${plural(n, "parameter")}`,
    "",
    line(header),
    ...body.map(line),
  ].join("\n")}\n`;
}

export const diagnoseCommand: Command = {
  name: "diagnose",
  summary: "convergence diagnostics and posterior summaries of a draws CSV (R-hat, ESS, MCSE)",
  usage: `Usage: bayes-lmm diagnose --draws FILE.csv [--draws FILE2.csv ...] [--json]

Reads posterior draws and prints per parameter: mean, sd, median, q5, q95, rhat, ess_bulk, ess_tail,
mcse_mean, mcse_sd, with the definitions of posterior 1.4.0 (Vehtari et al. 2021: rank-normalized
split R-hat, bulk and tail ESS). NA means the value is not defined for these draws (constant or
non-finite draws, too few draws). Warnings (R-hat above 1.01, bulk or tail ESS below 100 per chain)
go to standard error.

The files may be:
  - the layout of the R package posterior's draws_df (columns .chain, .iteration, .draw, then one
    per parameter — what \`bayes-lmm sample --draws\` writes), rows in any order;
  - R's write.csv of a draws_df (its row-name column is dropped; names that read.csv mangled,
    beta.1. for beta[1], are restored);
  - CmdStan CSV files, one per chain (give --draws once per file): # comment lines, lp__ kept, the
    sampler's other __ columns left out, warmup rows dropped when they were saved, names such as
    beta.1 read as beta[1].
Several draws_df files are read as consecutive chains too.

Flags:
  --draws FILE   a draws CSV (repeat for several files: their chains in order)
  --json         print one JSON document: draws, chains, iterations, parameters [{ name, mean, sd,
                 median, q5, q95, rhat, ess_bulk, ess_tail, mcse_mean, mcse_sd }] (null for NA),
                 warnings [{ kind, parameter, measure, value, threshold, message }]

Example:
  bayes-lmm diagnose --draws output_1.csv --draws output_2.csv --json
`,
  options: {
    draws: { type: "string", multiple: true },
    json: { type: "boolean" },
  },
  run(flags, io) {
    const given = flags["draws"];
    if (given === undefined) throw new ArgumentError("--draws", "is required", given).withoutValue();
    const paths = typeof given === "string" ? [given] : Array.isArray(given) ? [...given] : [];
    for (const p of paths) if (p.length === 0) throw new ArgumentError("--draws", "must not be empty", p);
    const files = readDrawsFiles(paths);
    for (const w of files.warnings) io.warn(w);
    const summary = summarizeDraws(files.draws, [...DIAGNOSE_MEASURES]);
    const report = diagnoseReport(paths.join(", "), summary);
    for (const w of report.warnings) io.warn(w.message);
    io.stdout(flags["json"] === true ? `${JSON.stringify(report, null, 2)}\n` : formatDiagnoseText(report));
  },
};
