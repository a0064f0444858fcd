/**
 * `bayes-lmm predict --data TRAIN.csv --formula "..." [--newdata NEW.csv] [--method reml|posterior]
 * [--ml] [--re all|none|TERM,...] [--new-levels error|population|sample]
 * [--interval none|confidence|prediction] [--level 0.95] [sample flags] [--out predictions.csv] [--json]`:
 * predictions of the REML (or ML) fit, lme4's `predict.merMod`, or summaries of posterior predictive
 * draws, brms's `fitted`/`predict` (./predict-posterior.ts; CLI.md). JSON keys: `method`, `re`, `new_levels`, `interval`, `level`,
 * `predictions`: [ { row (1-based row of the new data, or of the training data), fit, lower, upper } ]
 * (lower/upper null with `--interval none`), and `dropped` (new rows dropped for a missing predictor).
 * `--out` writes the predictions as CSV with a header (row,fit,lower,upper); without `--out` and
 * `--json` the CSV goes to standard output.
 *
 * Each method of `PREDICT_METHODS` reads its own flags and returns the rows; the sampler's flags are
 * refused with any method but `posterior`.
 */

import { ArgumentError } from "../../errors";
import { writeFileAtomic } from "../../node/atomic";
import { readDataFile } from "../../node/data-file";
import type { ReForm } from "../../predict/newdata";
import type { PredictInterval } from "../../predict/predict";
import { predict } from "../../predict/predict";
import { type Command, type CommandIO, type FlagValues, optionalString, requiredString } from "../command";
import { readModel } from "../inputs";
import { checkOutputFile } from "../output";
import { QUIET_OPTION, QUIET_USAGE, SAMPLING_OPTIONS, SAMPLING_USAGE } from "../sampling";
import { fitWithProgress } from "./fit";
import { posteriorPredictions } from "./predict-posterior";

/** One predicted row, as the JSON and the CSV give it. */
export interface PredictedRow {
  /** 1-based row of the data predicted for. */
  readonly row: number;
  readonly fit: number;
  readonly lower: number | null;
  readonly upper: number | null;
}

/** What a prediction method returns to the command. */
export interface PredictResult {
  readonly predictions: readonly PredictedRow[];
  /** The terms included (their labels). */
  readonly re: readonly string[];
  /** Rows of the new data dropped for a missing predictor. */
  readonly dropped: number;
}

/** The settings every method gets, read from the flags. */
export interface PredictSettings {
  readonly re: ReForm;
  readonly newLevels: string;
  readonly interval: PredictInterval;
  readonly level: number;
}

/** A prediction method: reads the data (and its own flags) and predicts. */
export type PredictMethod = (
  flags: FlagValues,
  settings: PredictSettings,
  io: CommandIO,
) => Promise<PredictResult>;

/** The REML (or, with --ml, ML) fit's predictions. */
async function remlPredictions(
  flags: FlagValues,
  settings: PredictSettings,
  io: CommandIO,
): Promise<PredictResult> {
  if (settings.newLevels !== "error" && settings.newLevels !== "population")
    throw new ArgumentError(
      "--new-levels",
      'must be "error" or "population" with --method reml ("sample" draws new levels\' effects from the posterior)',
      settings.newLevels,
    );
  const model = await readModel(flags, io);
  const newdataPath = optionalString(flags, "newdata");
  const newdata = newdataPath === undefined ? undefined : await readDataFile(newdataPath);
  if (newdata !== undefined) for (const w of newdata.warnings) io.warn(w);
  const fit = fitWithProgress(model, flags["ml"] === true ? "ML" : "REML", io);
  // New data are checked (levels, columns) before the work starts: bad input is exit 2.
  const p = predict(fit, {
    ...(newdata === undefined ? {} : { newdata }),
    re: settings.re,
    newLevels: settings.newLevels,
    interval: settings.interval,
    level: settings.level,
  });
  io.startWork();
  for (const w of fit.optimizer.warnings) io.warn(w);
  const predictions = Array.from(p.fit, (fitValue, i) => ({
    row: p.rows[i]! + 1,
    fit: fitValue,
    lower: p.lower === null ? null : p.lower[i]!,
    upper: p.upper === null ? null : p.upper[i]!,
  }));
  return { predictions, re: p.re, dropped: p.dropped };
}

/** The methods of `--method`, by name (the first is the default). */
export const PREDICT_METHODS: Readonly<Record<string, PredictMethod>> = {
  reml: remlPredictions,
  posterior: posteriorPredictions,
};

const INTERVALS: readonly PredictInterval[] = ["none", "confidence", "prediction"];

/** `--re all|none|TERM,TERM`. */
function reFlag(flags: FlagValues): ReForm {
  const raw = optionalString(flags, "re") ?? "all";
  if (raw === "all" || raw === "none") return raw;
  const names = raw.split(",").map((s) => s.trim());
  if (names.some((s) => s.length === 0))
    throw new ArgumentError("--re", 'must be "all", "none" or random-effects terms separated by commas', raw);
  return names;
}

/** `--level`: a number in (0, 1). */
function levelFlag(flags: FlagValues): number {
  const raw = optionalString(flags, "level");
  if (raw === undefined) return 0.95;
  const value = /^\s*[0-9.eE+-]+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value > 0 && value < 1)) throw new ArgumentError("--level", "must be a number between 0 and 1", raw);
  return value;
}

/** The predictions as CSV with a header. */
export function predictionsCsv(rows: readonly PredictedRow[]): string {
  const cell = (v: number | null): string => (v === null ? "NA" : String(v));
  return `row,fit,lower,upper\n${rows.map((r) => `${r.row},${cell(r.fit)},${cell(r.lower)},${cell(r.upper)}`).join("\n")}\n`;
}

export const predictCommand: Command = {
  name: "predict",
  summary: "predictions for the training rows or new rows (lme4's predict, brms's fitted/predict)",
  usage: `Usage: bayes-lmm predict --data TRAIN.csv --formula "y ~ x + (x | g)" [--newdata NEW.csv]
                         [--method reml|posterior] [--ml] [--re all|none|TERM,...]
                         [--new-levels error|population|sample] [--interval none|confidence|prediction]
                         [--level 0.95] [sample flags] [--out FILE.csv] [--json]

--method reml (default): fits the model by REML (or ML with --ml) and predicts, as lme4's predict()
does, for the training rows or the rows of --newdata: X beta + Z b with b the conditional modes of the
terms --re includes. Confidence and prediction intervals come from the conditional covariance of
(b, beta) given the variance components (normal quantiles); a prediction interval adds the residual
variance and the variance of every term left out.

--method posterior: samples the posterior (the sample flags below) and summarizes, per row, draws of
X beta + Z b (confidence, or no interval: brms's fitted) or of a new observation X beta + Z b + e
(prediction: brms's predict): fit is the posterior mean, lower and upper the central --level
credible interval.

Flags:
  --data FILE       training data: CSV with a header row, or Parquet or Arrow IPC
  --formula TEXT    lme4 model formula
  --newdata FILE    rows to predict for (same formats); the training rows when absent
  --method NAME     reml (default): the REML/ML fit's predictions; posterior: the posterior's
  --ml              fit by maximum likelihood instead of REML
  --re WHICH        random-effects terms included: all (default; lme4's re.form = NULL), none (NA),
                    or term labels / grouping factors separated by commas (Subject,plate)
  --new-levels HOW  a level of an included term not seen in training: error (default),
                    population (its effects are 0; lme4's allow.new.levels = TRUE) or, with
                    --method posterior, sample (its effects drawn from N(0, Psi) at every draw)
  --interval KIND   none (default), confidence (for the conditional mean) or prediction (for a new
                    observation)
  --level P         interval probability (default 0.95)
  --out FILE        write the predictions as CSV: row,fit,lower,upper (NA when there is no interval)
  --json            print one JSON document: method, re, new_levels, interval, level, dropped,
                    predictions [ { row, fit, lower, upper } ] (row: 1-based row of the data predicted)
${QUIET_USAGE}

Sample flags (only with --method posterior):
${SAMPLING_USAGE}

Without --out or --json the CSV goes to standard output.

Example:
  bayes-lmm predict --data sleepstudy.csv --formula "Reaction ~ Days + (Days | Subject)" \\
    --newdata new.csv --new-levels population --interval prediction --json
  bayes-lmm predict --data sleepstudy.csv --formula "Reaction ~ Days + (Days | Subject)" \\
    --newdata new.csv --method posterior --new-levels sample --interval prediction --iter 2000
`,
  options: {
    data: { type: "string" },
    formula: { type: "string" },
    newdata: { type: "string" },
    method: { type: "string" },
    ml: { type: "boolean" },
    re: { type: "string" },
    "new-levels": { type: "string" },
    interval: { type: "string" },
    level: { type: "string" },
    out: { type: "string" },
    json: { type: "boolean" },
    ...SAMPLING_OPTIONS,
    ...QUIET_OPTION,
  },
  async run(flags, io) {
    requiredString(flags, "data");
    requiredString(flags, "formula");
    const methodName = optionalString(flags, "method") ?? "reml";
    const method = PREDICT_METHODS[methodName];
    if (method === undefined)
      throw new ArgumentError(
        "--method",
        `must be ${Object.keys(PREDICT_METHODS)
          .map((m) => `\`${m}\``)
          .join(" or ")}`,
        methodName,
      );
    // The sampler's flags belong to the posterior method alone (CLI.md).
    if (methodName !== "posterior")
      for (const name of Object.keys(SAMPLING_OPTIONS))
        if (flags[name] !== undefined)
          throw new ArgumentError(
            `--${name}`,
            `is a sampler flag: it is allowed only with --method posterior (this is --method ${methodName})`,
            flags[name],
          );
    const interval = (optionalString(flags, "interval") ?? "none") as PredictInterval;
    if (!INTERVALS.includes(interval))
      throw new ArgumentError("--interval", "must be none, confidence or prediction", interval);
    const settings: PredictSettings = {
      re: reFlag(flags),
      newLevels: optionalString(flags, "new-levels") ?? "error",
      interval,
      level: levelFlag(flags),
    };
    const out = optionalString(flags, "out");
    if (out !== undefined) checkOutputFile(out, "predictions file");
    const result = await method(flags, settings, io);
    io.startWork();
    if (out !== undefined) writeFileAtomic(out, [predictionsCsv(result.predictions)], "predictions file");
    if (flags["json"] === true) {
      const doc = {
        method: methodName,
        re: settings.re === "all" || settings.re === "none" ? settings.re : result.re,
        new_levels: settings.newLevels,
        interval: settings.interval,
        level: settings.level,
        dropped: result.dropped,
        predictions: result.predictions,
      };
      io.stdout(
        `${JSON.stringify(doc, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2)}\n`,
      );
      return;
    }
    if (out === undefined) io.stdout(predictionsCsv(result.predictions));
  },
};
