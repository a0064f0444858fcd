/**
 * The blocked Cholesky factor L(theta) of
 *
 *     Omega(theta) = [Lambda'Z'Z Lambda + I   Lambda'Z'X   Lambda'Z'y]
 *                    [X'Z Lambda              X'X          X'y       ]  = L L'
 *                    [y'Z Lambda              y'X          y'y       ]
 *
 * and the profiled criteria read off its diagonal (Bates et al. 2015, eqs. 34, 41; MixedModels.jl's
 * `updateL!`). With the columns split as in ./system (block 1 = the first term, then the rest):
 *
 *     L11_j = chol(T1' A11_j T1 + I)                            one q1 × q1 block per level j
 *     L21_j = (Lambda_r' A21_j T1) L11_j^{-T}                    sparse rows, the pattern of A21_j
 *     S     = Lambda_r' Arr Lambda_r + I_Z - sum_j L21_j L21_j'  dense nr × nr
 *     L22   = chol(S)
 *
 * L22's diagonal holds, in order, the rest of L_Z, then R_X (p entries), then r = sqrt(PRSS).
 *
 * The small per-level pieces (L11_j's Cholesky, each coupling row's solve with L11_j) are written
 * into the level loop rather than calling src/linalg's `potrf` / `trsv` once per level and row: with
 * the calls, the small fixtures' fits took longer in `npm run bench -- reml` (3 alternating rounds,
 * medians: Penicillin 0.49 -> 0.83 ms, sleepstudy (Days || Subject) 0.46 -> 0.83 ms), for the same
 * numbers. L22 = chol(S) is `potrfPanels` (./dense: why not `potrf` is said there).
 */

import { potrfPanels } from "./dense";
import type { BlockedSystem } from "./system";
import { fillFactors, type ThetaLayout } from "./theta";

/** Everything one evaluation writes; allocated once per fit. */
export interface FactorWorkspace {
  /** T_k per term (row-major q_k × q_k). */
  readonly T: Float64Array[];
  /** L11_j, m1 row-major q1 × q1 lower-triangular blocks. */
  readonly L11: Float64Array;
  /** L21 values, q1 per stored coupling entry (pattern of `sys.rowIdx`). */
  readonly L21: Float64Array;
  /** Dense nr × nr: S, then its Cholesky factor L22 (lower triangle). */
  readonly S: Float64Array;
  /** Scratch of length max(nr, 2 q1²). */
  readonly scratch: Float64Array;
  /** Whether the last `factorize` succeeded, and the theta it was run at. */
  ok: boolean;
  readonly theta: Float64Array;
}

/** Allocates the workspace of a system. */
export function factorWorkspace(sys: BlockedSystem, layout: ThetaLayout): FactorWorkspace {
  return {
    T: sys.q.map((q) => new Float64Array(q * q)),
    L11: new Float64Array(sys.m1 * sys.q1 * sys.q1),
    L21: new Float64Array(sys.rowIdx.length * sys.q1),
    S: new Float64Array(sys.nr * sys.nr),
    scratch: new Float64Array(Math.max(sys.nr, 2 * sys.q1 * sys.q1)),
    ok: false,
    theta: new Float64Array(layout.length).fill(Number.NaN),
  };
}

/**
 * Computes L(theta) into the workspace.
 *
 * @param sys - the blocked cross-products
 * @param layout - theta layout
 * @param theta - covariance parameters
 * @param ws - workspace, overwritten
 * @returns true, or false when Omega is not numerically positive definite (X rank deficient, or a
 *   perfect fit) — the criterion is then +Infinity
 * @example
 * const sys = buildSystem(model);
 * const ws = factorWorkspace(sys, layout);
 * factorize(sys, layout, new Float64Array([1]), ws); // true; ws.S holds L22
 * profiledCriterion(criterionParts(sys, ws), model.n, model.p, true); // the REML criterion at theta = 1
 */
export function factorize(
  sys: BlockedSystem,
  layout: ThetaLayout,
  theta: Float64Array,
  ws: FactorWorkspace,
): boolean {
  ws.theta.set(theta);
  fillFactors(layout, theta, ws.T);
  const { q1, m1, nr, colPtr, rowIdx, A11, A21, restTerm, xOffset } = sys;
  const T1 = ws.T[0]!;
  const { L11, L21, S, scratch } = ws;
  const qq = q1 * q1;

  // Block 1 and the coupling rows.
  for (let j = 0; j < m1; j++) {
    const base = j * qq;
    // scratch[0..qq) = A11_j T1; L11_j = T1' A11_j T1 + I (lower triangle).
    for (let a = 0; a < q1; a++)
      for (let b = 0; b < q1; b++) {
        let s = 0;
        for (let c = b; c < q1; c++) s += A11[base + a * q1 + c]! * T1[c * q1 + b]!;
        scratch[a * q1 + b] = s;
      }
    for (let a = 0; a < q1; a++)
      for (let b = 0; b < q1; b++) {
        if (b > a) {
          L11[base + a * q1 + b] = 0;
          continue;
        }
        let s = a === b ? 1 : 0;
        for (let c = a; c < q1; c++) s += T1[c * q1 + a]! * scratch[c * q1 + b]!;
        L11[base + a * q1 + b] = s;
      }
    // Small Cholesky, in place (the diagonal is ≥ 1, so it cannot fail).
    for (let a = 0; a < q1; a++) {
      for (let b = 0; b <= a; b++) {
        let s = L11[base + a * q1 + b]!;
        for (let c = 0; c < b; c++) s -= L11[base + a * q1 + c]! * L11[base + b * q1 + c]!;
        L11[base + a * q1 + b] = a === b ? Math.sqrt(s) : s / L11[base + b * q1 + b]!;
      }
    }
    // L21 rows: (A21 T1), mixed within level blocks by Lambda_r', then solved with L11'.
    const e1 = colPtr[j + 1]!;
    for (let e = colPtr[j]!; e < e1; e++) {
      const src = e * q1;
      for (let b = 0; b < q1; b++) {
        let s = 0;
        for (let c = b; c < q1; c++) s += A21[src + c]! * T1[c * q1 + b]!;
        L21[src + b] = s;
      }
    }
    let e = colPtr[j]!;
    while (e < e1) {
      const r = rowIdx[e]!;
      const k = restTerm[r]!;
      if (k < 0) {
        e++;
        continue;
      }
      const qk = sys.q[k]!;
      const Tk = ws.T[k]!;
      if (qk === 1) {
        const t = Tk[0]!;
        for (let b = 0; b < q1; b++) L21[e * q1 + b]! *= t;
        e++;
        continue;
      }
      // Rows e..e+qk-1 are the level block's components 0..qk-1: new_a = sum_c T_k[c,a] old_c.
      for (let b = 0; b < q1; b++) {
        for (let a = 0; a < qk; a++) {
          let s = 0;
          for (let c = a; c < qk; c++) s += Tk[c * qk + a]! * L21[(e + c) * q1 + b]!;
          scratch[a] = s;
        }
        for (let a = 0; a < qk; a++) L21[(e + a) * q1 + b] = scratch[a]!;
      }
      e += qk;
    }
    for (let f = colPtr[j]!; f < e1; f++) {
      const row = f * q1;
      for (let a = 0; a < q1; a++) {
        let s = L21[row + a]!;
        for (let c = 0; c < a; c++) s -= L11[base + a * q1 + c]! * L21[row + c]!;
        L21[row + a] = s / L11[base + a * q1 + a]!;
      }
    }
  }

  // S = Lambda_r' Arr Lambda_r + I_Z - sum_j L21_j L21_j' (lower triangle is what counts).
  formRestProduct(sys, ws);
  for (let r = 0; r < xOffset; r++) S[r * nr + r]! += 1;
  for (let j = 0; j < m1; j++) {
    const e0 = colPtr[j]!;
    const e1 = colPtr[j + 1]!;
    for (let a = e0; a < e1; a++) {
      const ra = rowIdx[a]! * nr;
      if (q1 === 1) {
        const la = L21[a]!;
        for (let b = e0; b <= a; b++) S[ra + rowIdx[b]!]! -= la * L21[b]!;
      } else {
        for (let b = e0; b <= a; b++) {
          let s = 0;
          for (let c = 0; c < q1; c++) s += L21[a * q1 + c]! * L21[b * q1 + c]!;
          S[ra + rowIdx[b]!]! -= s;
        }
      }
    }
  }
  ws.ok = potrfPanels(S, nr, sys.panelStart, sys.panelRowPtr, sys.panelRows) === 0;
  return ws.ok;
}

/**
 * S = Lambda_r' Arr Lambda_r (dense, both triangles), Lambda_r block diagonal with T_k per level of
 * each term k ≥ 2 and the identity on X and y.
 */
export function formRestProduct(sys: BlockedSystem, ws: FactorWorkspace): void {
  const { nr, Arr, restTerm, q } = sys;
  const { S, scratch } = ws;
  // Scalar terms scale rows and columns; do that in one pass.
  const d = scratch;
  let vectorTerms = false;
  for (let r = 0; r < nr; r++) {
    const k = restTerm[r]!;
    if (k < 0) d[r] = 1;
    else if (q[k] === 1) d[r] = ws.T[k]![0]!;
    else {
      d[r] = 1;
      vectorTerms = true;
    }
  }
  for (let r = 0; r < nr; r++) {
    const row = r * nr;
    const dr = d[r]!;
    for (let c = 0; c < nr; c++) S[row + c] = Arr[row + c]! * dr * d[c]!;
  }
  if (!vectorTerms) return;
  for (let k = 1; k < q.length; k++) {
    const qk = q[k]!;
    if (qk === 1) continue;
    const Tk = ws.T[k]!;
    const starts = sys.levelStart[k]!;
    const tmp = new Float64Array(qk);
    for (let l = 0; l < sys.m[k]!; l++) {
      const c0 = starts[l]!;
      // Columns: S[r, c0..] <- S[r, c0..] T_k.
      for (let r = 0; r < nr; r++) {
        const row = r * nr + c0;
        for (let b = 0; b < qk; b++) {
          let s = 0;
          for (let c = b; c < qk; c++) s += S[row + c]! * Tk[c * qk + b]!;
          tmp[b] = s;
        }
        for (let b = 0; b < qk; b++) S[row + b] = tmp[b]!;
      }
      // Rows: S[c0+a, :] <- sum_c T_k[c,a] S[c0+c, :].
      for (let col = 0; col < nr; col++) {
        for (let a = 0; a < qk; a++) {
          let s = 0;
          for (let c = a; c < qk; c++) s += Tk[c * qk + a]! * S[(c0 + c) * nr + col]!;
          tmp[a] = s;
        }
        for (let a = 0; a < qk; a++) S[(c0 + a) * nr + col] = tmp[a]!;
      }
    }
  }
}

/** The pieces of the profiled criteria at the last factorization. */
export interface CriterionParts {
  /** log det(Lambda'Z'Z Lambda + I). */
  readonly logdetZ: number;
  /** log det(R_X'R_X). */
  readonly logdetX: number;
  /** Penalized residual sum of squares r². */
  readonly prss: number;
}

/** Reads log-determinants and the PRSS off the factor's diagonal. *
 * @returns log det(Lambda'Z'Z Lambda + I), log det(R_X'R_X) and the penalized residual sum of squares
 * @example
 * criterionParts(sys, ws).prss; // r² = L[y,y]²
 */
export function criterionParts(sys: BlockedSystem, ws: FactorWorkspace): CriterionParts {
  const { q1, m1, nr, xOffset, yIndex } = sys;
  let logdetZ = 0;
  for (let j = 0; j < m1; j++)
    for (let a = 0; a < q1; a++) logdetZ += Math.log(ws.L11[j * q1 * q1 + a * q1 + a]!);
  for (let r = 0; r < xOffset; r++) logdetZ += Math.log(ws.S[r * nr + r]!);
  let logdetX = 0;
  for (let r = xOffset; r < yIndex; r++) logdetX += Math.log(ws.S[r * nr + r]!);
  const ry = ws.S[yIndex * nr + yIndex]!;
  return { logdetZ: 2 * logdetZ, logdetX: 2 * logdetX, prss: ry * ry };
}

/**
 * The profiled criterion: the ML deviance, or the REML criterion (lme4's `devfun`), from the parts.
 *
 *     ML:   d(theta)   = log|L_Z|² + n (1 + log(2 pi r² / n))
 *     REML: d_R(theta) = log|L_Z|² + log|R_X|² + (n - p) (1 + log(2 pi r² / (n - p)))
 *
 * @returns the criterion (lower is better)
 * @see Bates et al. (2015) JSS 67(1), eqs. 34 and 41, doi:10.18637/jss.v067.i01
 * @example
 * profiledCriterion({ logdetZ: 0, logdetX: 0, prss: 1 }, 10, 1, false); // 5.3529 = 10 (1 + log(2 pi / 10))
 */
export function profiledCriterion(parts: CriterionParts, n: number, p: number, reml: boolean): number {
  const nu = reml ? n - p : n;
  const base = parts.logdetZ + nu * (1 + Math.log((2 * Math.PI * parts.prss) / nu));
  return reml ? base + parts.logdetX : base;
}
