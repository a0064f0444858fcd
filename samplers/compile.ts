/**
 * Compiling a model for the sampler: every cross-product an iteration needs, computed once (O(rows)),
 * so that an iteration of the joint strategy costs nothing per row (DESIGN.md, "Where the time goes").
 */

import {
  type CrossProducts,
  crossProductsFromRows,
  pairOf,
  restrictCrossProducts,
} from "../src/blocked/crossproducts";
import { analyze } from "../src/blocked/symbolic";
import { ArgumentError } from "../src/errors";
import { potrf } from "../src/linalg/potrf";
import { inverseSpd } from "../src/linalg/spd";
import { trsv } from "../src/linalg/trsv";
import { checkModelWeights } from "../src/model/checks";
import type { LmmModel } from "../src/model/types";
import { groupingFactors } from "../src/priors/factors";
import type { Priors } from "../src/priors/types";
import { residualModelOf, residualRowWeights, residualStepSpecs } from "./residual";
import { samplerStatistics } from "./statistics";
import type { LocationBlock, SamplerFactor, SamplerModel, StepSpec, Strategy } from "./types";

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

/** A factor is "small" — drawn inside other factors' blocks by the by-factor strategy — up to this m q. */
export const SMALL_FACTOR = 100;

/** "auto" considers the joint draw only up to this many random effects outside the lead factor. */
export const JOINT_REST_COLUMNS = 500;

/** The factor eliminated first in the joint strategy: most columns (m q), first on ties. */
function leadFactor(factors: readonly { q: number; m: number }[]): number {
  let lead = 0;
  factors.forEach((f, k) => {
    if (f.m * f.q > factors[lead]!.m * factors[lead]!.q) lead = k;
  });
  return lead;
}

/** The by-factor strategy's blocks: each large factor leads one, the small ones ride in all. */
function byFactorBlocks(factors: readonly { q: number; m: number }[]): { leads: number[]; riders: number[] } {
  const all = factors.map((_, k) => k);
  let leads = all.filter((k) => factors[k]!.m * factors[k]!.q > SMALL_FACTOR);
  if (leads.length === 0) leads = all;
  return { leads, riders: all.filter((k) => !leads.includes(k)) };
}

/** A location block: the factors (lead first) with their cross-products and factor structure. */
function locationBlock(cp: CrossProducts, factors: number[], given: number[]): LocationBlock {
  const crossProducts = restrictCrossProducts(cp, factors);
  return {
    factors: Int32Array.from(factors),
    given: Int32Array.from(given),
    crossProducts,
    structure: analyze(crossProducts),
  };
}

/**
 * Chooses how to update the location parameters: "joint" — all random effects and beta in one
 * Gaussian draw from the factor of the whole system — when its multiply-adds per iteration (from the
 * factor's structure) are small or not much above the alternative's; otherwise "by-factor" — each
 * large factor's random effects jointly with beta and the small factors, given the other large ones,
 * whose cost is the block factors plus one pass over the couplings between large factors.
 *
 * @param cp - cross-products of all factors
 * @returns the strategy, the estimated multiply-adds per iteration of each, and the joint block if built
 */
export function chooseStrategy(cp: CrossProducts): {
  strategy: Strategy;
  jointFlops: number;
  byFactorFlops: number;
  joint: LocationBlock | null;
} {
  const factors = cp.q.map((q, k) => ({ q, m: cp.m[k]! }));
  if (factors.length <= 1) return { strategy: "joint", jointFlops: 0, byFactorFlops: 0, joint: null };
  const { leads, riders } = byFactorBlocks(factors);
  const riderColumns = riders.reduce((s, k) => s + factors[k]!.q * factors[k]!.m, 0) + cp.p + 1;
  let byFactorFlops = 0;
  for (const k of leads) {
    const f = factors[k]!;
    byFactorFlops += f.m * (f.q + riderColumns) ** 2 + riderColumns ** 3 / 6;
    for (const o of leads)
      if (o !== k) byFactorFlops += 2 * pairOf(cp, k, o).pair.idx.length * f.q * factors[o]!.q;
  }
  // A lower bound of the joint factor's work: the lead's levels' updates (sum of their rows squared).
  const lead = leadFactor(factors);
  const rowsPerLevel = new Float64Array(factors[lead]!.m);
  for (let o = 0; o < factors.length; o++) {
    if (o === lead) continue;
    const { pair, swapped } = pairOf(cp, lead, o);
    if (!swapped)
      for (let j = 0; j < rowsPerLevel.length; j++)
        rowsPerLevel[j]! += (pair.ptr[j + 1]! - pair.ptr[j]!) * factors[o]!.q;
    else for (const j of pair.idx) rowsPerLevel[j]! += factors[o]!.q;
  }
  let bound = 0;
  for (const r of rowsPerLevel) bound += (factors[lead]!.q * (r + cp.p + 1) ** 2) / 2;
  const limit = Math.max(2e6, 3 * byFactorFlops);
  // The exact count needs the whole system's ordering: only worth it when the rest is small enough
  // for the joint draw to compete (an explicit `strategy: "joint"` works at any size).
  const restColumns = factors.reduce((s, f, k) => s + (k === lead ? 0 : f.q * f.m), 0);
  if (bound > limit || restColumns > JOINT_REST_COLUMNS)
    return { strategy: "by-factor", jointFlops: bound, byFactorFlops, joint: null };
  const joint = locationBlock(cp, [lead, ...factors.map((_, k) => k).filter((k) => k !== lead)], []);
  const jointFlops = joint.structure.flops;
  return { strategy: jointFlops <= limit ? "joint" : "by-factor", jointFlops, byFactorFlops, joint };
}

/**
 * The location steps of a strategy and their blocks: "joint" — one block, the largest factor the
 * lead and every other factor in its rest; "by-factor" — one block per large factor, the small ones
 * riding in each, the other large factors given (the first step starts b from N(0, Psi)).
 */
function locationSteps(
  strategy: Strategy,
  crossProducts: CrossProducts,
  factors: readonly { q: number; m: number }[],
  joint: LocationBlock | null,
): { blocks: LocationBlock[]; steps: StepSpec[] } {
  if (strategy === "joint") {
    const lead = leadFactor(factors);
    const block =
      joint ??
      locationBlock(crossProducts, [lead, ...factors.map((_, k) => k).filter((k) => k !== lead)], []);
    return { blocks: [block], steps: [{ kind: "location", block: 0 }] };
  }
  const { leads, riders } = byFactorBlocks(factors);
  const blocks = leads.map((k) =>
    locationBlock(
      crossProducts,
      [k, ...riders],
      leads.filter((o) => o !== k),
    ),
  );
  return {
    blocks,
    steps: blocks.map((_, i) => ({ kind: "by-factor", block: i, startFromPrior: i === 0 })),
  };
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

  // A model from sufficient statistics has no rows: the same inputs from its sums (./statistics.ts).
  const fromStatistics = model.statistics === undefined ? null : samplerStatistics(model, gf);
  const rows = fromStatistics === null ? n : 0;
  const r = new Float64Array(rows);
  for (let i = 0; i < rows; i++) r[i] = model.y[i]! - (model.offset === null ? 0 : model.offset[i]!);
  const beta0 = fromStatistics?.beta0 ?? leastSquares(n, p, X, r);
  const ytilde = new Float64Array(rows);
  let yy = 0;
  for (let i = 0; i < rows; i++) {
    let v = r[i]!;
    for (let t = 0; t < p; t++) v -= X[i * p + t]! * beta0[t]!;
    ytilde[i] = v;
    yy += v * v;
  }
  const sigma2Guess = fromStatistics?.sigma2Guess ?? Math.max(yy / Math.max(n - p, 1), 1e-300);

  const psiGuess: Float64Array[] = [];
  const factors: SamplerFactor[] = gf.map((f, k) => {
    const prior = priors.psi[k]!;
    const guess = new Float64Array(f.q);
    for (let c = 0; c < f.q && fromStatistics === null; c++) {
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
    psiGuess.push(fromStatistics?.psiGuess[k] ?? guess);
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

  checkModelWeights(model.weights, n);
  const residual = residualModelOf(model, factors, ytilde, priors.phi);
  const crossProducts =
    fromStatistics?.crossProducts ??
    crossProductsFromRows(factors, X, p, ytilde, residualRowWeights(residual));
  const choice =
    strategyOption === "auto" || gf.length === 1
      ? chooseStrategy(crossProducts)
      : { strategy: strategyOption, joint: null };
  const strategy: Strategy = gf.length === 1 ? "joint" : choice.strategy;
  const { blocks, steps } = locationSteps(strategy, crossProducts, factors, choice.joint);
  for (let k = 0; k < factors.length; k++) steps.push({ kind: "psi", factor: k });
  steps.push(...residualStepSpecs(residual));

  const betaPrecision =
    p > 0
      ? inverseSpd({ rows: p, cols: p, data: priors.beta.cov }, "priors.beta.cov").data
      : new Float64Array(0);
  const betaPrecisionMean = new Float64Array(p);
  let betaPriorQuadratic = 0;
  for (let a = 0; a < p; a++) {
    let s = 0;
    for (let b = 0; b < p; b++) s += betaPrecision[a * p + b]! * (priors.beta.mean[b]! - beta0[b]!);
    betaPrecisionMean[a] = s;
    betaPriorQuadratic += s * (priors.beta.mean[a]! - beta0[a]!);
  }

  return {
    n,
    p,
    fixedNames: model.fixedNames,
    factors,
    strategy,
    steps,
    residual,
    blocks,
    beta0,
    ytilde,
    X,
    crossProducts,
    betaPrecision,
    betaPrecisionMean,
    betaPriorQuadratic,
    sigma2Shape: priors.sigma2.shape,
    sigma2Scale: priors.sigma2.scale,
    sigma2Guess,
    psiGuess,
  };
}
