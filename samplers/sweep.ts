/**
 * One Gibbs iteration: the location parameters (beta, b) given (Psi, sigma2) — jointly, or factor by
 * factor jointly with beta (README.md says which when) — then each Psi_k given b_k, then sigma2 given
 * (beta, b). Every draw is from an exact full conditional, so the sweep leaves the posterior invariant.
 */
import type { Random } from "../src/random/generator";
import { drawByFactor } from "./drawByFactor";
import { drawLocation } from "./drawLocation";
import { drawPsi } from "./drawPsi";
import { drawSigma2 } from "./drawSigma2";
import type { ChainState } from "./state";
import type { SamplerModel } from "./types";

/**
 * Advances the chain state by one iteration, in place; allocates nothing.
 *
 * @param model - the compiled model
 * @param state - the chain state
 * @param rng - the chain's generator
 */
export function sweep(model: SamplerModel, state: ChainState, rng: Random): void {
  if (model.strategy === "joint") drawLocation(model, 0, state, rng, model.blocks[0]!.crossProducts);
  else for (let k = 0; k < model.blocks.length; k++) drawByFactor(model, k, state, rng);
  for (let k = 0; k < model.factors.length; k++) drawPsi(model, k, state, rng);
  drawSigma2(model, state, rng);
}
