/**
 * `bayes-lmm sample`: the Gibbs sampler from the command line (CLI.md).
 *
 *     bayes-lmm sample --data FILE.csv --formula "..." [--priors priors.json] [--iter 5000] [--warmup 1000]
 *                      [--chains 4] [--thin 1] [--seed N] [--draws draws.csv] [--inference-data F.nc]
 *                      [--log-lik ll.csv [--by UNIT] [--form FORM]]
 *                      [--ranef] [--compare] [--quiet] [--json]
 *
 * JSON keys: `chains`, `iter`, `warmup`, `thin`, `seed`, `seconds` (sampling wall time), `parameters`
 * [{ name, mean, sd, q2.5, q50, q97.5, rhat, ess_bulk, ess_tail, mcse_mean }] for beta, sigma2 and Psi
 * (b too with --ranef), and also `formula`, `nobs`, `strategy`, `priors` (every hyperparameter used,
 * in the priors.json form) and `warnings` (convergence warnings); with `--compare`, `comparison`
 * (the posterior beside the REML fit, `compare()`'s rows). A progress line (elapsed time, rate, ETA)
 * goes to standard error when it is a terminal, unless `--quiet`. Every check of the input — flags,
 * priors, the output path, the size of the draws — comes before the first iteration.
 */
import { compare, formatComparison } from "../../../diagnostics/compare";
import { inferenceData } from "../../../diagnostics/inference-data";
import { summarizePosterior } from "../../../diagnostics/posterior-summary";
import { logLikMatrix } from "../../loglik/pointwise";
import { writeDrawsCsv } from "../../node/draws-file";
import { writeInferenceData } from "../../node/inference-data-file";
import { describePriors } from "../../priors/describe";
import { priorsToJson, resolvePriors } from "../../priors/resolve";
import { type Command, optionalString, plural, requiredString } from "../command";
import { RESIDUAL_OPTIONS, RESIDUAL_USAGE, readModel } from "../inputs";
import { checkOutputFile } from "../output";
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
  --data FILE       CSV file with a header row, or Parquet or Arrow IPC
  --formula TEXT    lme4 model formula
${RESIDUAL_USAGE}
${SAMPLING_USAGE}
  --draws FILE      write every draw as CSV (R posterior's draws_df layout)
  --log-lik FILE    write the pointwise log-likelihood (for loo) as a draws CSV: log_lik[1], ...
${UNIT_USAGE}
  --inference-data FILE.nc
                    write ArviZ's InferenceData as netCDF4 (arviz.from_netcdf reads it)
  --ranef           include the random effects b[GROUP][LEVEL,NAME] in the summary
  --compare         also fit by REML and print the posterior beside the REML estimates
  --json            print one JSON document: chains, iter, warmup, thin, seed, seconds, parameters
                    [{ name, mean, sd, q2.5, q50, q97.5, rhat, ess_bulk, ess_tail, mcse_mean }], ...
${QUIET_USAGE}

Example:
  bayes-lmm sample --data sleepstudy.csv --formula "Reaction ~ Days + (Days | Subject)" \\
    --iter 2000 --chains 4 --seed 7 --draws draws.csv --compare
`,
  options: {
    data: { type: "string" },
    formula: { type: "string" },
    ...RESIDUAL_OPTIONS,
    ...SAMPLING_OPTIONS,
    draws: { type: "string" },
    "log-lik": { type: "string" },
    ...UNIT_OPTIONS,
    "inference-data": { type: "string" },
    ranef: { type: "boolean" },
    compare: { type: "boolean" },
    json: { type: "boolean" },
    ...QUIET_OPTION,
  },
  async run(flags, io) {
    requiredString(flags, "data");
    requiredString(flags, "formula");
    const sampling = samplingFlags(flags);
    const { iter, warmup, chains, thin, seed } = sampling;
    const drawsPath = optionalString(flags, "draws");
    if (drawsPath !== undefined) checkOutputFile(drawsPath, "draws file");
    const logLikPath = optionalString(flags, "log-lik");
    if (logLikPath !== undefined) checkOutputFile(logLikPath, "log-likelihood file");
    const idataPath = optionalString(flags, "inference-data");
    if (idataPath !== undefined) checkOutputFile(idataPath, "InferenceData file");
    const model = await readModel(flags, io);
    const unit = unitFlags(flags);
    const keepB = logLikPath !== undefined && unitNeedsRandomEffects(model, unit);
    resolvePriors(model, sampling.priors); // a bad prior is bad input: say so before any work
    checkSamplingSize(model, sampling, keepB ? "draws" : "auto");
    const fit = flags["compare"] === true ? fitWithProgress(model, "REML", io) : undefined;
    io.startWork();
    const posterior = await sampleWithProgress(
      model,
      { ...gibbsOptions(sampling), ...(keepB ? { randomEffects: "draws" as const } : {}) },
      io,
    );
    if (drawsPath !== undefined) writeDrawsCsv(posterior, drawsPath);
    if (logLikPath !== undefined) writeDrawsCsv(logLikMatrix(model, posterior, unit), logLikPath);
    if (idataPath !== undefined) await writeInferenceData(inferenceData(posterior), idataPath);
    const { rows, warnings } = summarizePosterior(posterior, { randomEffects: flags["ranef"] === true });
    const comparison = fit === undefined ? undefined : compare(posterior, fit);
    for (const w of warnings) io.warn(w.message);
    if (flags["json"] === true) {
      const doc = {
        chains,
        iter,
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
      `${model.formula}: ${plural(model.n, "row")}, ${plural(chains, "chain")} × ${plural(iter, "draw")} (warmup ${warmup}, thin ${thin}, seed ${seed}), ${posterior.seconds.toFixed(2)} s`,
      ...describePriors(posterior.priors).map((line) => `  ${line}`),
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
