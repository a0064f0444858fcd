/**
 * The analytic gradient of the profiled criterion with respect to theta, by reverse-mode
 * differentiation of the blocked Cholesky factor.
 *
 * Both criteria have the form f = sum_a 2 w_a log L[a,a] + const, with w_a = 1 on the columns of Z,
 * 1 (REML) or 0 (ML) on X, and nu = n - p (REML) or n (ML) on y. Its adjoint with respect to the
 * symmetric Omega is Zbar = L^{-T} diag(w) L^{-1} (Murray 2016, with a diagonal L-bar), so with
 * Omega = Lambda' A Lambda + I_Z,
 *
 *     df/dLambda = 2 A Lambda Zbar,   df/dT_k = sum over levels l of k of its (l, l) block,
 *
 * which needs Zbar only where A is nonzero — the selected inverse of src/blocked/inverse. Per stored
 * block of A (rows R, columns C) that is one local product: a level's diagonal block adds
 * 2 A_ll T_k Zbar_ll; a coupling of levels a (block k) and b (block l) adds 2 A_ab T_l Zbar_ab' to
 * G_k and 2 A_ab' T_k Zbar_ab to G_l; X's and y's rows add 2 Z_l'X Zbar_{X,l} and 2 Z_l'y Zbar_{y,l}.
 * Lower triangles of G_k give the theta derivatives. One gradient costs about two factorizations.
 *
 * When every T_k is invertible the same G_k follows from Zbar's diagonal blocks alone: A Lambda =
 * Lambda^{-T} (Omega - D) with D = I on Z's columns, and Omega Zbar = L diag(w) L^{-1} is lower
 * triangular with diagonal w, whose (l, l) block on Z's columns is I (w = 1 there; the rows of X and y
 * come later), so
 *
 *     G_k = 2 sum over levels l of k of T_k^{-T} (I - Zbar_ll)
 *
 * (for a scalar term, dθ_k = (2 / θ_k)(m_k - sum_l Zbar_ll): the trace of the EM step). The selected
 * inverse then skips the leaves' off-diagonal rows (src/blocked/inverse, part "diagonal"). Near a
 * singular T_k (a diagonal element below `TRACE_MIN_DIAGONAL` of its largest entry) I - Zbar_ll
 * cancels to rounding and the division amplifies it: the A-pattern products above serve there.
 *
 * @see Murray (2016) Differentiation of the Cholesky decomposition, arXiv:1602.07527;
 *   Bates et al. (2015) doi:10.18637/jss.v067.i01.
 */
import { type InverseWork, inverseWork, selectedInverse as selectedInverseBlocked } from "../blocked/inverse";
import type { FactorWorkspace } from "./factor";
import type { BlockedSystem } from "./system";
import type { ThetaLayout } from "./theta";

/**
 * The trace form of the gradient serves when every diagonal element of every T_k is at least this
 * fraction of the largest magnitude in its T_k (and not below it in absolute value).
 */
export const TRACE_MIN_DIAGONAL = 1e-2;

/** Scratch space for gradients and selected inverses; allocated once per fit. */
export interface InverseWorkspace {
  /** Zbar on L's structure (L's layout). */
  readonly Z: Float64Array;
  readonly work: InverseWork;
  /** Per-term accumulators df/dT_k (q_k × q_k). */
  readonly G: Float64Array[];
}

/** Allocates the inverse workspace. */
export function inverseWorkspace(sys: BlockedSystem): InverseWorkspace {
  return {
    Z: new Float64Array(sys.structure.size),
    work: inverseWork(sys.structure),
    G: sys.structure.q.map((q) => new Float64Array(q * q)),
  };
}

/**
 * The selected inverse Zbar = L^{-T} diag(w) L^{-1} on L's structure, into `inv.Z`.
 *
 * @param sys - system
 * @param ws - factor at the current theta (must be `ok`)
 * @param inv - workspace, overwritten
 * @param wZ - weight of the Z columns (1)
 * @param wX - weight of the X columns
 * @param wY - weight of y
 * @param part - "structure" (every entry of L's structure) or "diagonal" (the diagonal blocks are
 *   all that is guaranteed); see src/blocked/inverse
 * @example
 * selectedInverse(sys, ws, inv, 1, 0, 0); // diagonal blocks of (Lambda'Z'Z Lambda + I)^{-1}
 */
export function selectedInverse(
  sys: BlockedSystem,
  ws: FactorWorkspace,
  inv: InverseWorkspace,
  wZ: number,
  wX: number,
  wY: number,
  part: "structure" | "diagonal" = "structure",
): void {
  selectedInverseBlocked(sys.structure, ws.L, wZ, wX, wY, inv.Z, inv.work, part);
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
 * @param form - "auto": the trace form where every T_k is far from singular, else the A-pattern
 *   products; "pattern": the A-pattern products always (the two agree to rounding) @default "auto"
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
  form: "auto" | "pattern" = "auto",
): void {
  const nu = reml ? sys.n - sys.p : sys.n;
  if (form === "auto" && ws.T.every(traceable)) {
    selectedInverse(sys, ws, inv, 1, reml ? 1 : 0, nu, "diagonal");
    traceGradient(sys, layout, ws, inv, out);
    return;
  }
  selectedInverse(sys, ws, inv, 1, reml ? 1 : 0, nu);
  const { cp, structure: st } = sys;
  const { p, q, m, levelColumn, colSuper, colStart, rowPtr, valPtr } = st;
  const Z = inv.Z;
  const T = ws.T;
  const { G } = inv;
  for (const g of G) g.fill(0);
  for (let k = 0; k < q.length; k++) {
    const qk = q[k]!;
    const Tk = T[k]!;
    const Gk = G[k]!;
    const zz = cp.zz[k]!;
    const zx = cp.zx[k]!;
    const zy = cp.zy[k]!;
    for (let l = 0; l < m[k]!; l++) {
      const c = levelColumn[k]![l]!;
      const s = colSuper[c]!;
      const w = colStart[s + 1]! - colStart[s]!;
      const nr = rowPtr[s + 1]! - rowPtr[s]!;
      const local = c - colStart[s]!;
      const base = valPtr[s]!;
      const xRow = base + (nr - p - 1) * w + local;
      if (qk === 1) {
        let g = zz[l]! * Tk[0]! * Z[base + local * w + local]!;
        for (let t = 0; t < p; t++) g += zx[l * p + t]! * Z[xRow + t * w]!;
        g += zy[l]! * Z[xRow + p * w]!;
        Gk[0]! += 2 * g;
        continue;
      }
      // Diagonal block: 2 A_ll T_k Zbar_ll (Zbar_ll from its lower triangle).
      const zd = (r: number, s2: number): number =>
        r >= s2 ? Z[base + (local + r) * w + local + s2]! : Z[base + (local + s2) * w + local + r]!;
      for (let a = 0; a < qk; a++)
        for (let b = 0; b < qk; b++) {
          let v = 0;
          for (let c1 = 0; c1 < qk; c1++) {
            let at = 0;
            for (let c2 = c1; c2 < qk; c2++) at += zz[l * qk * qk + a * qk + c2]! * Tk[c2 * qk + c1]!;
            v += at * zd(c1, b);
          }
          for (let t = 0; t < p; t++) v += zx[(l * qk + a) * p + t]! * Z[xRow + t * w + b]!;
          v += zy[l * qk + a]! * Z[xRow + p * w + b]!;
          Gk[a * qk + b]! += 2 * v;
        }
    }
  }
  cp.pairs.forEach((pair, e) => {
    const pos = st.pairPos[e]!;
    const flip = st.pairFlip[e]!;
    const qa = q[pair.a]!;
    const qb = q[pair.b]!;
    const Ta = T[pair.a]!;
    const Tb = T[pair.b]!;
    const Ga = G[pair.a]!;
    const Gb = G[pair.b]!;
    const val = pair.val;
    if (qa === 1 && qb === 1) {
      let sa = 0;
      for (let t = 0; t < pos.length; t++) sa += val[t]! * Z[pos[t]!]!;
      Ga[0]! += 2 * Tb[0]! * sa;
      Gb[0]! += 2 * Ta[0]! * sa;
      return;
    }
    for (let i = 0; i < m[pair.a]!; i++)
      for (let t = pair.ptr[i]!; t < pair.ptr[i + 1]!; t++) {
        const at = pos[t]!;
        const col = Math.min(levelColumn[pair.a]![i]!, levelColumn[pair.b]![pair.idx[t]!]!);
        const s = colSuper[col]!;
        const w = colStart[s + 1]! - colStart[s]!;
        // Zab[r][c] = Zbar[a comp r, b comp c].
        const zab = (r: number, c: number): number =>
          flip[t] === 1 ? Z[at + c * w + r]! : Z[at + r * w + c]!;
        const vo = t * qa * qb;
        // G_a += 2 val T_b Zab';  G_b += 2 val' T_a Zab.
        for (let r = 0; r < qa; r++)
          for (let c = 0; c < qa; c++) {
            let v = 0;
            for (let x = 0; x < qb; x++) {
              let vt = 0;
              for (let y = x; y < qb; y++) vt += val[vo + r * qb + y]! * Tb[y * qb + x]!;
              v += vt * zab(c, x);
            }
            Ga[r * qa + c]! += 2 * v;
          }
        for (let r = 0; r < qb; r++)
          for (let c = 0; c < qb; c++) {
            let v = 0;
            for (let x = 0; x < qa; x++) {
              let vt = 0;
              for (let y = x; y < qa; y++) vt += val[vo + y * qb + r]! * Ta[y * qa + x]!;
              v += vt * zab(x, c);
            }
            Gb[r * qb + c]! += 2 * v;
          }
      }
  });
  for (let t = 0; t < layout.length; t++) {
    const k = layout.term[t]!;
    out[t] = G[k]![layout.row[t]! * q[k]! + layout.col[t]!]!;
  }
}

/** Whether T (row-major lower triangular) is far enough from singular for the trace form. */
function traceable(T: Float64Array): boolean {
  const q = Math.round(Math.sqrt(T.length));
  let largest = 0;
  for (let i = 0; i < T.length; i++) largest = Math.max(largest, Math.abs(T[i]!));
  for (let c = 0; c < q; c++)
    if (!(Math.abs(T[c * q + c]!) >= TRACE_MIN_DIAGONAL * Math.max(1, largest))) return false;
  return true;
}

/**
 * G_k = 2 T_k^{-T} sum_l (I - Zbar_ll) from the diagonal blocks of Zbar (every T_k traceable).
 * T_k' G_k = 2 S_k is solved by back-substitution, column by column of S_k.
 */
function traceGradient(
  sys: BlockedSystem,
  layout: ThetaLayout,
  ws: FactorWorkspace,
  inv: InverseWorkspace,
  out: Float64Array,
): void {
  const st = sys.structure;
  const { q, m, levelColumn, colSuper, colStart, valPtr } = st;
  const Z = inv.Z;
  const { G } = inv;
  for (let k = 0; k < q.length; k++) {
    const qk = q[k]!;
    const Gk = G[k]!;
    const Tk = ws.T[k]!;
    // S = sum_l (I - Zbar_ll), into G_k (both triangles).
    Gk.fill(0);
    for (let l = 0; l < m[k]!; l++) {
      const c = levelColumn[k]![l]!;
      const s = colSuper[c]!;
      const w = colStart[s + 1]! - colStart[s]!;
      const at = valPtr[s]! + (c - colStart[s]!) * (w + 1);
      for (let a = 0; a < qk; a++) {
        Gk[a * qk + a]! += 1 - Z[at + a * w + a]!;
        for (let b = 0; b < a; b++) Gk[a * qk + b]! -= Z[at + a * w + b]!;
      }
    }
    for (let a = 0; a < qk; a++) for (let b = 0; b < a; b++) Gk[b * qk + a] = Gk[a * qk + b]!;
    // Solve T' X = 2 S: T' is upper triangular, rows from the last.
    for (let b = 0; b < qk; b++)
      for (let a = qk - 1; a >= 0; a--) {
        let v = 2 * Gk[a * qk + b]!;
        for (let r = a + 1; r < qk; r++) v -= Tk[r * qk + a]! * Gk[r * qk + b]!;
        Gk[a * qk + b] = v / Tk[a * qk + a]!;
      }
  }
  for (let t = 0; t < layout.length; t++) {
    const k = layout.term[t]!;
    out[t] = G[k]![layout.row[t]! * q[k]! + layout.col[t]!]!;
  }
}
