/**
 * sigma2 | beta, b: InvGamma(shape + n/2, scale + RSS/2), with the residual sum of squares
 *     RSS = || ytilde - X delta - sum_k Z_k b_k ||^2_W
 * (W = I, or the precision weights of the residual model "weights": residual.ts)
 * left by the location draw (./drawLocation reads it off the factor it drew from: no pass over the
 * rows, in either strategy). ytilde is the residual of a least-squares fit, so the cross-products
 * behind it are on the residuals' scale and lose no digits to a response far from 0.
 */
import { LmmError } from "../src/errors";
import { gammaInto } from "../src/random/gamma";
import type { Random } from "../src/random/generator";
import type { ChainState, GibbsStep, SamplerModel, StepSpec } from "./types";

/**
 * The residual sum of squares at the state's current beta and b (as the last location draw left it).
 *
 * @param _model - the compiled model
 * @param state - the chain state
 * @returns RSS >= 0
 */
export function residualSumOfSquares(_model: SamplerModel, state: ChainState): number {
  return state.rss;
}

/**
 * Draws sigma2 from its full conditional, in place in `state`.
 *
 * @param gammas - scratch for one gamma draw
 * @throws LmmError (NUMERICAL) if the draw is not a positive finite number
 */
export function drawSigma2(model: SamplerModel, state: ChainState, rng: Random, gammas: Float64Array): void {
  const rss = residualSumOfSquares(model, state);
  gammaInto(rng, model.sigma2Shape + model.n / 2, gammas, 0);
  const value = (model.sigma2Scale + rss / 2) / gammas[0]!;
  if (!(value > 0) || !Number.isFinite(value))
    throw new LmmError("NUMERICAL", `the sampler drew a non-finite residual variance (RSS = ${rss}).`);
  state.sigma2 = value;
}

/** The Gibbs step of sigma2 (records `sigma2`). */
export function sigma2Step(_model: SamplerModel, spec: Extract<StepSpec, { kind: "sigma2" }>): GibbsStep {
  const gammas = new Float64Array(1);
  return {
    name: "sigma2",
    spec,
    parameters: [
      {
        section: "residual",
        order: 0,
        names: ["sigma2"],
        write(state, out, stride, t, row) {
          out[row * stride + t] = state.sigma2;
        },
      },
    ],
    draw(m, state, rng) {
      drawSigma2(m, state, rng, gammas);
    },
  };
}
