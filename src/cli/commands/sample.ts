/**
 * `bayes-lmm sample`: the Gibbs sampler from the command line (CLI.md).
 *
 *     bayes-lmm sample --data FILE.csv --formula "..." [--priors priors.json] [--iter 5000] [--warmup 1000]
 *                      [--chains 4] [--thin 1] [--seed N] [--draws draws.csv]
 *                      [--inference-data F.nc [--posterior-predictive]]
 *                      [--log-lik ll.csv [--by UNIT] [--form FORM]]
 *                      [--ranef] [--compare] [--quiet] [--json]
 *
 * JSON keys: `chains`, `iter`, `warmup`, `thin`, `seed`, `seconds` (sampling wall time), `parameters`
 * [{ name, mean, sd, q2.5, q50, q97.5, rhat, ess_bulk, ess_tail, mcse_mean }] for beta, sigma2 and Psi
 * (b too with --ranef; `phi` after sigma2 with `--ar1`), and also `formula`, `nobs`, `strategy`, `priors` (every hyperparameter used,
 * in the priors.json form) and `warnings` (convergence warnings); with `--compare`, `comparison`
 * (the posterior beside the REML fit, `compare()`'s rows). A progress line (elapsed time, rate, ETA)
 * goes to standard error when it is a terminal, unless `--quiet`. Every check of the input — flags,
 * priors, the output path, the size of the draws — comes before the first iteration.
 */

import { resolve } from "node:path";
import { compare, formatComparison } from "../../../diagnostics/compare";
import { inferenceData } from "../../../diagnostics/inference-data";
import { summarizePosterior } from "../../../diagnostics/posterior-summary";
import type { SamplerCheckpoint } from "../../../samplers/checkpoint";
import type { Posterior, SamplingTarget } from "../../draws/posterior";
import { ArgumentError, DataError } from "../../errors";
import { logLikMatrix } from "../../loglik/pointwise";
import { requireRows } from "../../model/stats";
import { writeDrawsCsv } from "../../node/draws-file";
import { writeInferenceData } from "../../node/inference-data-file";
import { posteriorPredict } from "../../predict/posterior";
import { describePriors } from "../../priors/describe";
import { priorsToJson, resolvePriors } from "../../priors/resolve";
import { type Command, type FlagValues, optionalString, plural } from "../command";
import {
  DATA_SOURCE_OPTIONS,
  DATA_SOURCE_USAGE,
  dataSource,
  RESIDUAL_OPTIONS,
  RESIDUAL_USAGE,
  readModel,
} from "../inputs";
import { checkOutputFile } from "../output";
import {
  CONTROL_OPTIONS,
  CONTROL_USAGE,
  checkSamplingSize,
  controlFlags,
  gibbsOptions,
  QUIET_OPTION,
  QUIET_USAGE,
  RESUME_FLAGS,
  readCheckpointFile,
  SAMPLING_OPTIONS,
  SAMPLING_USAGE,
  sampleUnderControl,
  samplingFlags,
} from "../sampling";
import { fitWithProgress } from "./fit";
import { UNIT_OPTIONS, UNIT_USAGE, unitFlags, unitNeedsRandomEffects } from "./loo";

function formatValue(x: number): string {
  if (!Number.isFinite(x)) return "NA";
  const a = Math.abs(x);
  return a !== 0 && (a >= 1e6 || a < 1e-3) ? x.toExponential(3) : x.toPrecision(5);
}

export const sampleCommand: Command = {
  name: "sample",
  summary: "sample the posterior by Gibbs sampling (conjugate priors)",
  usage: `Usage: bayes-lmm sample --data FILE.csv --formula "y ~ x + (x | g)" [flags]

Samples the posterior of the linear mixed model by a conjugate Gibbs sampler and prints the posterior
summary with convergence diagnostics (R-hat, bulk/tail ESS, MCSE).

Flags:
${DATA_SOURCE_USAGE}
${RESIDUAL_USAGE}
${SAMPLING_USAGE}
  --draws FILE      write every draw as CSV (R posterior's draws_df layout)
  --log-lik FILE    write the pointwise log-likelihood (for loo) as a draws CSV: log_lik[1], ...
${UNIT_USAGE}
  --inference-data FILE.nc
                    write ArviZ's InferenceData as netCDF4 (arviz.from_netcdf reads it)
  --posterior-predictive
                    with --inference-data: add the posterior_predictive group, one replicated
                    data set per draw (y_rep = X beta + Z b + sigma e, seeded by --seed)
  --ranef           include the random effects b[GROUP][LEVEL,NAME] in the summary
  --compare         also fit by REML and print the posterior beside the REML estimates
  --json            print one JSON document: chains, iter, warmup, thin, seed, seconds, parameters
                    [{ name, mean, sd, q2.5, q50, q97.5, rhat, ess_bulk, ess_tail, mcse_mean }], ...
${CONTROL_USAGE}
${QUIET_USAGE}

Example:
  bayes-lmm sample --data sleepstudy.csv --formula "Reaction ~ Days + (Days | Subject)" \\
    --iter 2000 --chains 4 --seed 7 --draws draws.csv --compare
  bayes-lmm sample --data sleepstudy.csv --formula "Reaction ~ Days + (Days | Subject)" \
    --iter 1000 --until-rhat 1.01 --until-ess 400 --max-seconds 600 --checkpoint run.ckpt
  bayes-lmm sample --resume run.ckpt
`,
  options: {
    ...DATA_SOURCE_OPTIONS,
    ...RESIDUAL_OPTIONS,
    ...SAMPLING_OPTIONS,
    draws: { type: "string" },
    "log-lik": { type: "string" },
    ...UNIT_OPTIONS,
    "inference-data": { type: "string" },
    "posterior-predictive": { type: "boolean" },
    ranef: { type: "boolean" },
    compare: { type: "boolean" },
    json: { type: "boolean" },
    ...CONTROL_OPTIONS,
    ...QUIET_OPTION,
  },
  async run(given, io) {
    const { flags, resume } = resumedFlags(given);
    dataSource(flags);
    const sampling = samplingFlags(flags);
    const { iter, warmup, chains, thin, seed } = sampling;
    const drawsPath = optionalString(flags, "draws");
    if (drawsPath !== undefined) checkOutputFile(drawsPath, "draws file");
    const logLikPath = optionalString(flags, "log-lik");
    if (logLikPath !== undefined) checkOutputFile(logLikPath, "log-likelihood file");
    const idataPath = optionalString(flags, "inference-data");
    if (idataPath !== undefined) checkOutputFile(idataPath, "InferenceData file");
    const predictive = flags["posterior-predictive"] === true;
    if (predictive && idataPath === undefined)
      throw new ArgumentError(
        "--posterior-predictive",
        "adds a group to the InferenceData file: give --inference-data FILE.nc too",
        true,
      );
    const model = await readModel(flags, io);
    // A model from sufficient statistics (--stats, --duckdb, --postgres) has no rows for these.
    if (logLikPath !== undefined) requireRows(model, "--log-lik (the pointwise log-likelihood)");
    if (idataPath !== undefined) requireRows(model, "--inference-data (its observed data)");
    // Refused before sampling, not after: the rows of an AR(1) chain are not independent.
    if (logLikPath !== undefined && model.ar1 != null)
      throw new ArgumentError(
        "--log-lik",
        "needs conditionally independent rows: with --ar1 the pointwise log-likelihood (loo) is not implemented",
        logLikPath,
      );
    const unit = unitFlags(flags);
    // Replicated data need every draw's random effects, as the log-likelihood of rows does.
    const keepB =
      (logLikPath !== undefined && unitNeedsRandomEffects(model, unit)) ||
      (predictive && model.terms.length > 0);
    const control = controlFlags(flags, iter);
    if (control.checkpoint !== undefined) checkOutputFile(control.checkpoint, "checkpoint file");
    resolvePriors(model, sampling.priors); // a bad prior is bad input: say so before any work
    checkSamplingSize(model, sampling, keepB ? "draws" : "auto", control.until);
    const fit = flags["compare"] === true ? fitWithProgress(model, "REML", io) : undefined;
    io.startWork();
    const posterior = await sampleUnderControl(
      model,
      { ...gibbsOptions(sampling), ...(keepB ? { randomEffects: "draws" as const } : {}) },
      io,
      control,
      resume,
      { flags: storedFlags(flags) },
      (partial) => keptLine(partial, drawsPath, chains),
      flags["quiet"] === true,
    );
    if (drawsPath !== undefined) writeDrawsCsv(posterior, drawsPath);
    if (logLikPath !== undefined) writeDrawsCsv(logLikMatrix(model, posterior, unit), logLikPath);
    if (idataPath !== undefined)
      await writeInferenceData(
        inferenceData(
          posterior,
          predictive ? { posteriorPredictive: posteriorPredict(posterior, { seed }) } : {},
        ),
        idataPath,
      );
    const { rows, warnings } = summarizePosterior(posterior, { randomEffects: flags["ranef"] === true });
    const comparison = fit === undefined ? undefined : compare(posterior, fit);
    for (const w of warnings) io.warn(w.message);
    if (flags["json"] === true) {
      const doc = {
        chains,
        iter: posterior.iterations,
        warmup,
        thin,
        seed,
        seconds: posterior.seconds,
        parameters: rows,
        formula: model.formula,
        nobs: model.n,
        strategy: posterior.settings.strategy,
        priors: priorsToJson(posterior.priors),
        warnings: warnings.map((w) => w.message),
        ...(posterior.target === undefined
          ? {}
          : { target_met: posterior.target.met, target: targetJson(posterior.target) }),
        ...(comparison === undefined ? {} : { comparison }),
      };
      io.stdout(
        `${JSON.stringify(doc, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`,
      );
      return;
    }
    const width = Math.max(9, ...rows.map((r) => r.name.length));
    const cols = ["mean", "sd", "q2.5", "q50", "q97.5", "rhat", "ess_bulk", "ess_tail", "mcse_mean"] as const;
    const lines = [
      `${model.formula}: ${plural(model.n, "row")}, ${plural(chains, "chain")} × ${plural(posterior.iterations, "draw")} (warmup ${warmup}, thin ${thin}, seed ${seed}), ${posterior.seconds.toFixed(2)} s`,
      ...describePriors(posterior.priors).map((line) => `  ${line}`),
      ...(posterior.target === undefined ? [] : [targetLine(posterior.target)]),
      "",
      `${"parameter".padEnd(width)}  ${cols.map((c) => c.padStart(10)).join(" ")}`,
      ...rows.map(
        (r) =>
          `${r.name.padEnd(width)}  ${cols
            .map((c) =>
              (c.startsWith("ess") && Number.isFinite(r[c])
                ? String(Math.round(r[c]))
                : formatValue(r[c])
              ).padStart(10),
            )
            .join(" ")}`,
      ),
    ];
    if (comparison !== undefined) lines.push("", formatComparison(comparison).trimEnd());
    io.stdout(`${lines.join("\n")}\n`);
  },
};

/** Flags whose values are paths: kept absolute in a checkpoint, so that --resume works from any folder. */
const PATH_FLAGS = ["data", "stats", "priors", "draws", "log-lik", "inference-data", "checkpoint"];

/** The flags a checkpoint keeps (all but --resume), paths made absolute. */
function storedFlags(flags: FlagValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flags)) {
    if (value === undefined || key === "resume") continue;
    out[key] = PATH_FLAGS.includes(key) && typeof value === "string" ? resolve(value) : value;
  }
  return out;
}

/**
 * The flags of this run: the command line's, or with --resume the checkpoint's (and the few that may
 * be given again: RESUME_FLAGS), and the checkpoint to continue.
 */
function resumedFlags(given: FlagValues): { flags: FlagValues; resume: SamplerCheckpoint | undefined } {
  const path = optionalString(given, "resume");
  if (path === undefined) return { flags: given, resume: undefined };
  for (const [key, value] of Object.entries(given))
    if (value !== undefined && !RESUME_FLAGS.includes(key))
      throw new ArgumentError(
        `--${key}`,
        `is read from the checkpoint with --resume; give only --resume FILE (and ${RESUME_FLAGS.filter(
          (f) => f !== "resume",
        )
          .map((f) => `--${f}`)
          .join(", ")})`,
        value,
      ).withoutValue();
  const { checkpoint, extra } = readCheckpointFile(path);
  const stored = (extra as { flags?: unknown } | undefined)?.flags;
  if (
    typeof stored !== "object" ||
    stored === null ||
    !Object.values(stored).every((v) => typeof v === "string" || typeof v === "boolean" || Array.isArray(v))
  )
    throw new DataError(
      "FILE",
      `cannot read checkpoint file \`${path}\`: it holds no \`sample\` flags (it was not written by \`bayes-lmm sample --checkpoint\`).`,
    );
  const flags: Record<string, string | boolean | readonly string[] | undefined> = {
    ...(stored as Record<string, string | boolean>),
  };
  for (const key of RESUME_FLAGS) if (key !== "resume" && given[key] !== undefined) flags[key] = given[key];
  return { flags, resume: checkpoint };
}

/** What an interrupted run kept, in words (and the draws file written). */
function keptLine(partial: Posterior | null, drawsPath: string | undefined, chains: number): string {
  if (partial === null) return "no draws kept yet (still in warmup)";
  const what = `${plural(chains, "chain")} × ${plural(partial.iterations, "draw")}`;
  if (drawsPath === undefined) return `${what} kept, not written (no --draws file was asked for)`;
  writeDrawsCsv(partial, drawsPath);
  return `${what} (complete iterations only) written to \`${drawsPath}\``;
}

function targetJson(t: SamplingTarget): Record<string, unknown> {
  return {
    met: t.met,
    reason: t.reason,
    rhat: t.rhat,
    ess_bulk: t.essBulk,
    ess_tail: t.essTail,
    random_effects: t.randomEffects,
    checks: t.checks,
    worst:
      t.worst === null
        ? null
        : {
            draws: t.worst.draws,
            rhat: { parameter: t.worst.rhat.parameter, value: t.worst.rhat.value },
            ess_bulk: { parameter: t.worst.essBulk.parameter, value: t.worst.essBulk.value },
            ess_tail: { parameter: t.worst.essTail.parameter, value: t.worst.essTail.value },
          },
  };
}

/** "target: met (R-hat <= 1.01, bulk and tail ESS >= 400) after 3 checks" or why not. */
function targetLine(t: SamplingTarget): string {
  const goal = `R-hat <= ${t.rhat}, bulk ESS >= ${t.essBulk}, tail ESS >= ${t.essTail}${t.randomEffects ? ", random effects included" : ""}`;
  const why = {
    met: "met",
    "max-iter": "NOT met (--max-iter reached)",
    "max-seconds": "NOT met (--max-seconds reached)",
    stopped: "NOT met (stopped)",
  }[t.reason];
  const worst =
    t.worst === null
      ? ""
      : `; at the last check (${t.worst.draws.toLocaleString("en-US")} draws per chain) max R-hat ${formatValue(t.worst.rhat.value)} (${t.worst.rhat.parameter}), min bulk ESS ${Math.round(t.worst.essBulk.value)} (${t.worst.essBulk.parameter}), min tail ESS ${Math.round(t.worst.essTail.value)} (${t.worst.essTail.parameter})`;
  return `target: ${why} (${goal}) after ${plural(t.checks, "check")}${worst}`;
}
