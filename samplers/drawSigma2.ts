/**
 * sigma2 | beta, b: InvGamma(shape + n/2, scale + RSS/2), with the residual sum of squares
 *     RSS = || ytilde - X delta - sum_k Z_k b_k ||^2.
 * Joint strategy: from the cross-products computed once (no pass over the rows),
 *     RSS = ytilde'ytilde - 2 theta'W'ytilde + theta'W'W theta,   theta = (b_lead, rest),
 * with W'W's blocks D_j (lead levels), C_j (lead × rest) and G (rest × rest). ytilde is the residual
 * of a least-squares fit, so these terms are on the residuals' scale and lose no digits to a response
 * far from 0. By-factor strategy: the maintained residual vector.
 */
import { LmmError } from "../src/errors";
import { gammaInto } from "../src/random/gamma";
import type { Random } from "../src/random/generator";
import type { ChainState } from "./state";
import type { LocationBlock, SamplerModel } from "./types";

/** Gathers a block's rest vector (its rest factors' b, then delta) from the state into state.rest. */
function gatherRest(block: LocationBlock, state: ChainState): Float64Array {
  const theta = state.rest;
  for (let r = 0; r < block.restFactors.length; r++)
    theta.set(state.b[block.restFactors[r]!]!, block.restOffsets[r]!);
  theta.set(state.delta, block.betaOffset);
  return theta;
}

/**
 * The residual sum of squares at the state's current beta and b.
 *
 * @param model - the compiled model
 * @param state - the chain state
 * @returns RSS >= 0 (rounding below 0 is clamped to 0)
 */
export function residualSumOfSquares(model: SamplerModel, state: ChainState): number {
  if (model.strategy === "by-factor") {
    const r = state.residual;
    let rss = 0;
    for (let i = 0; i < model.n; i++) rss += r[i]! * r[i]!;
    return rss;
  }
  const block = model.blocks[0]!;
  const { q, m, D, ptr, idx, C, G } = block;
  const b = state.b[block.lead]!;
  const theta = gatherRest(block, state);
  const d = block.dRest;
  let rss = model.yy;
  for (let a = 0; a < d; a++) {
    const ta = theta[a]!;
    rss -= 2 * ta * model.g[a]!;
    let v = 0;
    const row = a * d;
    for (let c = 0; c < d; c++) v += G[row + c]! * theta[c]!;
    rss += ta * v;
  }
  const u = model.u;
  for (let j = 0; j < m; j++) {
    const bo = j * q;
    const lo = j * q * q;
    for (let a = 0; a < q; a++) {
      const ba = b[bo + a]!;
      rss -= 2 * ba * u[bo + a]!;
      let v = 0;
      for (let c = 0; c < q; c++) v += D[lo + a * q + c]! * b[bo + c]!;
      rss += ba * v;
    }
    let cross = 0;
    for (let t = ptr[j]!; t < ptr[j + 1]!; t++) {
      const th = theta[idx[t]!]!;
      const co = t * q;
      for (let a = 0; a < q; a++) cross += b[bo + a]! * C[co + a]! * th;
    }
    rss += 2 * cross;
  }
  return Math.max(rss, 0);
}

/**
 * Draws sigma2 from its full conditional, in place in `state`.
 *
 * @throws LmmError (NUMERICAL) if the draw is not a positive finite number
 */
export function drawSigma2(model: SamplerModel, state: ChainState, rng: Random): void {
  const rss = residualSumOfSquares(model, state);
  gammaInto(rng, model.sigma2Shape + model.n / 2, state.gammas, 0);
  const value = (model.sigma2Scale + rss / 2) / state.gammas[0]!;
  if (!(value > 0) || !Number.isFinite(value))
    throw new LmmError("NUMERICAL", `the sampler drew a non-finite residual variance (RSS = ${rss}).`);
  state.sigma2 = value;
}
