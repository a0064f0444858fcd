/**
 * The location draw: one grouping factor's random effects (the "lead") jointly with a dense "rest"
 * vector — delta = beta - beta0, and in the joint strategy every other factor's random effects — from
 * their Gaussian full conditional given Psi and sigma2.
 *
 * With W = [Z_lead, W_rest], the conditional precision and canonical mean are
 *     Q = W'W / sigma2 + blockdiag(I ⊗ Psi_lead^-1, I ⊗ Psi_k^-1 ..., Sigma_beta^-1),
 *     c = W'ytilde / sigma2 + (0, ..., Sigma_beta^-1 (mu - beta0)).
 * Q's lead block is block-diagonal over levels j, A_j = Z_j'Z_j / sigma2 + Psi^-1 = L_j L_j', so the
 * blocked Cholesky eliminates the levels one at a time:
 *     M_j = L_j^-1 C_j' / sigma2        (q × nnz_j; C_j = W_rest[rows of j]' Z_j)
 *     S   = Q_rest - sum_j M_j' M_j     (Schur complement; = L_r L_r')
 *     w_j = L_j^-1 c_j,   w_r = L_r^-1 (c_rest - sum_j M_j' w_j)
 * and a draw theta ~ N(Q^-1 c, Q^-1) is the back-substitution of L' theta = w + z, z ~ N(0, I):
 *     theta_rest = L_r^-T (w_r + z_r),   b_j = L_j^-T (w_j + z_j - M_j theta_rest[idx_j]).
 * With one factor and rest = delta this is Chib & Carlin's (1999) Algorithm 2: beta drawn with b
 * integrated out (S is the precision of beta's marginal conditional, X'V^-1X by Woodbury from the
 * per-group cross-products), then each b_j given beta.
 *
 * References: Chib & Carlin (1999) On MCMC sampling in hierarchical longitudinal models, Stat. Comput.
 * 9:17-26, doi:10.1023/A:1008853808677. Rue (2001) Fast sampling of Gaussian Markov random fields,
 * JRSS B 63(2):325-338, doi:10.1111/1467-9868.00288. Bates et al. (2015) lme4, JSS 67(1), §3
 * (the blocked Cholesky), doi:10.18637/jss.v067.i01.
 */
import { LmmError } from "../src/errors";
import type { Random } from "../src/random/generator";
import { fillNormal } from "../src/random/normal";
import type { ChainState } from "./state";
import type { LocationBlock, SamplerModel } from "./types";

function notPositiveDefinite(what: string, sigma2: number): LmmError {
  return new LmmError(
    "NUMERICAL",
    `the sampler's ${what} is not numerically positive definite (sigma2 = ${sigma2}). ` +
      "The data may be on an extreme scale or the prior nearly improper: rescale the response or use a proper prior.",
  );
}

/**
 * Draws (b_lead, rest) from their joint full conditional, in place in `state`.
 *
 * @param model - the compiled model
 * @param blockIndex - which location block (its lead factor)
 * @param state - the chain state (reads sigma2 and the precisions; writes b, delta)
 * @param rng - the chain's generator
 * @param u - Z_lead' times the working response, per lead level (m q)
 * @param g - W_rest' times the working response (the block's dRest)
 * @throws LmmError (NUMERICAL) if a precision is not numerically positive definite
 */
export function drawLocation(
  model: SamplerModel,
  blockIndex: number,
  state: ChainState,
  rng: Random,
  u: Float64Array,
  g: Float64Array,
): void {
  const block: LocationBlock = model.blocks[blockIndex]!;
  const { q, m, D, ptr, idx, C, G, restFactors, restOffsets } = block;
  const d = block.dRest;
  const s = 1 / state.sigma2;
  const S = state.schur;
  const cR = state.restRhs;

  // Rest precision (lower triangle) and right-hand side.
  for (let a = 0; a < d; a++) {
    const row = a * d;
    for (let b = 0; b <= a; b++) S[row + b] = s * G[row + b]!;
    cR[a] = s * g[a]!;
  }
  for (let r = 0; r < restFactors.length; r++) {
    const k = restFactors[r]!;
    const f = model.factors[k]!;
    const P = state.precision[k]!;
    const fq = f.q;
    for (let lev = 0; lev < f.m; lev++) {
      const base = restOffsets[r]! + lev * fq;
      for (let a = 0; a < fq; a++)
        for (let b = 0; b <= a; b++) S[(base + a) * d + base + b]! += P[a * fq + b]!;
    }
  }
  const p = model.p;
  const bo = block.betaOffset;
  for (let a = 0; a < p; a++) {
    for (let b = 0; b <= a; b++) S[(bo + a) * d + bo + b]! += model.betaPrecision[a * p + b]!;
    cR[bo + a]! += model.betaPrecisionMean[a]!;
  }

  // Eliminate the lead levels.
  const P = state.precision[block.lead]!;
  const Lall = state.leadChol[blockIndex]!;
  const M = state.coupling[blockIndex]!;
  const W = state.leadRhs[blockIndex]!;
  const qq = q * q;
  if (q === 1) eliminateQ1(m, s, D, P, u, C, ptr, idx, d, Lall, W, M, S, cR, state.sigma2);
  else if (q === 2) eliminateQ2(m, s, D, P, u, C, ptr, idx, d, Lall, W, M, S, cR, state.sigma2);
  else
    for (let j = 0; j < m; j++) {
      const lo = j * qq;
      // L_j = chol(s D_j + P), lower, in place.
      for (let c = 0; c < q; c++) {
        let dd = s * D[lo + c * q + c]! + P[c * q + c]!;
        for (let k = 0; k < c; k++) dd -= Lall[lo + c * q + k]! * Lall[lo + c * q + k]!;
        if (!(dd > 0)) throw notPositiveDefinite("random-effects precision", state.sigma2);
        const lcc = Math.sqrt(dd);
        Lall[lo + c * q + c] = lcc;
        for (let i = c + 1; i < q; i++) {
          let v = s * D[lo + i * q + c]! + P[i * q + c]!;
          for (let k = 0; k < c; k++) v -= Lall[lo + i * q + k]! * Lall[lo + c * q + k]!;
          Lall[lo + i * q + c] = v / lcc;
        }
      }
      // w_j = L_j^-1 (s u_j)
      const wo = j * q;
      for (let i = 0; i < q; i++) {
        let v = s * u[wo + i]!;
        for (let k = 0; k < i; k++) v -= Lall[lo + i * q + k]! * W[wo + k]!;
        W[wo + i] = v / Lall[lo + i * q + i]!;
      }
      // M rows: L_j^-1 (s C_t) for each coupled rest index t.
      const t0 = ptr[j]!;
      const t1 = ptr[j + 1]!;
      for (let t = t0; t < t1; t++) {
        const mo = t * q;
        for (let i = 0; i < q; i++) {
          let v = s * C[mo + i]!;
          for (let k = 0; k < i; k++) v -= Lall[lo + i * q + k]! * M[mo + k]!;
          M[mo + i] = v / Lall[lo + i * q + i]!;
        }
      }
      // Schur complement and right-hand side updates (idx ascending: idx[tb] <= idx[ta] for tb <= ta).
      for (let ta = t0; ta < t1; ta++) {
        const a = idx[ta]!;
        const ma = ta * q;
        let dw = 0;
        for (let i = 0; i < q; i++) dw += M[ma + i]! * W[wo + i]!;
        cR[a]! -= dw;
        const row = a * d;
        for (let tb = t0; tb <= ta; tb++) {
          const mb = tb * q;
          let dm = 0;
          for (let i = 0; i < q; i++) dm += M[ma + i]! * M[mb + i]!;
          S[row + idx[tb]!]! -= dm;
        }
      }
    }

  // Cholesky of the Schur complement, in place (lower).
  for (let c = 0; c < d; c++) {
    const rc = c * d;
    let dd = S[rc + c]!;
    for (let k = 0; k < c; k++) dd -= S[rc + k]! * S[rc + k]!;
    if (!(dd > 0)) throw notPositiveDefinite("fixed-effects precision", state.sigma2);
    const lcc = Math.sqrt(dd);
    S[rc + c] = lcc;
    const inv = 1 / lcc;
    for (let i = c + 1; i < d; i++) {
      const ri = i * d;
      let v = S[ri + c]!;
      for (let k = 0; k < c; k++) v -= S[ri + k]! * S[rc + k]!;
      S[ri + c] = v * inv;
    }
  }
  // w_r = L_r^-1 cR, then theta_r = L_r^-T (w_r + z).
  const theta = state.rest;
  for (let i = 0; i < d; i++) {
    const ri = i * d;
    let v = cR[i]!;
    for (let k = 0; k < i; k++) v -= S[ri + k]! * theta[k]!;
    theta[i] = v / S[ri + i]!;
  }
  const z = state.normals;
  fillNormal(rng, d + m * q, z, 1, 0);
  for (let i = 0; i < d; i++) theta[i]! += z[i]!;
  for (let i = d - 1; i >= 0; i--) {
    let v = theta[i]!;
    for (let k = i + 1; k < d; k++) v -= S[k * d + i]! * theta[k]!;
    theta[i] = v / S[i * d + i]!;
  }

  // Lead levels: b_j = L_j^-T (w_j + z_j - M_j theta[idx_j]).
  const bLead = state.b[block.lead]!;
  for (let j = 0; j < m; j++) {
    const wo = j * q;
    const lo = j * qq;
    for (let i = 0; i < q; i++) bLead[wo + i] = W[wo + i]! + z[d + wo + i]!;
    for (let t = ptr[j]!; t < ptr[j + 1]!; t++) {
      const th = theta[idx[t]!]!;
      const mo = t * q;
      for (let i = 0; i < q; i++) bLead[wo + i]! -= M[mo + i]! * th;
    }
    if (q === 1) bLead[wo] = bLead[wo]! / Lall[lo]!;
    else if (q === 2) {
      const b1 = bLead[wo + 1]! / Lall[lo + 3]!;
      bLead[wo + 1] = b1;
      bLead[wo] = (bLead[wo]! - Lall[lo + 2]! * b1) / Lall[lo]!;
    } else
      for (let i = q - 1; i >= 0; i--) {
        let v = bLead[wo + i]!;
        for (let k = i + 1; k < q; k++) v -= Lall[lo + k * q + i]! * bLead[wo + k]!;
        bLead[wo + i] = v / Lall[lo + i * q + i]!;
      }
  }

  // Scatter the rest vector.
  for (let r = 0; r < restFactors.length; r++) {
    const k = restFactors[r]!;
    const f = model.factors[k]!;
    state.b[k]!.set(theta.subarray(restOffsets[r]!, restOffsets[r]! + f.m * f.q));
  }
  for (let a = 0; a < p; a++) state.delta[a] = theta[bo + a]!;
}

/**
 * The lead levels' elimination for q = 1 (random intercepts): the generic loop of `drawLocation`
 * written out, no inner loops (the common case, and the hot one).
 */
function eliminateQ1(
  m: number,
  s: number,
  D: Float64Array,
  P: Float64Array,
  u: Float64Array,
  C: Float64Array,
  ptr: Int32Array,
  idx: Int32Array,
  d: number,
  L: Float64Array,
  W: Float64Array,
  M: Float64Array,
  S: Float64Array,
  cR: Float64Array,
  sigma2: number,
): void {
  const p0 = P[0]!;
  for (let j = 0; j < m; j++) {
    const a = s * D[j]! + p0;
    if (!(a > 0)) throw notPositiveDefinite("random-effects precision", sigma2);
    const l = Math.sqrt(a);
    const il = 1 / l;
    L[j] = l;
    const w = s * u[j]! * il;
    W[j] = w;
    const t0 = ptr[j]!;
    const t1 = ptr[j + 1]!;
    const si = s * il;
    for (let t = t0; t < t1; t++) M[t] = si * C[t]!;
    for (let ta = t0; ta < t1; ta++) {
      const ma = M[ta]!;
      const r = idx[ta]!;
      cR[r]! -= ma * w;
      const row = r * d;
      for (let tb = t0; tb <= ta; tb++) S[row + idx[tb]!]! -= ma * M[tb]!;
    }
  }
}

/** The lead levels' elimination for q = 2 (random intercept and slope), written out. */
function eliminateQ2(
  m: number,
  s: number,
  D: Float64Array,
  P: Float64Array,
  u: Float64Array,
  C: Float64Array,
  ptr: Int32Array,
  idx: Int32Array,
  d: number,
  L: Float64Array,
  W: Float64Array,
  M: Float64Array,
  S: Float64Array,
  cR: Float64Array,
  sigma2: number,
): void {
  const p00 = P[0]!;
  const p10 = P[2]!;
  const p11 = P[3]!;
  for (let j = 0; j < m; j++) {
    const lo = 4 * j;
    const a00 = s * D[lo]! + p00;
    if (!(a00 > 0)) throw notPositiveDefinite("random-effects precision", sigma2);
    const l00 = Math.sqrt(a00);
    const i00 = 1 / l00;
    const l10 = (s * D[lo + 2]! + p10) * i00;
    const d11 = s * D[lo + 3]! + p11 - l10 * l10;
    if (!(d11 > 0)) throw notPositiveDefinite("random-effects precision", sigma2);
    const l11 = Math.sqrt(d11);
    const i11 = 1 / l11;
    L[lo] = l00;
    L[lo + 2] = l10;
    L[lo + 3] = l11;
    const wo = 2 * j;
    const w0 = s * u[wo]! * i00;
    const w1 = (s * u[wo + 1]! - l10 * w0) * i11;
    W[wo] = w0;
    W[wo + 1] = w1;
    const t0 = ptr[j]!;
    const t1 = ptr[j + 1]!;
    for (let t = t0; t < t1; t++) {
      const m0 = s * C[2 * t]! * i00;
      M[2 * t] = m0;
      M[2 * t + 1] = (s * C[2 * t + 1]! - l10 * m0) * i11;
    }
    for (let ta = t0; ta < t1; ta++) {
      const ma0 = M[2 * ta]!;
      const ma1 = M[2 * ta + 1]!;
      const r = idx[ta]!;
      cR[r]! -= ma0 * w0 + ma1 * w1;
      const row = r * d;
      for (let tb = t0; tb <= ta; tb++) S[row + idx[tb]!]! -= ma0 * M[2 * tb]! + ma1 * M[2 * tb + 1]!;
    }
  }
}
