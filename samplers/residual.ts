/**
 * Residual models: how the residuals e = y - X beta - Z b - offset are distributed given sigma2, and
 * what that changes in the sampler. A residual model owns
 *
 * - its cross-products: the location conditionals read A = [Z X ytilde]' W [Z X ytilde] and nothing
 *   else from it (`conditionalModel` gives the location steps the model with the current A);
 * - its steps, which follow the Psi steps in the sweep (`residualStepSpecs`, made by `residualStep`).
 *
 * | kind       | e_i given the variances      | W                              | steps              |
 * |------------|------------------------------|--------------------------------|--------------------|
 * | "iid"      | N(0, sigma2)                 | I                              | sigma2             |
 * | "weights"  | N(0, sigma2 / w_i)           | diag(w)                        | sigma2 (weighted RSS) |
 * | "varIdent" | N(0, sigma2_{s(i)} / w_i)    | diag(w_i sigma2 / sigma2_s(i)) | each sigma2_l      |
 * | "ar1"      | e ~ N(0, sigma2 R(phi))      | R(phi)^-1 (whitened rows)      | phi, then sigma2   |
 *
 * With precision weights (lme4's `weights =`) every full conditional is the unweighted one with the
 * W-weighted cross-products, and sigma2 | beta, b ~ InvGamma(shape + n/2, scale + e'We/2).
 *
 * varIdent (nlme's `varIdent(form = ~ 1 | g)`; sigma2 is the first level's variance, sigma2_0): the
 * location conditional is the weighted one with w_i sigma2_0 / sigma2_{s(i)}, so its cross-products are
 * sum_l (sigma2_0 / sigma2_l) A_l, A_l those of level l's rows — computed once (`strata`, one structure
 * for all levels, since the structure comes from the levels of the rows, not their weights) and
 * combined whenever the variances change, with no pass over the rows. Each variance has the sigma2
 * prior, independently, so its full conditional is InvGamma(shape + n_l/2, scale + RSS_l/2), RSS_l the
 * level's weighted residual sum of squares (one pass over the rows). Recorded: sigma2 (the first
 * level's) and `sigma2[GROUP][LEVEL]` of each other level.
 *
 * AR(1) (nlme's `corAR1(form = ~ time | g)`, ./ar1.ts): the location conditionals are the iid ones on
 * the whitened rows, whose cross-products are a combination of phi-free components with coefficients
 * from phi — the same view as varIdent's; phi's slice step (sigma2 integrated out) then sigma2's
 * inverse-gamma on the whitened residual sum of squares. Recorded: sigma2 and `phi`.
 */
import {
  type CrossProducts,
  crossProductsFromRows,
  type RandomBlock,
  restrictCrossProducts,
} from "../src/blocked/crossproducts";
import { residualVarianceName } from "../src/draws/names";
import { ArgumentError, LmmError } from "../src/errors";
import type { LmmModel } from "../src/model/types";
import type { PhiPrior } from "../src/priors/types";
import { exp } from "../src/random/elementary";
import { gammaInto } from "../src/random/gamma";
import { ar1Coefficients, ar1Components, ar1Step, ar1Structure } from "./ar1";
import { sigma2Step } from "./drawSigma2";
import type { ChainState, GibbsStep, ResidualModel, SamplerModel, StepSpec } from "./types";

/**
 * The residual model of a model: its precision weights and varIdent strata.
 *
 * @param model - the model
 * @param factors - the sampler's grouping factors (the cross-products' blocks)
 * @param ytilde - the shifted response
 * @param phiPrior - the AR(1) correlation's prior (resolved; used only with `model.ar1`)
 * @throws DataError when an AR(1) chain crosses levels of a random-effects factor
 */
export function residualModelOf(
  model: Pick<LmmModel, "weights" | "varIdent" | "ar1" | "X" | "p">,
  factors: readonly (RandomBlock & { readonly group: string })[],
  ytilde: Float64Array,
  phiPrior: PhiPrior = { a: 1, b: 1, isDefault: true },
): ResidualModel {
  const weights = model.weights ?? null;
  const vi = model.varIdent ?? null;
  const ar1 = model.ar1 ?? null;
  if (ar1 !== null) {
    if (ytilde.length !== ar1.order.length)
      throw new ArgumentError(
        "model",
        "has AR(1) residuals but no rows (a model from sufficient statistics): the sampler needs the rows to whiten them",
        ar1.group,
      );
    const structure = ar1Structure(ar1, factors);
    return {
      kind: "ar1",
      group: ar1.group,
      time: ar1.time,
      ...structure,
      prior: { a: phiPrior.a, b: phiPrior.b },
      components: ar1Components(structure, factors, model.X, model.p, ytilde),
    };
  }
  if (vi === null) return weights === null ? { kind: "iid" } : { kind: "weights", weights };
  const G = vi.levels.length;
  const counts = new Float64Array(G);
  for (const r of vi.refs) counts[r]!++;
  return {
    kind: "varIdent",
    group: vi.group,
    levels: vi.levels,
    refs: vi.refs,
    counts,
    weights,
    strata: stratumProducts(vi.refs, G, weights, factors, model.X, model.p, ytilde),
  };
}

/** A_l for each level l: the cross-products of the rows of level l (weights w_i, others 0). */
export function stratumProducts(
  refs: Int32Array,
  G: number,
  weights: Float64Array | null,
  factors: readonly RandomBlock[],
  X: Float64Array,
  p: number,
  ytilde: Float64Array,
): CrossProducts[] {
  const w = new Float64Array(refs.length);
  return Array.from({ length: G }, (_, l) => {
    for (let i = 0; i < refs.length; i++) w[i] = refs[i] === l ? (weights === null ? 1 : weights[i]!) : 0;
    return crossProductsFromRows(factors, X, p, ytilde, w);
  });
}

/** The row weights W of the residual model's cross-products (null for I; varIdent: the model's weights). */
export function residualRowWeights(residual: ResidualModel): Float64Array | null {
  return residual.kind === "iid" || residual.kind === "ar1" ? null : residual.weights;
}

/** The residual model's steps, in sweep order. */
export function residualStepSpecs(residual: ResidualModel): StepSpec[] {
  if (residual.kind === "varIdent") return [{ kind: "varIdent" }];
  // phi with sigma2 integrated out, then sigma2 given phi: a joint draw of the two.
  if (residual.kind === "ar1") return [{ kind: "ar1" }, { kind: "sigma2" }];
  return [{ kind: "sigma2" }];
}

/** Makes a residual model's step. */
export function residualStep(model: SamplerModel, spec: StepSpec): GibbsStep {
  if (spec.kind === "sigma2") return sigma2Step(model, spec);
  if (spec.kind === "varIdent") return varIdentStep(model, spec);
  if (spec.kind === "ar1") return ar1Step(model, spec);
  throw new Error(`not a residual step: ${spec.kind}`);
}

// ---------------------------------------------------------------------------------------------------
// The location conditionals' model

/** A copy of `cp` with arrays of its own (the pairs' structure shared). */
function ownCopy(cp: CrossProducts): CrossProducts & { yy: number } {
  return {
    ...cp,
    zz: cp.zz.map((a) => a.slice()),
    pairs: cp.pairs.map((pr) => ({ ...pr, val: pr.val.slice() })),
    zx: cp.zx.map((a) => a.slice()),
    zy: cp.zy.map((a) => a.slice()),
    xx: cp.xx.slice(),
    xy: cp.xy.slice(),
  };
}

function combineInto(out: Float64Array, parts: readonly Float64Array[], c: Float64Array): void {
  out.fill(0);
  for (let l = 0; l < parts.length; l++) {
    const a = parts[l]!;
    const cl = c[l]!;
    if (cl === 0) continue; // AR(1)'s unused basis (D or U by phi's sign)
    for (let t = 0; t < out.length; t++) out[t]! += cl * a[t]!;
  }
}

/** out = sum_l c_l parts[l] over every array (all of one structure). */
function combine(
  out: CrossProducts & { yy: number },
  parts: readonly CrossProducts[],
  c: Float64Array,
): void {
  out.zz.forEach((a, k) => {
    combineInto(
      a,
      parts.map((pt) => pt.zz[k]!),
      c,
    );
  });
  out.pairs.forEach((pr, k) => {
    combineInto(
      pr.val,
      parts.map((pt) => pt.pairs[k]!.val),
      c,
    );
  });
  out.zx.forEach((a, k) => {
    combineInto(
      a,
      parts.map((pt) => pt.zx[k]!),
      c,
    );
  });
  out.zy.forEach((a, k) => {
    combineInto(
      a,
      parts.map((pt) => pt.zy[k]!),
      c,
    );
  });
  combineInto(
    out.xx,
    parts.map((pt) => pt.xx),
    c,
  );
  combineInto(
    out.xy,
    parts.map((pt) => pt.xy),
    c,
  );
  let yy = 0;
  for (let l = 0; l < parts.length; l++) yy += c[l]! * parts[l]!.yy;
  out.yy = yy;
}

/** Gives the location steps the model whose cross-products are those of the current residual parameters. */
export type ConditionalModel = (model: SamplerModel, state: ChainState) => SamplerModel;

/**
 * The location steps' model: the model itself, or (varIdent, AR(1)) a view of it whose cross-products
 * are sum_l c_l parts_l, the parts the residual model's phi-free cross-products (varIdent: each level's,
 * c_l = sigma2 / sigma2_l; AR(1): ./ar1.ts's components, c from phi), held in scratch that is
 * recombined when the coefficients (or the response, which gives new parts) change.
 */
export function conditionalModel(model: SamplerModel): ConditionalModel | null {
  const residual = model.residual;
  if (residual.kind === "varIdent")
    return combinedView(
      (r) => (r as typeof residual).strata,
      residual.levels.length,
      (state, c) => {
        for (let l = 0; l < c.length; l++) c[l] = state.sigma2 / state.residual[l]!;
      },
    );
  if (residual.kind === "ar1")
    return combinedView(
      (r) => (r as typeof residual).components,
      residual.components.length,
      (state, c) => {
        ar1Coefficients(residual.lagValues, state.residual[0]!, c);
      },
    );
  return null;
}

/** The view of `conditionalModel` over the parts `partsOf(residual)` with coefficients `coefficients(state, c)`. */
function combinedView(
  partsOf: (residual: ResidualModel) => readonly CrossProducts[],
  count: number,
  coefficients: (state: ChainState, c: Float64Array) => void,
): ConditionalModel {
  const c = new Float64Array(count);
  const next = new Float64Array(count);
  let parts: readonly CrossProducts[] | null = null;
  let view: SamplerModel | null = null;
  let full: CrossProducts & { yy: number } = { yy: 0 } as CrossProducts & { yy: number };
  let blockParts: CrossProducts[][] = [];
  let blockTargets: (CrossProducts & { yy: number })[] = [];
  return (m, state) => {
    const current = partsOf(m.residual);
    let same = parts === current && view !== null;
    coefficients(state, next);
    for (let l = 0; l < count; l++) {
      if (next[l] !== c[l]) same = false;
      c[l] = next[l]!;
    }
    if (same) return view!;
    if (parts !== current || view === null) {
      parts = current;
      full = ownCopy(current[0]!);
      blockParts = m.blocks.map((b) => current.map((s) => restrictCrossProducts(s, Array.from(b.factors))));
      blockTargets = blockParts.map((ps) => ownCopy(ps[0]!));
      view = {
        ...m,
        crossProducts: full,
        blocks: m.blocks.map((b, i) => ({ ...b, crossProducts: blockTargets[i]! })),
      };
    }
    combine(full, current, c);
    blockTargets.forEach((t, i) => {
      combine(t, blockParts[i]!, c);
    });
    return view!;
  };
}

// ---------------------------------------------------------------------------------------------------
// varIdent's variances

/** The varIdent step: each level's residual variance given (beta, b); records sigma2 and the others. */
function varIdentStep(model: SamplerModel, spec: Extract<StepSpec, { kind: "varIdent" }>): GibbsStep {
  const residual = model.residual as Extract<ResidualModel, { kind: "varIdent" }>;
  const G = residual.levels.length;
  const rss = new Float64Array(G);
  const gammas = new Float64Array(1);
  const names = residual.levels.slice(1).map((level) => residualVarianceName(residual.group, level));
  return {
    name: `sigma2 per level of ${residual.group}`,
    spec,
    parameters: [
      {
        section: "residual",
        order: 0,
        names: ["sigma2", ...names],
        write(state, out, stride, t, row) {
          out[row * stride + t] = state.sigma2;
          for (let l = 1; l < G; l++) out[(row + l) * stride + t] = state.residual[l]!;
        },
      },
    ],
    initialize(_m, state, rng) {
      // The first level's variance is sigma2's start; the others dispersed as sigma2's default is.
      state.residual[0] = state.sigma2;
      for (let l = 1; l < G; l++) state.residual[l] = model.sigma2Guess * exp(4 * rng.uniform() - 2);
    },
    draw(m, state, rng) {
      levelResidualSums(m, state, rss);
      const r = m.residual as Extract<ResidualModel, { kind: "varIdent" }>;
      for (let l = 0; l < G; l++) {
        gammaInto(rng, m.sigma2Shape + r.counts[l]! / 2, gammas, 0);
        const value = (m.sigma2Scale + rss[l]! / 2) / gammas[0]!;
        if (!(value > 0) || !Number.isFinite(value))
          throw new LmmError(
            "NUMERICAL",
            `the sampler drew a non-finite residual variance for \`${r.group}\` = ${r.levels[l]} (RSS = ${rss[l]}).`,
          );
        state.residual[l] = value;
      }
      state.sigma2 = state.residual[0]!;
    },
  };
}

/** RSS_l = sum over level l's rows of w_i (ytilde_i - x_i'delta - sum_k z_ik'b_k)², into `out`. */
export function levelResidualSums(model: SamplerModel, state: ChainState, out: Float64Array): void {
  const residual = model.residual as Extract<ResidualModel, { kind: "varIdent" }>;
  const { n, p, X, ytilde, factors } = model;
  const w = residual.weights;
  out.fill(0);
  for (let i = 0; i < n; i++) {
    let e = ytilde[i]!;
    for (let t = 0; t < p; t++) e -= X[i * p + t]! * state.delta[t]!;
    for (let k = 0; k < factors.length; k++) {
      const f = factors[k]!;
      const q = f.q;
      const b = state.b[k]!;
      const base = f.refs[i]! * q;
      for (let a = 0; a < q; a++) e -= f.values[i * q + a]! * b[base + a]!;
    }
    out[residual.refs[i]!]! += (w === null ? 1 : w[i]!) * e * e;
  }
}
