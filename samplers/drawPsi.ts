/**
 * Psi_k | b_k: each diagonal block of a factor's covariance from its inverse-Wishart full conditional
 *     Psi_block | b ~ InvWishart(df + m, scale_block + sum_j b_j,block b_j,block'),
 * (a 1 × 1 block: InvGamma((df + m)/2, (scale + sum_j b_j^2)/2)). The draw is src/random's
 * `inverseWishartWithInverse` (Bartlett's decomposition) from the Cholesky factor of
 * B = scale + sum b b' (src/linalg's `potrf`); it gives Psi and its inverse (which the location draw
 * uses) without inverting Psi.
 *
 * References: Bartlett (1933) On the theory of statistical regression, Proc. R. Soc. Edinb. 53:260-283;
 * Gelman et al. (2013) Bayesian Data Analysis, 3rd ed., §A.1 (parametrization).
 */

import { psiName } from "../src/draws/names";
import { LmmError } from "../src/errors";
import { potrf } from "../src/linalg/potrf";
import { gammaInto } from "../src/random/gamma";
import type { Random } from "../src/random/generator";
import { inverseWishartWithInverse } from "../src/random/wishart";
import type { ChainState, GibbsStep, ParameterGroup, SamplerModel, StepSpec } from "./types";

/** A Psi draw's scratch: one gamma, B's Cholesky factor (q × q), the inverse-Wishart workspace (2 q²). */
export interface PsiScratch {
  readonly gammas: Float64Array;
  readonly matA: Float64Array;
  readonly wishartWork: Float64Array;
}

/** Allocates the scratch of factor `k`'s Psi draw. */
export function psiScratch(model: SamplerModel, k: number): PsiScratch {
  const q = model.factors[k]!.q;
  return {
    gammas: new Float64Array(1),
    matA: new Float64Array(q * q),
    wishartWork: new Float64Array(2 * q * q),
  };
}

/**
 * The (i, j) of each recorded entry of factor `k`'s Psi (i <= j within each diagonal block, row by
 * row), flattened [i0, j0, i1, j1, ...].
 */
export function psiEntries(model: SamplerModel, k: number): Int32Array {
  const f = model.factors[k]!;
  const pairs: number[] = [];
  for (let blk = 0; blk < f.blockStarts.length; blk++) {
    const st = f.blockStarts[blk]!;
    const sz = f.blockSizes[blk]!;
    for (let i = st; i < st + sz; i++) for (let j = i; j < st + sz; j++) pairs.push(i, j);
  }
  return Int32Array.from(pairs);
}

/** Factor `k`'s recorded Psi entries: Psi[GROUP][NAME_i,NAME_j]. */
function psiParameters(model: SamplerModel, k: number): ParameterGroup {
  const f = model.factors[k]!;
  const q = f.q;
  const pairs = psiEntries(model, k);
  const names: string[] = [];
  for (let e = 0; e < pairs.length; e += 2)
    names.push(psiName(f.group, f.names[pairs[e]!]!, f.names[pairs[e + 1]!]!));
  return {
    section: "covariance",
    order: k,
    names,
    write(state, out, stride, t, row) {
      const psi = state.psi[k]!;
      for (let e = 0; e < pairs.length; e += 2)
        out[(row + e / 2) * stride + t] = psi[pairs[e]! * q + pairs[e + 1]!]!;
    },
  };
}

/** The Gibbs step of factor `spec.factor`'s Psi. */
export function psiStep(model: SamplerModel, spec: Extract<StepSpec, { kind: "psi" }>): GibbsStep {
  const k = spec.factor;
  const scratch = psiScratch(model, k);
  return {
    name: `Psi[${model.factors[k]!.group}]`,
    spec,
    parameters: [psiParameters(model, k)],
    draw(m, state, rng) {
      drawPsi(m, k, state, scratch, rng);
    },
  };
}

/**
 * Draws Psi (and its inverse) of factor `k` given its random effects, in place in `state`.
 *
 * @param model - the compiled model
 * @param k - the factor
 * @param state - the chain state
 * @param scratch - `psiScratch(model, k)`
 * @param rng - the chain's generator
 * @throws LmmError (NUMERICAL) if the posterior scale is not positive definite (non-finite draws)
 */
export function drawPsi(
  model: SamplerModel,
  k: number,
  state: ChainState,
  scratch: PsiScratch,
  rng: Random,
): void {
  const f = model.factors[k]!;
  const q = f.q;
  const b = state.b[k]!;
  const psi = state.psi[k]!;
  const prec = state.precision[k]!;
  const Cm = scratch.matA; // Cholesky of B
  const df = f.df + f.m;
  for (let blk = 0; blk < f.blockStarts.length; blk++) {
    const st = f.blockStarts[blk]!;
    const sz = f.blockSizes[blk]!;
    if (sz === 1) {
      let ss = f.scale[st * q + st]!;
      for (let j = 0; j < f.m; j++) {
        const v = b[j * q + st]!;
        ss += v * v;
      }
      gammaInto(rng, df / 2, scratch.gammas, 0);
      const value = ss / (2 * scratch.gammas[0]!);
      if (!(value > 0) || !Number.isFinite(value)) throw nonFinite(f.group);
      psi[st * q + st] = value;
      prec[st * q + st] = 1 / value;
      continue;
    }
    // B = scale + sum_j b_j b_j' (lower triangle) into Cm, then its Cholesky factor C in place.
    if (sz === 2) {
      // One pass over the levels for the three entries (each summed in the same order).
      let v00 = f.scale[st * q + st]!;
      let v10 = f.scale[(st + 1) * q + st]!;
      let v11 = f.scale[(st + 1) * q + st + 1]!;
      for (let j = 0; j < f.m; j++) {
        const b0 = b[j * q + st]!;
        const b1 = b[j * q + st + 1]!;
        v00 += b0 * b0;
        v10 += b1 * b0;
        v11 += b1 * b1;
      }
      Cm[0] = v00;
      Cm[2] = v10;
      Cm[3] = v11;
    } else
      for (let r = 0; r < sz; r++)
        for (let c = 0; c <= r; c++) {
          let v = f.scale[(st + r) * q + st + c]!;
          for (let j = 0; j < f.m; j++) v += b[j * q + st + r]! * b[j * q + st + c]!;
          Cm[r * sz + c] = v;
        }
    if (potrf(sz, Cm, sz, 1, 0) !== 0) throw nonFinite(f.group);
    // Psi_block ~ InvWishart(df, B) and its inverse, from B's Cholesky factor.
    inverseWishartWithInverse(
      rng,
      sz,
      df,
      Cm,
      sz,
      1,
      0,
      psi,
      q,
      1,
      st * q + st,
      prec,
      q,
      1,
      st * q + st,
      scratch.wishartWork,
      0,
    );
    if (!Number.isFinite(psi[st * q + st]!) || !Number.isFinite(prec[st * q + st]!)) throw nonFinite(f.group);
  }
}

function nonFinite(group: string): LmmError {
  return new LmmError(
    "NUMERICAL",
    `the sampler drew a non-finite or singular Psi for \`${group}\`. The random effects may be on an extreme scale: rescale the data or use a proper prior.`,
  );
}
