/**
 * One Gibbs iteration: the model's steps in order (steps.ts) — the location parameters (beta, b)
 * given (Psi, the residual parameters), jointly or factor by factor jointly with beta (README.md says
 * which when), then each Psi_k given b_k, then the residual model's parameters given (beta, b).
 * Every draw is from an exact full conditional, so the sweep leaves the posterior invariant.
 */
import type { Random } from "../src/random/generator";
import type { ChainState } from "./state";
import { type GibbsStep, stepsFor } from "./steps";
import type { SamplerModel } from "./types";

/**
 * Advances the chain state by one iteration, in place; allocates nothing (after the model's steps
 * are made, on the first call).
 *
 * @param model - the compiled model
 * @param state - the chain state
 * @param rng - the chain's generator
 * @param steps - the model's steps (default: `stepsFor(model)`)
 */
export function sweep(
  model: SamplerModel,
  state: ChainState,
  rng: Random,
  steps: readonly GibbsStep[] = stepsFor(model),
): void {
  for (let s = 0; s < steps.length; s++) steps[s]!.draw(model, state, rng);
}
