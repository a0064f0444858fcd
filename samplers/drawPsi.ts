/**
 * Psi_k | b_k: each diagonal block of a factor's covariance from its inverse-Wishart full conditional
 *     Psi_block | b ~ InvWishart(df + m, scale_block + sum_j b_j,block b_j,block'),
 * (a 1 × 1 block: InvGamma((df + m)/2, (scale + sum_j b_j^2)/2)), drawn by Bartlett's decomposition:
 * with B = scale + sum b b' = C C' (lower Cholesky) and A lower triangular, A_ii^2 ~ chi^2(df + m - i)
 * (i = 0-based row), A_ij ~ N(0, 1) below the diagonal, A A' ~ Wishart(df + m, I), so
 *     Psi^-1 = C^-T A A' C^-1 ~ Wishart(df + m, B^-1),   Psi = (C A^-T)(C A^-T)'.
 * Both Psi and its inverse (which the location draw uses) come out of triangular solves.
 *
 * References: Bartlett (1933) On the theory of statistical regression, Proc. R. Soc. Edinb. 53:260-283;
 * Gelman et al. (2013) Bayesian Data Analysis, 3rd ed., §A.1 (parametrization).
 */
import { LmmError } from "../src/errors";
import { gammaInto } from "../src/random/gamma";
import type { Random } from "../src/random/generator";
import { fillNormal } from "../src/random/normal";
import type { ChainState } from "./state";
import type { SamplerModel } from "./types";

/**
 * Draws Psi (and its inverse) of factor `k` given its random effects, in place in `state`.
 *
 * @param model - the compiled model
 * @param k - the factor
 * @param state - the chain state
 * @param rng - the chain's generator
 * @throws LmmError (NUMERICAL) if the posterior scale is not positive definite (non-finite draws)
 */
export function drawPsi(model: SamplerModel, k: number, state: ChainState, rng: Random): void {
  const f = model.factors[k]!;
  const q = f.q;
  const b = state.b[k]!;
  const psi = state.psi[k]!;
  const prec = state.precision[k]!;
  const Cm = state.matA; // Cholesky of B
  const A = state.matB; // Bartlett factor
  const H = state.matC; // C A^-T, then C^-T A
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
      gammaInto(rng, df / 2, state.gammas, 0);
      const value = ss / (2 * state.gammas[0]!);
      if (!(value > 0) || !Number.isFinite(value)) throw nonFinite(f.group);
      psi[st * q + st] = value;
      prec[st * q + st] = 1 / value;
      continue;
    }
    // B = scale + sum_j b_j b_j' (lower triangle) into Cm, then its Cholesky in place.
    for (let r = 0; r < sz; r++)
      for (let c = 0; c <= r; c++) {
        let v = f.scale[(st + r) * q + st + c]!;
        for (let j = 0; j < f.m; j++) v += b[j * q + st + r]! * b[j * q + st + c]!;
        Cm[r * sz + c] = v;
      }
    for (let c = 0; c < sz; c++) {
      let dd = Cm[c * sz + c]!;
      for (let t = 0; t < c; t++) dd -= Cm[c * sz + t]! ** 2;
      if (!(dd > 0)) throw nonFinite(f.group);
      const lcc = Math.sqrt(dd);
      Cm[c * sz + c] = lcc;
      for (let r = c + 1; r < sz; r++) {
        let v = Cm[r * sz + c]!;
        for (let t = 0; t < c; t++) v -= Cm[r * sz + t]! * Cm[c * sz + t]!;
        Cm[r * sz + c] = v / lcc;
      }
    }
    // Bartlett factor A (lower).
    const z = state.normals;
    fillNormal(rng, (sz * (sz - 1)) / 2, z, 1, 0);
    for (let r = 0; r < sz; r++) gammaInto(rng, (df - r) / 2, state.gammas, r);
    let next = 0;
    for (let r = 0; r < sz; r++) {
      for (let c = 0; c < r; c++) A[r * sz + c] = z[next++]!;
      A[r * sz + r] = Math.sqrt(2 * state.gammas[r]!);
    }
    // Psi = H H' with H = C A^-T: row r of H solves A h = C[r, :]' (forward substitution).
    for (let r = 0; r < sz; r++) {
      for (let i = 0; i < sz; i++) {
        let v = i <= r ? Cm[r * sz + i]! : 0;
        for (let t = 0; t < i; t++) v -= A[i * sz + t]! * H[r * sz + t]!;
        H[r * sz + i] = v / A[i * sz + i]!;
      }
    }
    for (let r = 0; r < sz; r++)
      for (let c = 0; c <= r; c++) {
        let v = 0;
        for (let t = 0; t < sz; t++) v += H[r * sz + t]! * H[c * sz + t]!;
        psi[(st + r) * q + st + c] = v;
        psi[(st + c) * q + st + r] = v;
      }
    // Precision = K K' with K = C^-T A: column c of K solves C' k = A[:, c] (back substitution).
    for (let c = 0; c < sz; c++) {
      for (let i = sz - 1; i >= 0; i--) {
        let v = i >= c ? A[i * sz + c]! : 0;
        for (let t = i + 1; t < sz; t++) v -= Cm[t * sz + i]! * H[t * sz + c]!;
        H[i * sz + c] = v / Cm[i * sz + i]!;
      }
    }
    for (let r = 0; r < sz; r++)
      for (let c = 0; c <= r; c++) {
        let v = 0;
        for (let t = 0; t < sz; t++) v += H[r * sz + t]! * H[c * sz + t]!;
        prec[(st + r) * q + st + c] = v;
        prec[(st + c) * q + st + r] = v;
      }
    if (!Number.isFinite(psi[st * q + st]!) || !Number.isFinite(prec[st * q + st]!)) throw nonFinite(f.group);
  }
}

function nonFinite(group: string): LmmError {
  return new LmmError(
    "NUMERICAL",
    `the sampler drew a non-finite or singular Psi for \`${group}\`. The random effects may be on an extreme scale: rescale the data or use a proper prior.`,
  );
}
