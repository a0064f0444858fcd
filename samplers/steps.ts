/**
 * The sampler as a list of Gibbs steps. `compileModel` (compile.ts) writes the list as plain data
 * (`SamplerModel.steps`, one `StepSpec` each: it crosses to a worker by structured clone); this module
 * turns it into `GibbsStep`s — each with the scratch it needs allocated once — and a sweep is a loop
 * over them (sweep.ts). The steps, in order:
 *
 *   1. the location parameters (beta, b): one joint step ("location", every factor and delta in one
 *      Gaussian draw), or one step per large factor ("by-factor", given the other large factors);
 *   2. each Psi_k given b_k ("psi");
 *   3. the residual model's steps (residual.ts: sigma2, and whatever the residual model adds).
 *
 * Every step is an exact draw from a full conditional, so the list leaves the posterior invariant
 * whatever it holds. A step also says which core parameters it records (`parameters`): the layout of
 * the draws (layout.ts) is the steps' groups, ordered by section — fixed effects, residual parameters,
 * covariance parameters — and within a section by `order` (CLI.md's order: beta, sigma2, Psi).
 *
 * The chain state (state.ts) holds only parameter values (numbers and typed arrays); scratch belongs
 * to the steps, holds nothing from one iteration to the next, and is shared by the chains run one
 * after another on one thread (`stepsFor` caches a model's steps by its step list, which a model with
 * another response — response.ts — shares).
 */
import { byFactorStep } from "./drawByFactor";
import { locationStep } from "./drawLocation";
import { psiStep } from "./drawPsi";
import { type ConditionalModel, conditionalModel, residualStep } from "./residual";
import type { GibbsStep, ParameterGroup, ParameterSection, SamplerModel, StepSpec } from "./types";

export type { GibbsStep, ParameterGroup, ParameterSection };

/**
 * Makes the step of one spec, its scratch allocated now.
 *
 * @param conditional - the residual model's view for the location steps (`conditionalModel`), or null
 */
export function createStep(
  model: SamplerModel,
  spec: StepSpec,
  conditional: ConditionalModel | null,
): GibbsStep {
  switch (spec.kind) {
    case "location":
      return locationStep(model, spec, conditional);
    case "by-factor":
      return byFactorStep(model, spec, conditional);
    case "psi":
      return psiStep(model, spec);
    default:
      return residualStep(model, spec);
  }
}

/** The model's steps, each with fresh scratch. */
export function createSteps(model: SamplerModel): GibbsStep[] {
  const conditional = conditionalModel(model);
  return model.steps.map((spec) => createStep(model, spec, conditional));
}

const SECTION_ORDER: Readonly<Record<ParameterSection, number>> = { fixed: 0, residual: 1, covariance: 2 };

const cache = new WeakMap<readonly StepSpec[], GibbsStep[]>();

/** The model's steps, made once per step list (and shared by the models that share it). */
export function stepsFor(model: SamplerModel): readonly GibbsStep[] {
  let steps = cache.get(model.steps);
  if (steps === undefined) {
    steps = createSteps(model);
    cache.set(model.steps, steps);
  }
  return steps;
}

/** The steps' recorded groups in the draws' order (section, then order, then step order). */
export function parameterGroups(steps: readonly GibbsStep[]): ParameterGroup[] {
  const groups = steps.flatMap((s) => s.parameters);
  return groups
    .map((g, i) => ({ g, i }))
    .sort(
      (a, b) => SECTION_ORDER[a.g.section] - SECTION_ORDER[b.g.section] || a.g.order - b.g.order || a.i - b.i,
    )
    .map(({ g }) => g);
}
