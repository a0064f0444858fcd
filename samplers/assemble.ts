/**
 * Posterior assembly: the chains' outputs (each parameter-major within its chain) copied into one
 * `Posterior` in the Draws layout (parameter, then chain, then iteration).
 */
import type { Posterior, RandomEffectsSummary } from "../src/draws/posterior";
import type { LmmModel } from "../src/model/types";
import type { Priors } from "../src/priors/types";
import type { ChainResult, ChainSettings } from "./chain";
import type { ParameterLayout } from "./layout";
import type { SamplerModel } from "./types";

/**
 * Builds the Posterior from finished chains (in chain order).
 *
 * @param model - the model
 * @param compiled - its compiled form
 * @param layout - the parameter layout
 * @param priors - the resolved priors
 * @param settings - the chain settings
 * @param results - one result per chain, in chain order
 * @param seconds - sampling wall time
 */
export function assemblePosterior(
  model: LmmModel,
  compiled: SamplerModel,
  layout: ParameterLayout,
  priors: Priors,
  settings: ChainSettings,
  results: readonly ChainResult[],
  seconds: number,
): Posterior {
  const chains = results.length;
  const keepB = settings.randomEffects === "draws";
  const parameters = keepB ? [...layout.core, ...layout.randomEffects] : [...layout.core];
  const { iter } = settings;
  const values = new Float64Array(parameters.length * chains * iter);
  const nWarm = results[0]?.warmupKept ?? 0;
  const nCore = layout.core.length;
  const warmValues = new Float64Array(nCore * chains * nWarm);
  results.forEach((r, c) => {
    for (let k = 0; k < parameters.length; k++)
      values.set(r.kept.subarray(k * iter, (k + 1) * iter), (k * chains + c) * iter);
    for (let k = 0; k < nCore; k++)
      warmValues.set(r.warmup.subarray(k * nWarm, (k + 1) * nWarm), (k * chains + c) * nWarm);
  });
  let summary: RandomEffectsSummary | null = null;
  if (!keepB) {
    // Pool the chains' running means and M2 (Chan, Golub & LeVeque's parallel update).
    const nB = layout.randomEffects.length;
    const mean = new Float64Array(nB);
    const sd = new Float64Array(nB);
    for (let k = 0; k < nB; k++) {
      let count = 0;
      let mu = 0;
      let m2 = 0;
      for (const r of results) {
        const mb = r.randomEffectsMean[k]!;
        const nb = iter;
        const delta = mb - mu;
        const total = count + nb;
        mu += (delta * nb) / total;
        m2 += r.randomEffectsM2[k]! + (delta * delta * count * nb) / total;
        count = total;
      }
      mean[k] = mu;
      sd[k] = count > 1 ? Math.sqrt(m2 / (count - 1)) : Number.NaN;
    }
    summary = { names: layout.randomEffects, mean, sd };
  }
  return {
    parameters,
    chains,
    iterations: iter,
    values,
    formula: model.formula,
    response: model.response,
    nobs: model.n,
    fixedNames: model.fixedNames,
    factors: compiled.factors.map((f) => ({
      group: f.group,
      names: f.names,
      levels: f.levels,
      blocks: Array.from(f.blockStarts, (start, k) => ({ start, size: f.blockSizes[k]! })),
    })),
    settings: {
      iter,
      warmup: settings.warmup,
      thin: settings.thin,
      chains,
      seed: settings.seed,
      strategy: compiled.strategy,
    },
    warmupDraws: { parameters: layout.core, chains, iterations: nWarm, values: warmValues },
    randomEffects: settings.randomEffects,
    randomEffectsSummary: summary,
    priors,
    seconds,
    model,
  };
}
