/**
 * Compiling a model for the sampler: every cross-product an iteration needs, computed once (O(rows)),
 * so that an iteration of the joint strategy costs nothing per row (DESIGN.md, "Where the time goes").
 */
import { ArgumentError } from "../src/errors";
import { potrf } from "../src/linalg/potrf";
import { inverseSpd } from "../src/linalg/spd";
import { trsv } from "../src/linalg/trsv";
import type { LmmModel } from "../src/model/types";
import { groupingFactors } from "../src/priors/factors";
import type { Priors } from "../src/priors/types";
import type { LocationBlock, SamplerFactor, SamplerModel, Strategy } from "./types";

/** Which strategy to use: "auto" picks by the cost model in `chooseStrategy`. */
export type StrategyOption = Strategy | "auto";

/** Least squares of r on X (p columns), or zeros when X'X is not positive definite. */
function leastSquares(n: number, p: number, X: Float64Array, r: Float64Array): Float64Array {
  const xtx = new Float64Array(p * p);
  const xtr = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const row = i * p;
    for (let a = 0; a < p; a++) {
      const xa = X[row + a]!;
      xtr[a]! += xa * r[i]!;
      for (let b = 0; b <= a; b++) xtx[a * p + b]! += xa * X[row + b]!;
    }
  }
  // Cholesky (lower) then two triangular solves.
  if (potrf(p, xtx, p, 1, 0) !== 0) return new Float64Array(p);
  trsv("lower", "no-transpose", "non-unit", p, xtx, p, 1, 0, xtr, 1, 0);
  return trsv("lower", "transpose", "non-unit", p, xtx, p, 1, 0, xtr, 1, 0);
}

/** Rows of each level, grouped: order[start[j]..start[j+1]) are the rows of level j. */
function rowsByLevel(refs: Int32Array, m: number): { start: Int32Array; order: Int32Array } {
  const start = new Int32Array(m + 1);
  for (let i = 0; i < refs.length; i++) start[refs[i]! + 1]!++;
  for (let j = 0; j < m; j++) start[j + 1]! += start[j]!;
  const fill = start.slice(0, m);
  const order = new Int32Array(refs.length);
  for (let i = 0; i < refs.length; i++) order[fill[refs[i]!]!++] = i;
  return { start, order };
}

/**
 * The rest columns of row i in a block's rest layout (its rest factors' effects, then delta): writes
 * their indices and values into cols/vals and returns how many.
 */
export function restEntries(
  i: number,
  factors: readonly { q: number; refs: Int32Array; values: Float64Array }[],
  restFactors: Int32Array,
  restOffsets: Int32Array,
  p: number,
  X: Float64Array,
  betaOffset: number,
  cols: Int32Array,
  vals: Float64Array,
): number {
  let h = 0;
  for (let r = 0; r < restFactors.length; r++) {
    const f = factors[restFactors[r]!]!;
    const base = restOffsets[r]! + f.refs[i]! * f.q;
    for (let a = 0; a < f.q; a++) {
      cols[h] = base + a;
      vals[h++] = f.values[i * f.q + a]!;
    }
  }
  for (let t = 0; t < p; t++) {
    cols[h] = betaOffset + t;
    vals[h++] = X[i * p + t]!;
  }
  return h;
}

/**
 * Builds a location block: lead factor `lead`, rest = the factors `rest` (in order) then delta. With
 * `ytilde`, also the response cross-products u = Z_lead'ytilde (per level) and g = W_rest'ytilde.
 */
export function buildBlock(
  factors: readonly SamplerFactor[],
  lead: number,
  rest: readonly number[],
  n: number,
  p: number,
  X: Float64Array,
  ytilde: Float64Array | null,
): { block: LocationBlock; u: Float64Array; g: Float64Array } {
  const restFactors = Int32Array.from(rest);
  const restOffsets = new Int32Array(rest.length);
  let dRest = 0;
  rest.forEach((k, r) => {
    restOffsets[r] = dRest;
    dRest += factors[k]!.m * factors[k]!.q;
  });
  const betaOffset = dRest;
  dRest += p;
  const L = factors[lead]!;
  const q = L.q;
  const { start, order } = rowsByLevel(L.refs, L.m);
  const D = new Float64Array(L.m * q * q);
  const u = new Float64Array(ytilde === null ? 0 : L.m * q);
  const g = new Float64Array(ytilde === null ? 0 : dRest);
  const G = new Float64Array(dRest * dRest);
  const cols = new Int32Array(dRest);
  const vals = new Float64Array(dRest);
  const entries = (i: number) =>
    restEntries(i, factors, restFactors, restOffsets, p, X, betaOffset, cols, vals);
  // Pass 1: coupling pattern per lead level.
  const ptr = new Int32Array(L.m + 1);
  const stamp = new Int32Array(dRest).fill(-1);
  const idxLists: Int32Array[] = [];
  for (let j = 0; j < L.m; j++) {
    const list: number[] = [];
    for (let s = start[j]!; s < start[j + 1]!; s++) {
      const h = entries(order[s]!);
      for (let e = 0; e < h; e++) {
        const c = cols[e]!;
        if (stamp[c] !== j) {
          stamp[c] = j;
          list.push(c);
        }
      }
    }
    list.sort((a, b) => a - b);
    idxLists.push(Int32Array.from(list));
    ptr[j + 1] = ptr[j]! + list.length;
  }
  const idx = new Int32Array(ptr[L.m]!);
  idxLists.forEach((list, j) => {
    idx.set(list, ptr[j]!);
  });
  // Pass 2: D, C, u per lead level.
  const C = new Float64Array(idx.length * q);
  const pos = new Int32Array(dRest).fill(-1);
  for (let j = 0; j < L.m; j++) {
    for (let t = ptr[j]!; t < ptr[j + 1]!; t++) pos[idx[t]!] = t;
    for (let s = start[j]!; s < start[j + 1]!; s++) {
      const i = order[s]!;
      const zi = i * q;
      for (let a = 0; a < q; a++) {
        const za = L.values[zi + a]!;
        if (ytilde !== null) u[j * q + a]! += za * ytilde[i]!;
        for (let b = 0; b < q; b++) D[(j * q + a) * q + b]! += za * L.values[zi + b]!;
      }
      const h = entries(i);
      for (let e = 0; e < h; e++) {
        const t = pos[cols[e]!]!;
        const v = vals[e]!;
        for (let a = 0; a < q; a++) C[t * q + a]! += v * L.values[zi + a]!;
      }
    }
  }
  // Rest cross-products, every row.
  for (let i = 0; i < n; i++) {
    const h = entries(i);
    for (let e = 0; e < h; e++) {
      const ce = cols[e]!;
      const ve = vals[e]!;
      if (ytilde !== null) g[ce]! += ve * ytilde[i]!;
      for (let f = 0; f < h; f++) G[ce * dRest + cols[f]!]! += ve * vals[f]!;
    }
  }
  return { block: { lead, q, m: L.m, D, ptr, idx, C, restFactors, restOffsets, betaOffset, dRest, G }, u, g };
}

/** A factor is "small" — drawn inside other factors' blocks by the by-factor strategy — up to this m q. */
export const SMALL_FACTOR = 100;

/**
 * Chooses how to update the location parameters: "joint" — all random effects and beta in one
 * Gaussian draw, the lead factor eliminated level by level and the rest dense — when its cost per
 * iteration is small or not much above the alternative's; otherwise "by-factor" — each factor's
 * random effects jointly with beta in turn, O(rows) per iteration (see README.md).
 *
 * @returns the strategy and the estimated floating-point operations per iteration of each
 */
export function chooseStrategy(
  model: LmmModel,
  factors: readonly { q: number; m: number; refs: Int32Array }[],
): { strategy: Strategy; jointFlops: number; byFactorFlops: number } {
  const { n, p } = model;
  if (factors.length <= 1) return { strategy: "joint", jointFlops: 0, byFactorFlops: 0 };
  const lead = leadFactor(factors);
  let dRest = p;
  factors.forEach((f, k) => {
    if (k !== lead) dRest += f.m * f.q;
  });
  const byFactorFlops =
    factors.reduce((s, f) => s + n * (2 * p + 4 * f.q) + f.m * (f.q ** 3 + f.q * f.q * p + f.q * p * p), 0) +
    factors.length * p ** 3;
  if (dRest > 2000) return { strategy: "by-factor", jointFlops: Number.POSITIVE_INFINITY, byFactorFlops };
  // Number of rest columns each lead level couples with.
  const L = factors[lead]!;
  const { start, order } = rowsByLevel(L.refs, L.m);
  const stamp = new Int32Array(dRest).fill(-1);
  let jointFlops = dRest ** 3 / 3;
  for (let j = 0; j < L.m; j++) {
    let nnz = p;
    for (let s = start[j]!; s < start[j + 1]!; s++) {
      const i = order[s]!;
      let off = 0;
      for (let k = 0; k < factors.length; k++) {
        if (k === lead) continue;
        const f = factors[k]!;
        const c = off + f.refs[i]!;
        if (stamp[c] !== j) {
          stamp[c] = j;
          nnz += f.q;
        }
        off += f.m;
      }
    }
    jointFlops += L.q * nnz * nnz + L.q ** 3;
  }
  const strategy = jointFlops <= Math.max(2e6, 3 * byFactorFlops) ? "joint" : "by-factor";
  return { strategy, jointFlops, byFactorFlops };
}

/** The factor eliminated first in the joint strategy: most columns (m q), first on ties. */
function leadFactor(factors: readonly { q: number; m: number }[]): number {
  let lead = 0;
  factors.forEach((f, k) => {
    if (f.m * f.q > factors[lead]!.m * factors[lead]!.q) lead = k;
  });
  return lead;
}

/**
 * Compiles a model and its resolved priors into the sampler's plain data.
 *
 * @param model - the model
 * @param priors - resolved priors (`resolvePriors(model, spec)`)
 * @param strategyOption - "auto" (default), "joint" or "by-factor"
 * @returns the compiled model
 * @throws ArgumentError for a model without random effects or with fewer rows than fixed effects
 */
export function compileModel(
  model: LmmModel,
  priors: Priors,
  strategyOption: StrategyOption = "auto",
): SamplerModel {
  const { n, p, X } = model;
  const gf = groupingFactors(model);
  if (gf.length === 0)
    throw new ArgumentError(
      "model",
      "must have at least one random-effects term, e.g. `(1 | g)`",
      model.formula,
    );
  if (n <= p)
    throw new ArgumentError("model", `must have more rows (${n}) than fixed effects (${p})`, model.formula);

  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = model.y[i]! - (model.offset === null ? 0 : model.offset[i]!);
  const beta0 = leastSquares(n, p, X, r);
  const ytilde = new Float64Array(n);
  let yy = 0;
  for (let i = 0; i < n; i++) {
    let v = r[i]!;
    for (let t = 0; t < p; t++) v -= X[i * p + t]! * beta0[t]!;
    ytilde[i] = v;
    yy += v * v;
  }
  const sigma2Guess = Math.max(yy / Math.max(n - p, 1), 1e-300);

  const strategy: Strategy =
    strategyOption === "auto"
      ? chooseStrategy(model, gf).strategy
      : gf.length === 1
        ? "joint"
        : strategyOption;

  const psiGuess: Float64Array[] = [];
  const factors: SamplerFactor[] = gf.map((f, k) => {
    const prior = priors.psi[k]!;
    const guess = new Float64Array(f.q);
    for (let c = 0; c < f.q; c++) {
      let mean = 0;
      let sq = 0;
      for (let i = 0; i < n; i++) {
        const v = f.values[i * f.q + c]!;
        mean += v;
        sq += v * v;
      }
      mean /= n;
      const variance = sq / n - mean * mean;
      const scale2 = variance > 1e-12 * (sq / n) ? variance : sq / n > 0 ? sq / n : 1;
      guess[c] = sigma2Guess / scale2;
    }
    psiGuess.push(guess);
    return {
      group: f.group,
      names: f.names,
      levels: f.levels,
      q: f.q,
      m: f.m,
      refs: f.refs,
      values: f.values,
      blockStarts: Int32Array.from(f.blocks, (b) => b.start),
      blockSizes: Int32Array.from(f.blocks, (b) => b.size),
      df: prior.df,
      scale: prior.scale,
    };
  });

  const blocks: LocationBlock[] = [];
  let u: Float64Array = new Float64Array(0);
  let g: Float64Array = new Float64Array(0);
  if (strategy === "joint") {
    const lead = leadFactor(gf);
    const built = buildBlock(
      factors,
      lead,
      factors.map((_, k) => k).filter((k) => k !== lead),
      n,
      p,
      X,
      ytilde,
    );
    blocks.push(built.block);
    u = built.u;
    g = built.g;
  } else {
    // Large factors lead a block each; small ones ride in every block's rest, drawn with beta.
    const all = factors.map((_, k) => k);
    let leads = all.filter((k) => factors[k]!.m * factors[k]!.q > SMALL_FACTOR);
    if (leads.length === 0) leads = all;
    const riders = all.filter((k) => !leads.includes(k));
    for (const k of leads) blocks.push(buildBlock(factors, k, riders, n, p, X, null).block);
  }

  const betaPrecision =
    p > 0
      ? inverseSpd({ rows: p, cols: p, data: priors.beta.cov }, "priors.beta.cov").data
      : new Float64Array(0);
  const betaPrecisionMean = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    let s = 0;
    for (let b = 0; b < p; b++) s += betaPrecision[a * p + b]! * (priors.beta.mean[b]! - beta0[b]!);
    betaPrecisionMean[a] = s;
  }

  return {
    n,
    p,
    fixedNames: model.fixedNames,
    factors,
    strategy,
    blocks,
    beta0,
    ytilde,
    X,
    u,
    g,
    yy,
    betaPrecision,
    betaPrecisionMean,
    sigma2Shape: priors.sigma2.shape,
    sigma2Scale: priors.sigma2.scale,
    sigma2Guess,
    psiGuess,
  };
}
