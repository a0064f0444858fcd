/**
 * InferenceData of a posterior with what diagnostics/ adds to the plain layout of
 * src/draws/inference-data.ts: `sample_stats.lp`, the log joint density of each draw (when the random
 * effects' draws were kept; ./log-density.ts).
 */
import {
  type InferenceData,
  type InferenceDataExtras,
  inferenceData as inferenceDataGroups,
} from "../src/draws/inference-data";
import type { Posterior } from "../src/draws/posterior";
import { checkOptionsArgument, checkPosteriorArgument } from "../src/validate";
import { logJointDensity } from "./log-density";

/**
 * ArviZ's InferenceData of a posterior: posterior, sample_stats (with `lp` when the random effects'
 * draws were kept), observed_data, and the groups passed in `extras` (log_likelihood,
 * posterior_predictive). Write it with `writeInferenceData` (bayes-lmm/node).
 *
 * @param posterior - the sampler's result
 * @param extras - groups other parts of the package provide
 * @returns the groups
 * @example inferenceData(post).groups.map((g) => g.name) // ["posterior", "sample_stats", "observed_data"]
 */
export function inferenceData(posterior: Posterior, extras: InferenceDataExtras = {}): InferenceData {
  checkPosteriorArgument(posterior);
  checkOptionsArgument(extras, "extras");
  const lp = posterior.randomEffects === "draws" ? { lp: logJointDensity(posterior) } : {};
  return inferenceDataGroups(posterior, { ...extras, sampleStats: { ...lp, ...extras.sampleStats } });
}
