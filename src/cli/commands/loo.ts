/**
 * `bayes-lmm loo`: model comparison from the command line (CLI.md).
 *
 *     bayes-lmm loo --data FILE.csv --formula "..." [--formula "..." ...] [--by rows|GROUP]
 *                   [--form conditional|marginal] [sample flags] [--marginal-likelihood] [--json]
 *
 * Samples each formula's posterior (the sampler's flags), then PSIS-LOO, WAIC and DIC of its
 * pointwise log-likelihood for the leave-out unit (src/loglik/unit.ts: rows, conditional; a grouping
 * factor, marginal — the default for grouped data), and with two or more formulas loo_compare's
 * elpd_diff and se_diff, best first. JSON keys (CLI.md): `models`: [{ formula, by, elpd_loo,
 * se_elpd_loo, p_loo, se_p_loo, looic, se_looic, elpd_waic, p_waic, waic, pareto_k, n_bad_k }] —
 * plus form, unit, points, se_elpd_waic, se_p_waic, se_waic, mcse_elpd_loo, pareto_k_table,
 * khat_threshold, dic, p_dic, warnings — and `comparison`: [{ formula, elpd_diff, se_diff }].
 * `--marginal-likelihood` adds Chib's log p(y | model) and its MCSE to each model and, with two or
 * more formulas, `bayes_factors` of each against the first.
 *
 * Also here: the flags that choose the unit, shared with `sample --log-lik FILE`.
 */

import { looCompare } from "../../../diagnostics/loo/compare";
import { dic } from "../../../diagnostics/loo/dic";
import { type LooResult, loo } from "../../../diagnostics/loo/loo";
import { type WaicResult, waic } from "../../../diagnostics/loo/waic";
import {
  bayesFactor,
  type MarginalLikelihood,
  marginalLikelihood,
} from "../../../samplers/marginalLikelihood";
import { ArgumentError } from "../../errors";
import { checkComputable } from "../../limits";
import { logLikAtMean, pointwiseLogLik } from "../../loglik/pointwise";
import { type LeaveOutOptions, type LeaveOutUnit, leaveOutUnit } from "../../loglik/unit";
import { lmm } from "../../model/lmm";
import type { LmmModel } from "../../model/types";
import { readDataFile } from "../../node/data-file";
import { resolvePriors } from "../../priors/resolve";
import { type Command, type FlagValues, optionalString, requiredString } from "../command";
import {
  checkSamplingSize,
  gibbsOptions,
  QUIET_OPTION,
  QUIET_USAGE,
  SAMPLING_OPTIONS,
  SAMPLING_USAGE,
  sampleWithProgress,
  samplingFlags,
} from "../sampling";

/** The flags choosing the leave-out unit (loo and `sample --log-lik`). */
export const UNIT_OPTIONS = {
  by: { type: "string" },
  form: { type: "string" },
} as const satisfies Command["options"];

/** Their help text. */
export const UNIT_USAGE = `  --by UNIT         leave-out unit: rows, or a grouping factor (GROUP as in the formula); default:
                    the factor every other is nested in, else the first (grouped data are left out
                    a group at a time)
  --form FORM       conditional (random effects as drawn) or marginal (the group's random effects
                    integrated out); default: conditional for rows, marginal for a group`;

/** The unit options read from the flags (checked against the model by `leaveOutUnit`). */
export function unitFlags(flags: FlagValues): LeaveOutOptions {
  const by = optionalString(flags, "by");
  const form = optionalString(flags, "form");
  if (form !== undefined && form !== "conditional" && form !== "marginal")
    throw new ArgumentError("--form", 'must be "conditional" or "marginal"', form);
  return { ...(by === undefined ? {} : { by }), ...(form === undefined ? {} : { form }) };
}

/**
 * Whether sampling must keep the random effects' draws for this unit (it conditions on some) —
 * checked before a long run so that a unit that cannot be computed fails first.
 */
export function unitNeedsRandomEffects(model: LmmModel, options: LeaveOutOptions): boolean {
  return leaveOutUnit(model, options).conditioned.length > 0;
}

function formulasOf(flags: FlagValues): string[] {
  const raw = flags["formula"] as unknown;
  const list = Array.isArray(raw) ? (raw as unknown[]) : raw === undefined ? [] : [raw];
  if (list.length === 0) requiredString(flags, "formula");
  return list.map((f) => {
    if (typeof f !== "string" || f.trim().length === 0)
      throw new ArgumentError("--formula", "must be a model formula", f);
    return f;
  });
}

function sameRows(a: LmmModel, b: LmmModel): boolean {
  return a.n === b.n && a.response === b.response && a.rows.every((r, i) => r === b.rows[i]);
}

interface ModelResult {
  model: LmmModel;
  unit: LeaveOutUnit;
  loo: LooResult;
  waic: WaicResult;
  dic: ReturnType<typeof dic>;
  marginal: MarginalLikelihood | null;
  draws: number;
}

const finite = (x: number) => (Number.isFinite(x) ? x : null);

function modelJson(r: ModelResult): Record<string, unknown> {
  const l = r.loo;
  const w = r.waic;
  return {
    formula: r.model.formula,
    by: r.unit.by,
    elpd_loo: l.elpd_loo,
    se_elpd_loo: l.se_elpd_loo,
    p_loo: l.p_loo,
    se_p_loo: l.se_p_loo,
    looic: l.looic,
    se_looic: l.se_looic,
    elpd_waic: w.elpd_waic,
    p_waic: w.p_waic,
    waic: w.waic,
    pareto_k: Array.from(l.diagnostics.pareto_k), // k = Inf (too short or constant tail) is null, as NA elsewhere
    n_bad_k: l.n_bad_k,
    form: r.unit.form,
    unit: r.unit.description,
    points: r.unit.points,
    labels: r.unit.labels,
    draws: r.draws,
    se_elpd_waic: w.se_elpd_waic,
    se_p_waic: w.se_p_waic,
    se_waic: w.se_waic,
    mcse_elpd_loo: finite(l.mcse_elpd_loo),
    pareto_k_table: l.paretoKTable.map((row) => ({
      range: row.range,
      label: row.label,
      count: row.count,
      min_n_eff: finite(row.minNEff),
    })),
    khat_threshold: l.khatThreshold,
    dic: r.dic.dic,
    p_dic: r.dic.p_dic,
    warnings: [...l.warnings, ...w.warnings],
    ...(r.marginal === null
      ? {}
      : {
          log_marginal_likelihood: r.marginal.logMarginalLikelihood,
          mcse_log_marginal_likelihood: r.marginal.mcse,
        }),
  };
}

const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : "NA");

function modelText(r: ModelResult): string {
  const l = r.loo;
  const w = r.waic;
  const row = (name: string, e: number, se: number) =>
    `  ${name.padEnd(10)} ${fmt(e).padStart(10)} ${fmt(se).padStart(8)}`;
  const counts = l.paretoKTable.map((t) => `${t.count} ${t.label} ${t.range}`).join(", ");
  const lines = [
    `${r.model.formula}: ${r.unit.description}; ${r.unit.points} points, ${r.draws} draws`,
    `  ${"".padEnd(10)} ${"Estimate".padStart(10)} ${"SE".padStart(8)}`,
    row("elpd_loo", l.elpd_loo, l.se_elpd_loo),
    row("p_loo", l.p_loo, l.se_p_loo),
    row("looic", l.looic, l.se_looic),
    row("elpd_waic", w.elpd_waic, w.se_elpd_waic),
    row("p_waic", w.p_waic, w.se_p_waic),
    row("waic", w.waic, w.se_waic),
    `  DIC ${fmt(r.dic.dic)} (p_D ${fmt(r.dic.p_dic)}); MCSE of elpd_loo ${fmt(l.mcse_elpd_loo, 2)}`,
    `  Pareto k: ${counts}; ${l.n_bad_k} above 0.7 (the ${r.draws}-draw threshold min(1 - 1/log10 S, 0.7) is ${l.khatThreshold.toFixed(2)})`,
  ];
  if (r.marginal !== null)
    lines.push(
      `  log marginal likelihood ${fmt(r.marginal.logMarginalLikelihood, 3)} (MCSE ${fmt(r.marginal.mcse, 3)})`,
    );
  return lines.join("\n");
}

export const looCommand: Command = {
  name: "loo",
  summary: "compare models by PSIS-LOO, WAIC and DIC (leave-one-group-out by default)",
  usage: `Usage: bayes-lmm loo --data FILE.csv --formula "y ~ x + (1 | g)" [--formula "..." ...] [flags]

Samples each model's posterior, then estimates its expected log predictive density by Pareto-smoothed
importance sampling leave-one-out cross-validation (the R package loo's definitions), with WAIC and DIC;
with several formulas, compares them (elpd_diff and its SE, best first). Grouped data are left out a
group at a time with that group's random effects integrated out: leaving out a row while keeping its
group's effect makes the Pareto k's explode.

Flags:
  --data FILE       CSV file with a header row, or Parquet or Arrow IPC
  --formula TEXT    lme4 model formula; repeat for each model to compare (same data rows)
${UNIT_USAGE}
${SAMPLING_USAGE}
  --marginal-likelihood  also estimate log p(y | model) (Chib 1995, a reduced run per model) and
                    Bayes factors against the first formula
  --json            print one JSON document: models [{ formula, by, elpd_loo, se_elpd_loo, p_loo,
                    se_p_loo, looic, se_looic, elpd_waic, p_waic, waic, pareto_k, n_bad_k, ... }],
                    comparison [{ formula, elpd_diff, se_diff }] (two or more formulas)
${QUIET_USAGE}

Example:
  bayes-lmm loo --data sleepstudy.csv --formula "Reaction ~ Days + (1 | Subject)" \\
    --formula "Reaction ~ Days + (Days | Subject)" --iter 2000
`,
  options: {
    data: { type: "string" },
    formula: { type: "string", multiple: true },
    ...UNIT_OPTIONS,
    ...SAMPLING_OPTIONS,
    "marginal-likelihood": { type: "boolean" },
    json: { type: "boolean" },
    ...QUIET_OPTION,
  },
  async run(flags, io) {
    const dataPath = requiredString(flags, "data");
    const formulas = formulasOf(flags);
    if (new Set(formulas).size !== formulas.length)
      throw new ArgumentError("--formula", "must not repeat a formula", formulas.join(" | "));
    const sampling = samplingFlags(flags);
    const unitOptions = unitFlags(flags);
    const withMarginal = flags["marginal-likelihood"] === true;
    const data = await readDataFile(dataPath);
    const models = formulas.map((f) => lmm(f, data));
    for (const m of models) for (const w of m.warnings) io.warn(`${m.formula}: ${w}`);
    models.forEach((m, k) => {
      if (k > 0 && !sameRows(models[0]!, m))
        throw new ArgumentError(
          "--formula",
          `must all use the same rows of the data to be compared: \`${m.formula}\` uses ${m.n} rows of \`${m.response}\`, \`${models[0]!.formula}\` ${models[0]!.n} of \`${models[0]!.response}\` (drop the rows with missing values first)`,
          m.formula,
        );
    });
    // Resolve every model's unit before sampling, so a bad --by fails at once.
    const units = models.map((m) => leaveOutUnit(m, unitOptions));
    if (models.length > 1) {
      const first = units[0]!;
      units.forEach((u, k) => {
        if (u.by !== first.by || u.form !== first.form || u.points !== first.points)
          throw new ArgumentError(
            "--by",
            `must give every model the same leave-out unit to compare them (\`${models[k]!.formula}\` leaves out ${u.by}, ${u.form}; \`${models[0]!.formula}\` ${first.by}, ${first.form}): pass --by`,
            unitOptions.by ?? "default",
          );
      });
    }
    // Every check before the work (the CLI's contract, src/cli/README.md): numbers, priors, sizes.
    for (const [k, m] of models.entries()) {
      checkComputable(m);
      resolvePriors(m, sampling.priors);
      checkSamplingSize(m, sampling, units[k]!.conditioned.length > 0 || withMarginal ? "draws" : "summary");
    }
    io.startWork();
    const results: ModelResult[] = [];
    for (const [k, model] of models.entries()) {
      const unit = units[k]!;
      const label = models.length > 1 ? `sampling ${k + 1} of ${models.length}` : "sampling";
      const posterior = await sampleWithProgress(
        model,
        {
          ...gibbsOptions(sampling),
          randomEffects: unit.conditioned.length > 0 || withMarginal ? "draws" : "summary",
        },
        io,
        label,
      );
      const options = { by: unit.by, form: unit.form };
      const ll = pointwiseLogLik(model, posterior, options);
      results.push({
        model,
        unit,
        loo: loo(ll),
        waic: waic(ll),
        dic: dic(ll, { logLikAtMean: logLikAtMean(model, posterior, options).total }),
        marginal: withMarginal ? marginalLikelihood(model, posterior) : null,
        draws: posterior.chains * posterior.iterations,
      });
    }
    for (const r of results)
      for (const w of [...r.loo.warnings, ...r.waic.warnings]) io.warn(`${r.model.formula}: ${w}`);
    const comparison =
      results.length > 1
        ? looCompare(Object.fromEntries(results.map((r) => [r.model.formula, r.loo]))).map((row) => ({
            formula: row.model,
            elpd_diff: row.elpd_diff,
            se_diff: row.se_diff,
          }))
        : undefined;
    const factors =
      withMarginal && results.length > 1
        ? results.slice(1).map((r) => {
            const bf = bayesFactor(results[0]!.marginal!, r.marginal!);
            return {
              formula: r.model.formula,
              against: bf.formulas[0],
              log_bayes_factor: -bf.logBayesFactor,
              mcse: bf.mcse,
            };
          })
        : undefined;
    if (flags["json"] === true) {
      const doc = {
        models: results.map(modelJson),
        ...(comparison === undefined ? {} : { comparison }),
        ...(factors === undefined ? {} : { bayes_factors: factors }),
      };
      io.stdout(
        `${JSON.stringify(doc, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`,
      );
      return;
    }
    const blocks = results.map(modelText);
    if (comparison !== undefined) {
      const width = Math.max(5, ...comparison.map((c) => c.formula.length));
      blocks.push(
        [
          `${"model".padEnd(width)}  ${"elpd_diff".padStart(10)} ${"se_diff".padStart(8)}`,
          ...comparison.map(
            (c) =>
              `${c.formula.padEnd(width)}  ${fmt(c.elpd_diff).padStart(10)} ${fmt(c.se_diff).padStart(8)}`,
          ),
        ].join("\n"),
      );
    }
    if (factors !== undefined)
      blocks.push(
        factors
          .map(
            (f) =>
              `log Bayes factor of \`${f.formula}\` against \`${f.against}\`: ${fmt(f.log_bayes_factor, 3)} (MCSE ${fmt(f.mcse, 3)})`,
          )
          .join("\n"),
      );
    io.stdout(`${blocks.join("\n\n")}\n`);
  },
};
