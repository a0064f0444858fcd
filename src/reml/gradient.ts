/**
 * The analytic gradient of the profiled criterion with respect to theta, by reverse-mode
 * differentiation of the blocked Cholesky factor.
 *
 * Both criteria have the form f = sum_a 2 w_a log L[a,a] + const, with w_a = 1 on the columns of Z,
 * 1 (REML) or 0 (ML) on X, and nu = n - p (REML) or n (ML) on y. Its adjoint with respect to the
 * symmetric Omega is Zbar = L^{-T} diag(w) L^{-1} (Murray 2016, with a diagonal L-bar), so
 *
 *     df/dtheta_i = sum_ab Zbar[a,b] dOmega[a,b]/dtheta_i,
 *
 * and only the entries of Zbar on the pattern of A are needed (a selected inverse, Takahashi et al.
 * 1973). In block form (1 = first term, r = the rest):
 *
 *     Zbar_rr   = L22^{-T} diag(w_r) L22^{-1}                   on L22's structure (./dense)
 *     Zbar_r1,j = -Zbar_rr[R_j, R_j] L21_j L11_j^{-1}            on the pattern R_j of A21_j
 *     Zbar_11,j = L11_j^{-T} (I + L21_j' Zbar_rr[R_j,R_j] L21_j) L11_j^{-1}
 *
 * and with Omega_11,j = T1'A11_j T1 + I, Omega_r1,j = Lambda_r' A21_j T1, Omega_rr = Lambda_r' Arr Lambda_r + I:
 *
 *     df/dT1  = 2 sum_j [A11_j T1 Zbar_11,j + A21_j' Lambda_r Zbar_r1,j]
 *     df/dT_k = 2 sum_l [(Arr Lambda_r Zbar_rr) + sum_j (A21_j T1 Zbar_r1,j')] at level l's diagonal block
 *
 * (lower triangles give the theta derivatives). The same weighted inverse with w = (1 on Z, 0 on X
 * and y) gives (Lambda'Z'Z Lambda + I)^{-1}'s diagonal blocks: the conditional variances of the
 * random effects (./solution).
 *
 * @see Murray (2016) Differentiation of the Cholesky decomposition, arXiv:1602.07527;
 *   Bates et al. (2015) doi:10.18637/jss.v067.i01.
 */

import { weightedInversePanels } from "./dense";
import type { FactorWorkspace } from "./factor";
import type { BlockedSystem } from "./system";
import type { ThetaLayout } from "./theta";

/** Scratch space for gradients and selected inverses; allocated once per fit. */
export interface InverseWorkspace {
  /** Dense nr × nr: Zbar_rr. */
  readonly Zrr: Float64Array;
  /** Diagonal blocks of Zbar for block 1 (m1 × q1 × q1). */
  readonly Z11: Float64Array;
  readonly weights: Float64Array;
  readonly work: Float64Array;
  /** Rows of P and Zbar_r1 for one level (maxCount × q1 each). */
  readonly P: Float64Array;
  readonly Z21: Float64Array;
  /** Per-term accumulators df/dT_k (q_k × q_k). */
  readonly G: Float64Array[];
  readonly small: Float64Array;
}

/** Allocates the inverse workspace. */
export function inverseWorkspace(sys: BlockedSystem): InverseWorkspace {
  let maxCount = 0;
  for (let j = 0; j < sys.m1; j++) maxCount = Math.max(maxCount, sys.colPtr[j + 1]! - sys.colPtr[j]!);
  // The panel inverse's scratch: (u + 2 np) u + np² for each panel's rows u and width np.
  let panelWork = 0;
  for (let p = 0; p + 1 < sys.panelRowPtr.length; p++) {
    const u = sys.panelRowPtr[p + 1]! - sys.panelRowPtr[p]!;
    const np = sys.panelStart[p + 1]! - sys.panelStart[p]!;
    panelWork = Math.max(panelWork, (u + 2 * np) * u + np * np);
  }
  return {
    Zrr: new Float64Array(sys.nr * sys.nr),
    Z11: new Float64Array(sys.m1 * sys.q1 * sys.q1),
    weights: new Float64Array(sys.nr),
    work: new Float64Array(Math.max(sys.nr, panelWork)),
    P: new Float64Array(maxCount * sys.q1),
    Z21: new Float64Array(maxCount * sys.q1),
    G: sys.q.map((q) => new Float64Array(q * q)),
    // H (q1²), A T1 (q1²), and Lambda_r Z21 for one level block (max q_k × q1).
    small: new Float64Array(2 * sys.q1 * sys.q1 + Math.max(...sys.q) * sys.q1),
  };
}

/**
 * The selected inverse Zbar = L^{-T} diag(w) L^{-1} on the pattern the gradient needs: Zbar_rr in
 * full, Zbar_11's diagonal blocks, and (when `couplingVisitor` is given) Zbar_r1 level by level.
 *
 * @param sys - system
 * @param ws - factor at the current theta (must be `ok`)
 * @param inv - workspace, overwritten
 * @param wZ - weight of the Z columns (1)
 * @param wX - weight of the X columns
 * @param wY - weight of y
 * @param couplingVisitor - called per level j with Zbar_r1,j in `inv.Z21` (rows as `sys.rowIdx`)
 * @example
 * selectedInverse(sys, ws, inv, 1, 0, 0); // inv.Z11, inv.Zrr: blocks of (Lambda'Z'Z Lambda + I)^{-1}
 */
export function selectedInverse(
  sys: BlockedSystem,
  ws: FactorWorkspace,
  inv: InverseWorkspace,
  wZ: number,
  wX: number,
  wY: number,
  couplingVisitor?: (j: number) => void,
): void {
  const { nr, q1, m1, colPtr, rowIdx, xOffset, yIndex } = sys;
  const { weights, Zrr, Z11, P, Z21, small } = inv;
  for (let r = 0; r < nr; r++) weights[r] = r < xOffset ? wZ : r < yIndex ? wX : wY;
  weightedInversePanels(ws.S, nr, weights, Zrr, nr, sys.panelStart, sys.panelRowPtr, sys.panelRows, inv.work);
  const L11 = ws.L11;
  const L21 = ws.L21;
  const qq = q1 * q1;
  const H = small;
  for (let j = 0; j < m1; j++) {
    const e0 = colPtr[j]!;
    const c = colPtr[j + 1]! - e0;
    const base = j * qq;
    // P = Zrr[R_j, R_j] L21_j (c × q1), reading each symmetric pair of Zrr once (the lower triangle:
    // R_j is sorted) — these reads are scattered, so they, not the multiply-adds, cost the time.
    P.fill(0, 0, c * q1);
    for (let a = 0; a < c; a++) {
      const za = rowIdx[e0 + a]! * nr;
      const la = (e0 + a) * q1;
      for (let b = 0; b < a; b++) {
        const z = Zrr[za + rowIdx[e0 + b]!]!;
        const lb = (e0 + b) * q1;
        for (let t = 0; t < q1; t++) {
          P[a * q1 + t]! += z * L21[lb + t]!;
          P[b * q1 + t]! += z * L21[la + t]!;
        }
      }
      const z = Zrr[za + rowIdx[e0 + a]!]!;
      for (let t = 0; t < q1; t++) P[a * q1 + t]! += z * L21[la + t]!;
    }
    // H = wZ I + L21' P.
    for (let s = 0; s < q1; s++)
      for (let t = 0; t < q1; t++) {
        let v = s === t ? wZ : 0;
        for (let a = 0; a < c; a++) v += L21[(e0 + a) * q1 + s]! * P[a * q1 + t]!;
        H[s * q1 + t] = v;
      }
    // Z11_j = L11^{-T} H L11^{-1}: first Y = H L11^{-1} (rows: y L11 = h), then L11' z = y (columns).
    for (let s = 0; s < q1; s++) {
      for (let t = q1 - 1; t >= 0; t--) {
        let v = H[s * q1 + t]!;
        for (let u = t + 1; u < q1; u++) v -= H[s * q1 + u]! * L11[base + u * q1 + t]!;
        H[s * q1 + t] = v / L11[base + t * q1 + t]!;
      }
    }
    for (let t = 0; t < q1; t++) {
      for (let s = q1 - 1; s >= 0; s--) {
        let v = H[s * q1 + t]!;
        for (let u = s + 1; u < q1; u++) v -= L11[base + u * q1 + s]! * H[u * q1 + t]!;
        H[s * q1 + t] = v / L11[base + s * q1 + s]!;
      }
    }
    for (let s = 0; s < qq; s++) Z11[base + s] = H[s]!;
    if (couplingVisitor === undefined) continue;
    // Z21 = -P L11^{-1} (rows: z L11 = -p).
    for (let a = 0; a < c; a++) {
      for (let t = q1 - 1; t >= 0; t--) {
        let v = -P[a * q1 + t]!;
        for (let u = t + 1; u < q1; u++) v -= Z21[a * q1 + u]! * L11[base + u * q1 + t]!;
        Z21[a * q1 + t] = v / L11[base + t * q1 + t]!;
      }
    }
    couplingVisitor(j);
  }
}

/**
 * The gradient of the profiled criterion at the workspace's theta (after a successful `factorize`).
 *
 * @param sys - system
 * @param layout - theta layout
 * @param ws - factor at theta
 * @param inv - inverse workspace, overwritten
 * @param reml - REML (true) or ML
 * @param out - gradient, length layout.length, overwritten
 * @example
 * const g = new Float64Array(layout.length);
 * factorize(sys, layout, theta, ws);
 * criterionGradient(sys, layout, ws, inverseWorkspace(sys), true, g); // g ≈ 0 at the REML estimate
 */
export function criterionGradient(
  sys: BlockedSystem,
  layout: ThetaLayout,
  ws: FactorWorkspace,
  inv: InverseWorkspace,
  reml: boolean,
  out: Float64Array,
): void {
  const { nr, q1, colPtr, rowIdx, A11, A21, Arr, restTerm, q, levelStart, m } = sys;
  const nu = reml ? sys.n - sys.p : sys.n;
  const { G, Z11, Z21, Zrr, small } = inv;
  for (const g of G) g.fill(0);
  const T = ws.T;
  const T1 = T[0]!;
  const G1 = G[0]!;
  const qq = q1 * q1;
  const AT = small.subarray(qq, 2 * qq);
  const mix = small.subarray(2 * qq, 2 * qq + Math.max(...q) * q1);

  selectedInverse(sys, ws, inv, 1, reml ? 1 : 0, nu, (j) => {
    const e0 = colPtr[j]!;
    const e1 = colPtr[j + 1]!;
    const base = j * qq;
    // G1 += 2 A11_j T1 Z11_j.
    for (let a = 0; a < q1; a++)
      for (let b = 0; b < q1; b++) {
        let s = 0;
        for (let c = b; c < q1; c++) s += A11[base + a * q1 + c]! * T1[c * q1 + b]!;
        AT[a * q1 + b] = s;
      }
    for (let a = 0; a < q1; a++)
      for (let b = 0; b < q1; b++) {
        let s = 0;
        for (let c = 0; c < q1; c++) s += AT[a * q1 + c]! * Z11[base + c * q1 + b]!;
        G1[a * q1 + b]! += 2 * s;
      }
    // Walk the coupling rows by level block.
    let e = e0;
    while (e < e1) {
      const r = rowIdx[e]!;
      const k = restTerm[r]!;
      const qk = k < 0 ? 1 : q[k]!;
      const a0 = e - e0;
      // mix[comp*q1 + t] = (Lambda_r Z21)[row] for the block's rows.
      if (k < 0) {
        for (let t = 0; t < q1; t++) mix[t] = Z21[a0 * q1 + t]!;
      } else {
        const Tk = T[k]!;
        for (let a = 0; a < qk; a++)
          for (let t = 0; t < q1; t++) {
            let s = 0;
            for (let b = 0; b <= a; b++) s += Tk[a * qk + b]! * Z21[(a0 + b) * q1 + t]!;
            mix[a * q1 + t] = s;
          }
      }
      // G1 += 2 A21' (Lambda_r Z21) over these rows.
      for (let a = 0; a < qk; a++) {
        const src = (e + a) * q1;
        for (let s = 0; s < q1; s++) {
          const v = 2 * A21[src + s]!;
          if (v === 0) continue;
          for (let t = 0; t < q1; t++) G1[s * q1 + t]! += v * mix[a * q1 + t]!;
        }
      }
      // G_k[a,b] += 2 sum_t (A21 T1)[(l,a), t] Z21[(l,b), t].
      if (k >= 0) {
        const Gk = G[k]!;
        for (let a = 0; a < qk; a++) {
          const src = (e + a) * q1;
          for (let t = 0; t < q1; t++) {
            let s = 0;
            for (let c = t; c < q1; c++) s += A21[src + c]! * T1[c * q1 + t]!;
            AT[t] = s;
          }
          for (let b = 0; b < qk; b++) {
            let s = 0;
            for (let t = 0; t < q1; t++) s += AT[t]! * Z21[(a0 + b) * q1 + t]!;
            Gk[a * qk + b]! += 2 * s;
          }
        }
      }
      e += qk;
    }
  });

  // df/dT_k += 2 (Arr Lambda_r Zrr) at each level's diagonal block, for terms k ≥ 2.
  const rowbuf = inv.work;
  for (let k = 1; k < q.length; k++) {
    const qk = q[k]!;
    const Gk = G[k]!;
    for (let l = 0; l < m[k]!; l++) {
      const c0 = levelStart[k]![l]!;
      for (let a = 0; a < qk; a++) {
        rowTimesLambda(sys, T, Arr, (c0 + a) * nr, rowbuf);
        for (let b = 0; b < qk; b++) {
          const zb = (c0 + b) * nr;
          // Only where Arr is nonzero: there Zrr is on the factor's structure (elsewhere it is not computed).
          let s = 0;
          for (let y = 0; y < nr; y++) {
            const v = rowbuf[y]!;
            if (v !== 0) s += v * Zrr[zb + y]!;
          }
          Gk[a * qk + b]! += 2 * s;
        }
      }
    }
  }
  for (let t = 0; t < layout.length; t++) {
    const k = layout.term[t]!;
    out[t] = G[k]![layout.row[t]! * q[k]! + layout.col[t]!]!;
  }
}

/** out = (row of Arr starting at `from`) times Lambda_r. */
function rowTimesLambda(
  sys: BlockedSystem,
  T: Float64Array[],
  Arr: Float64Array,
  from: number,
  out: Float64Array,
): void {
  const { nr, restTerm, q } = sys;
  let y = 0;
  while (y < nr) {
    const k = restTerm[y]!;
    if (k < 0) {
      out[y] = Arr[from + y]!;
      y++;
      continue;
    }
    const qk = q[k]!;
    const Tk = T[k]!;
    if (qk === 1) {
      out[y] = Arr[from + y]! * Tk[0]!;
      y++;
      continue;
    }
    for (let b = 0; b < qk; b++) {
      let s = 0;
      for (let c = b; c < qk; c++) s += Arr[from + y + c]! * Tk[c * qk + b]!;
      out[y + b] = s;
    }
    y += qk;
  }
}
