/**
 * `bayes-lmm model --data FILE.csv --formula "..." [--json]`: what the formula makes of the data,
 * fitted to nothing (CLI.md). JSON keys: `formula`, `response`, `nobs`, `dropped`, `fixed`,
 * `X_colsums`, `terms: [{ group, label, levels, names }]`, `aliased`, `warnings`.
 *
 * `group` is the grouping factor (`Subject`, `cask:batch`) — the name priors and parameter names use;
 * `label` is lme4's name for the term, which differs where two terms share a factor (`Subject.1`,
 * the key of the lme4 fixtures' `Z_colnames_per_term` and of `as.data.frame(VarCorr(fit))$grp`).
 */

import { statisticsLayout, statisticsTotals } from "../../model/stats";
import type { LmmModel } from "../../model/types";
import { type Command, plural } from "../command";
import { DATA_SOURCE_OPTIONS, DATA_SOURCE_USAGE, dataSource, readModel } from "../inputs";

/** The JSON document `bayes-lmm model --json` prints. */
export interface ModelSummary {
  readonly formula: string;
  readonly response: string;
  readonly nobs: number;
  readonly dropped: number;
  readonly fixed: readonly string[];
  readonly X_colsums: readonly number[];
  readonly terms: readonly { group: string; label: string; levels: number; names: readonly string[] }[];
  readonly aliased: readonly string[];
  readonly warnings: readonly string[];
}

/** The summary of a model that `bayes-lmm model` prints. */
export function modelSummary(model: LmmModel): ModelSummary {
  const sums = new Array<number>(model.p).fill(0);
  if (model.statistics !== undefined) {
    // A model from sufficient statistics: the column sums are in its totals.
    const totals = statisticsTotals(model.statistics);
    const { xOffset } = statisticsLayout(model.terms, model.p);
    for (let j = 0; j < model.p; j++) sums[j] = totals[xOffset + j]!;
  }
  for (let i = 0; i < model.X.length / Math.max(model.p, 1); i++)
    for (let j = 0; j < model.p; j++) sums[j] = sums[j]! + model.X[i * model.p + j]!;
  return {
    formula: model.formula,
    response: model.response,
    nobs: model.n,
    dropped: model.dropped,
    fixed: model.fixedNames,
    X_colsums: sums,
    terms: model.terms.map((t) => ({ group: t.group, label: t.label, levels: t.m, names: t.names })),
    aliased: model.aliased,
    warnings: model.warnings,
  };
}

function formatText(s: ModelSummary): string {
  const lines = [
    `formula   ${s.formula}`,
    `response  ${s.response}`,
    `rows      ${s.nobs} used${s.dropped > 0 ? `, ${s.dropped} dropped for missing values` : ""}`,
    "",
    `fixed effects: ${plural(s.fixed.length, "column")}`,
  ];
  const width = Math.max(6, ...s.fixed.map((f) => f.length));
  lines.push(`  ${"column".padEnd(width)}  column sum`);
  s.fixed.forEach((f, j) => {
    lines.push(`  ${f.padEnd(width)}  ${formatNumber(s.X_colsums[j]!)}`);
  });
  if (s.aliased.length > 0) lines.push(`  dropped as aliased: ${s.aliased.join(", ")}`);
  lines.push("", `random effects: ${plural(s.terms.length, "term")}`);
  const gw = Math.max(5, ...s.terms.map((t) => t.label.length));
  lines.push(`  ${"group".padEnd(gw)}  ${"levels".padStart(6)}  columns`);
  for (const t of s.terms)
    lines.push(`  ${t.label.padEnd(gw)}  ${String(t.levels).padStart(6)}  ${t.names.join(", ")}`);
  const total = s.terms.reduce((a, t) => a + t.levels * t.names.length, 0);
  lines.push(`  Z: ${s.nobs} × ${total}`);
  return `${lines.join("\n")}\n`;
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(10)));
}

export const modelCommand: Command = {
  name: "model",
  summary: "show what a formula makes of the data (design matrices), fitted to nothing",
  usage: `Usage: bayes-lmm model --data FILE.csv --formula "y ~ x + (x | g)" [--json]

Reads the data, builds the model the formula describes, and prints it: the rows used and
dropped (missing values), the fixed-effect columns of X with their sums (R's model.matrix), and
each random-effects term's grouping factor, number of levels and columns (lme4's).

Flags:
${DATA_SOURCE_USAGE}
  --json          print one JSON document: formula, response, nobs, dropped, fixed, X_colsums,
                  terms [{ group, label, levels, names }], aliased, warnings

Example:
  bayes-lmm model --data sleepstudy.csv --formula "Reaction ~ Days + (Days | Subject)"
`,
  options: {
    ...DATA_SOURCE_OPTIONS,
    json: { type: "boolean" },
  },
  async run(flags, io) {
    dataSource(flags);
    // The design only: data a fit could not compute with are still shown (the fit commands refuse them).
    const model = await readModel(flags, io, false);
    const summary = modelSummary(model);
    io.stdout(flags["json"] === true ? `${JSON.stringify(summary, null, 2)}\n` : formatText(summary));
  },
};
