/**
 * Residual models: how the residuals e = y - X beta - Z b - offset are distributed given sigma2, and
 * what that changes in the sampler. A residual model owns
 *
 * - its cross-products: the location conditionals read A = [Z X ytilde]' W [Z X ytilde] (compile.ts
 *   builds them with `residualRowWeights`), so a location step needs nothing else from it;
 * - its steps, which follow the Psi steps in the sweep (`residualStepSpecs`, made by `residualStep`).
 *
 * | kind      | e given sigma2                 | W         | steps  |
 * |-----------|--------------------------------|-----------|--------|
 * | "iid"     | N(0, sigma2 I)                 | I         | sigma2 |
 * | "weights" | N(0, sigma2 diag(1/w))         | diag(w)   | sigma2 (weighted RSS) |
 *
 * With precision weights (lme4's `weights =`) every full conditional is the unweighted one with the
 * W-weighted cross-products: the location precision is Lambda'Z'WZ Lambda + I, ..., and
 * sigma2 | beta, b ~ InvGamma(shape + n/2, scale + e'We/2).
 */
import { sigma2Step } from "./drawSigma2";
import type { GibbsStep, ResidualModel, SamplerModel, StepSpec } from "./types";

/** The residual model of a model's precision weights (null: none). */
export function residualModelOf(weights: Float64Array | null | undefined): ResidualModel {
  return weights === null || weights === undefined ? { kind: "iid" } : { kind: "weights", weights };
}

/** The row weights W of the residual model's cross-products (null for I). */
export function residualRowWeights(residual: ResidualModel): Float64Array | null {
  return residual.kind === "weights" ? residual.weights : null;
}

/** The residual model's steps, in sweep order. */
export function residualStepSpecs(_residual: ResidualModel): StepSpec[] {
  return [{ kind: "sigma2" }];
}

/** Makes a residual model's step. */
export function residualStep(model: SamplerModel, spec: StepSpec): GibbsStep {
  if (spec.kind === "sigma2") return sigma2Step(model, spec);
  throw new Error(`not a residual step: ${spec.kind}`);
}
