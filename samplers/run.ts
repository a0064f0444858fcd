/**
 * Preparing a run: options validated, priors resolved, the model compiled, starting values checked —
 * everything before the first iteration, shared by the serial and the parallel runners.
 */
import { checkComputable } from "../src/limits";
import type { LmmModel } from "../src/model/types";
import { resolvePriors } from "../src/priors/resolve";
import type { Priors } from "../src/priors/types";
import { Random } from "../src/random/generator";
import { checkModelArgument } from "../src/validate";
import type { ChainSettings } from "./chain";
import { compileModel } from "./compile";
import { type ParameterLayout, parameterLayout } from "./layout";
import { chainSettings, checkRunSize, coreParameterCount, type GibbsOptions, initFor } from "./options";
import { allocateState, initializeState } from "./state";
import type { InitialValues, SamplerModel } from "./types";
import type { Target } from "./until";

/** Everything a run needs, validated. */
export interface PreparedRun {
  readonly model: LmmModel;
  readonly priors: Priors;
  readonly compiled: SamplerModel;
  readonly layout: ParameterLayout;
  readonly settings: ChainSettings;
  readonly chains: number;
  readonly inits: readonly (InitialValues | undefined)[];
  /** The target of `options.until`, or null. */
  readonly target: Target | null;
  /** Iterations between progress reports. */
  readonly progressEvery: number;
}

/**
 * Validates options, resolves priors and compiles the model (no sampling yet).
 *
 * @param memoryBytes - the machine's memory, when known: a run whose draws would not fit is refused
 * @throws PriorError, ArgumentError on bad priors, options or starting values; ArgumentError for a
 *   run too large to hold; DataError for data double precision cannot fit (src/limits.ts)
 */
export function prepareRun(model: LmmModel, options: GibbsOptions = {}, memoryBytes?: number): PreparedRun {
  checkModelArgument(model);
  // Options first (cheap, and a mistake there should not wait for the model to compile), then the
  // data's numbers, then what the draws will take.
  const randomEffectCount = model.terms.reduce((sum, t) => sum + t.m * t.q, 0);
  const validated = chainSettings(options, randomEffectCount);
  checkComputable(model);
  const priors = resolvePriors(model, options.priors);
  checkRunSize(validated, coreParameterCount(model, priors.psi), randomEffectCount, memoryBytes);
  const compiled = compileModel(model, priors, options.strategy ?? "auto");
  const layout = parameterLayout(compiled);
  const { chains, target, ...settings } = validated;
  const inits = Array.from({ length: chains }, (_, c) => initFor(options, c, chains));
  // Validate starting values here, so a worker never meets a bad one.
  const scratch = allocateState(compiled);
  inits.forEach((init, c) => {
    if (init !== undefined) initializeState(compiled, scratch, Random.fromSeed(0), init, c);
  });
  const total = settings.warmup + settings.iter * settings.thin;
  return {
    model,
    priors,
    compiled,
    layout,
    settings,
    chains,
    inits,
    target,
    progressEvery: Math.max(1, Math.floor(total / 100)),
  };
}
