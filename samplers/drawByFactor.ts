/**
 * The by-factor location step (large crossed or nested designs): one large factor's random effects
 * jointly with the small factors' effects and delta = beta - beta0, given the other large factors —
 * the location draw of ./drawLocation on the working response e = ytilde - sum_{given l} Z_l b_l.
 * Updating each factor jointly with the fixed effects is the collapsed Gibbs sampler of
 * Papaspiliopoulos, Roberts & Zanella (2020), whose mixing does not degrade as crossed designs grow;
 * carrying the small factors (e.g. InstEval's 28 dept:service levels, within which lecturers are
 * nested) in every block keeps nested effects from sticking.
 *
 * e's cross-products come from the compiled ones without a pass over the rows:
 *     Z_k'e = Z_k'ytilde - sum_l (Z_k'Z_l) b_l,   X'e = X'ytilde - sum_l (X'Z_l) b_l,
 *     e'e  = ytilde'ytilde - 2 sum_l b_l'Z_l'ytilde + sum_{l, l'} b_l'(Z_l'Z_l') b_l',
 * so a step costs the couplings' entries (at most one per row, fewer where rows share a cell) plus
 * the block's factorization — nothing per row for a design given as cell sums.
 *
 * Reference: Papaspiliopoulos, Roberts & Zanella (2020) Scalable inference for crossed random effects
 * models, Biometrika 107(1):25-40, doi:10.1093/biomet/asz058.
 */
import { pairOf, type ResponseProducts } from "../src/blocked/crossproducts";
import { potrf } from "../src/linalg/potrf";
import type { Random } from "../src/random/generator";
import { mvnormCovariance } from "../src/random/multivariateNormal";
import { betaParameters, drawLocation, type LocationScratch, locationScratch } from "./drawLocation";
import type { ChainState, GibbsStep, SamplerModel, StepSpec } from "./types";

/** A by-factor block's scratch: the location draw's, the response given the other factors, a product. */
export interface ByFactorScratch {
  readonly location: LocationScratch;
  /** The block's response cross-products given the other factors. */
  readonly response: { readonly zy: Float64Array[]; readonly xy: Float64Array; yy: number };
  /** One factor's m q values (products of couplings between given factors). */
  readonly product: Float64Array;
}

/** Allocates a by-factor block's scratch. */
export function byFactorScratch(model: SamplerModel, blockIndex: number): ByFactorScratch {
  const block = model.blocks[blockIndex]!;
  return {
    location: locationScratch(model, blockIndex),
    response: {
      zy: Array.from(block.factors, (k) => new Float64Array(model.factors[k]!.m * model.factors[k]!.q)),
      xy: new Float64Array(model.p),
      yy: 0,
    },
    product: new Float64Array(Math.max(...model.factors.map((f) => f.m * f.q))),
  };
}

/**
 * Starting values of the by-factor strategy: every factor's b from N(0, Psi) (b_j = L z with
 * Psi = L L'), in factor order, so that the first block is drawn given the others' plausible values.
 */
function drawEffectsFromPrior(model: SamplerModel, state: ChainState, rng: Random): void {
  const qMax = Math.max(...model.factors.map((f) => f.q));
  const L = new Float64Array(qMax * qMax);
  model.factors.forEach((f, k) => {
    const q = f.q;
    L.set(state.psi[k]!.subarray(0, q * q));
    potrf(q, L, q, 1, 0); // Psi was inverted when set, so it is positive definite
    const b = state.b[k]!;
    for (let lev = 0; lev < f.m; lev++) mvnormCovariance(rng, q, null, 1, 0, L, q, 1, 0, b, 1, lev * q);
  });
}

/** The by-factor step of one block: its factors and delta given the other large factors. */
export function byFactorStep(
  model: SamplerModel,
  spec: Extract<StepSpec, { kind: "by-factor" }>,
  conditional: ((m: SamplerModel, state: ChainState) => SamplerModel) | null = null,
): GibbsStep {
  const scratch = byFactorScratch(model, spec.block);
  const blockIndex = spec.block;
  const block = model.blocks[blockIndex]!;
  const given = Array.from(block.given, (k) => model.factors[k]!.group);
  const step: GibbsStep = {
    name: given.length === 0 ? "location" : `location | given ${given.join(", ")}`,
    spec,
    parameters: blockIndex === 0 ? [betaParameters(model)] : [],
    draw:
      conditional === null
        ? (m, state, rng) => {
            drawByFactor(m, blockIndex, state, scratch, rng);
          }
        : (m, state, rng) => {
            drawByFactor(conditional(m, state), blockIndex, state, scratch, rng);
          },
  };
  return spec.startFromPrior
    ? { ...step, initialize: (_m, state, rng) => drawEffectsFromPrior(model, state, rng) }
    : step;
}

/** y += P b (P: pair entries by level of the row block, q_r × q_c each; swapped: P stored as (c, r)). */
function coupledProduct(
  ptr: Int32Array,
  idx: Int32Array,
  val: Float64Array,
  swapped: boolean,
  qRow: number,
  qCol: number,
  b: Float64Array,
  out: Float64Array,
  sign: number,
): void {
  const levels = ptr.length - 1;
  if (qRow === 1 && qCol === 1) {
    if (!swapped)
      for (let i = 0; i < levels; i++) {
        let s = 0;
        for (let e = ptr[i]!; e < ptr[i + 1]!; e++) s += val[e]! * b[idx[e]!]!;
        out[i]! += sign * s;
      }
    else
      for (let i = 0; i < levels; i++) {
        const bi = sign * b[i]!;
        for (let e = ptr[i]!; e < ptr[i + 1]!; e++) out[idx[e]!]! += val[e]! * bi;
      }
    return;
  }
  // Stored blocks are (first block's q) × (second block's q).
  for (let i = 0; i < levels; i++)
    for (let e = ptr[i]!; e < ptr[i + 1]!; e++) {
      const l = idx[e]!;
      if (!swapped) {
        for (let r = 0; r < qRow; r++) {
          let s = 0;
          for (let c = 0; c < qCol; c++) s += val[e * qRow * qCol + r * qCol + c]! * b[l * qCol + c]!;
          out[i * qRow + r]! += sign * s;
        }
      } else {
        // stored (qCol × qRow) for (level i of the column block, level l of the row block)
        for (let r = 0; r < qRow; r++) {
          let s = 0;
          for (let c = 0; c < qCol; c++) s += val[e * qRow * qCol + c * qRow + r]! * b[i * qCol + c]!;
          out[l * qRow + r]! += sign * s;
        }
      }
    }
}

/**
 * The block's response cross-products given the other large factors' current b (into `out`).
 *
 * @param model - the compiled model
 * @param blockIndex - the location block
 * @param state - the chain state (its b of the given factors)
 * @param out - response products of the block (its arrays overwritten)
 * @param product - scratch of the largest factor's m q values
 */
export function givenResponse(
  model: SamplerModel,
  blockIndex: number,
  state: ChainState,
  out: { zy: Float64Array[]; xy: Float64Array; yy: number },
  product: Float64Array,
): void {
  const block = model.blocks[blockIndex]!;
  const cp = model.crossProducts;
  const { p } = model;
  out.xy.set(cp.xy);
  let yy = cp.yy;
  for (let i = 0; i < block.factors.length; i++) out.zy[i]!.set(cp.zy[block.factors[i]!]!);
  for (let g = 0; g < block.given.length; g++) {
    const o = block.given[g]!;
    const fo = model.factors[o]!;
    const bo = state.b[o]!;
    const qo = fo.q;
    for (let i = 0; i < block.factors.length; i++) {
      const k = block.factors[i]!;
      const { pair, swapped } = pairOf(cp, k, o);
      coupledProduct(pair.ptr, pair.idx, pair.val, swapped, model.factors[k]!.q, qo, bo, out.zy[i]!, -1);
    }
    // X'Z_o b_o, b_o'Z_o'ytilde, b_o'Z_o'Z_o b_o.
    const zx = cp.zx[o]!;
    const zy = cp.zy[o]!;
    const zz = cp.zz[o]!;
    for (let l = 0; l < fo.m; l++)
      for (let a = 0; a < qo; a++) {
        const ba = bo[l * qo + a]!;
        if (ba === 0) continue;
        for (let t = 0; t < p; t++) out.xy[t]! -= zx[(l * qo + a) * p + t]! * ba;
        yy -= 2 * ba * zy[l * qo + a]!;
        let v = 0;
        for (let c = 0; c < qo; c++) v += zz[l * qo * qo + a * qo + c]! * bo[l * qo + c]!;
        yy += ba * v;
      }
    // Cross terms with the later given factors: 2 b_o'(Z_o'Z_o') b_o'.
    for (let h = g + 1; h < block.given.length; h++) {
      const o2 = block.given[h]!;
      const { pair, swapped } = pairOf(cp, o, o2);
      const tmp = product.subarray(0, fo.m * qo);
      tmp.fill(0);
      coupledProduct(pair.ptr, pair.idx, pair.val, swapped, qo, model.factors[o2]!.q, state.b[o2]!, tmp, 1);
      for (let t = 0; t < tmp.length; t++) yy += 2 * bo[t]! * tmp[t]!;
    }
  }
  out.yy = yy;
}

/**
 * Draws a by-factor block (lead factor, small factors, delta) given the other large factors.
 *
 * @param model - the compiled model (by-factor strategy)
 * @param blockIndex - the location block
 * @param state - the chain state
 * @param scratch - the block's `byFactorScratch`
 * @param rng - the chain's generator
 */
export function drawByFactor(
  model: SamplerModel,
  blockIndex: number,
  state: ChainState,
  scratch: ByFactorScratch,
  rng: Random,
): void {
  givenResponse(model, blockIndex, state, scratch.response, scratch.product);
  drawLocation(model, blockIndex, state, scratch.location, rng, scratch.response as ResponseProducts);
}
