/**
 * `bayes-lmm predict --method posterior` (CLI.md): samples the posterior with the sampler's flags
 * (allowed only with this method) and summarizes posterior predictive draws per row, as brms's
 * `fitted` and `predict` do: `fit` is the posterior mean and `lower`/`upper` the central `--level`
 * interval of
 *   --interval none / confidence:  the linear predictor mu = X beta + Z b (brms's fitted)
 *   --interval prediction:         the prediction y_rep = mu + sigma e (brms's predict; seeded by --seed)
 * with `--re` choosing the terms and `--new-levels sample` drawing a new level's effects from
 * N(0, Psi) at every draw (brms's sample_new_levels = "gaussian").
 */
import { predictiveSummary } from "../../../diagnostics/predictive-summary";
import { ArgumentError } from "../../errors";
import { readDataFile } from "../../node/data-file";
import { type NewLevelsRule, predictionRows, type ReForm } from "../../predict/newdata";
import { posteriorLinpred, posteriorPredict } from "../../predict/posterior";
import { resolvePriors } from "../../priors/resolve";
import { type CommandIO, type FlagValues, optionalString } from "../command";
import { readModel } from "../inputs";
import { checkSamplingSize, gibbsOptions, sampleWithProgress, samplingFlags } from "../sampling";

/** The settings ./predict.ts reads for every method (its `PredictSettings`; declared here, not imported, so the two files form no cycle). */
interface PredictSettings {
  readonly re: ReForm;
  readonly newLevels: string;
  readonly interval: "none" | "confidence" | "prediction";
  readonly level: number;
}

/** What a method returns to the command (./predict.ts's `PredictResult`). */
interface PredictResult {
  readonly predictions: readonly {
    readonly row: number;
    readonly fit: number;
    readonly lower: number | null;
    readonly upper: number | null;
  }[];
  readonly re: readonly string[];
  readonly dropped: number;
}

const RULES: readonly NewLevelsRule[] = ["error", "population", "sample"];

/** The posterior's predictions (see the file comment). */
export async function posteriorPredictions(
  flags: FlagValues,
  settings: PredictSettings,
  io: CommandIO,
): Promise<PredictResult> {
  const rule = settings.newLevels as NewLevelsRule;
  if (!RULES.includes(rule))
    throw new ArgumentError("--new-levels", "must be error, population or sample", settings.newLevels);
  if (flags["ml"] === true)
    throw new ArgumentError(
      "--ml",
      "is a REML-method flag: the posterior has no ML variant (drop --ml)",
      true,
    );
  const sampling = samplingFlags(flags);
  const model = await readModel(flags, io);
  const newdataPath = optionalString(flags, "newdata");
  const newdata = newdataPath === undefined ? undefined : await readDataFile(newdataPath);
  if (newdata !== undefined) for (const w of newdata.warnings) io.warn(w);
  resolvePriors(model, sampling.priors);
  const keepB = settings.re !== "none";
  checkSamplingSize(model, sampling, keepB ? "draws" : "auto");
  const options = {
    ...(newdata === undefined ? {} : { newdata }),
    re: settings.re,
    newLevels: rule,
    seed: sampling.seed,
  };
  // --re and the new data (columns, levels) are checked before the sampling starts: bad input is
  // exit 2 at once.
  predictionRows(model, newdata, { re: settings.re, newLevels: rule });
  io.startWork();
  const posterior = await sampleWithProgress(
    model,
    { ...gibbsOptions(sampling), randomEffects: keepB ? "draws" : "auto" },
    io,
  );
  const draws =
    settings.interval === "prediction"
      ? posteriorPredict(posterior, options)
      : posteriorLinpred(posterior, options);
  const s = predictiveSummary(draws, settings.level);
  const predictions = Array.from(s.estimate, (fit, i) => ({
    row: s.rows[i]! + 1,
    fit,
    lower: settings.interval === "none" ? null : s.lower[i]!,
    upper: settings.interval === "none" ? null : s.upper[i]!,
  }));
  return { predictions, re: draws.re, dropped: draws.dropped };
}
