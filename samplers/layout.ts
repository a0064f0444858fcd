/**
 * Which values a draw records, in which order, under which names (CLI.md; the names are written by
 * src/draws/names.ts): the steps' recorded groups (steps.ts) —
 *     beta[COLNAME] (X's column order), the residual model's parameters (sigma2, ...),
 *     Psi[GROUP][NAME_i,NAME_j] (i <= j, within each diagonal block, row by row),
 * then — when kept as draws — b[GROUP][LEVEL,NAME] (level-major), from the state's random effects.
 */
import { randomEffectName } from "../src/draws/names";
import { psiEntries } from "./drawPsi";
import type { ChainState } from "./state";
import { type ParameterGroup, parameterGroups, stepsFor } from "./steps";
import type { SamplerModel } from "./types";

export interface ParameterLayout {
  /** Names of beta, the residual parameters and Psi: the "core" parameters (always kept, warmup included). */
  readonly core: readonly string[];
  /** Names of the random effects, in the order they are written. */
  readonly randomEffects: readonly string[];
  /** Per factor, the (i, j) of each recorded Psi entry, flattened [i0, j0, i1, j1, ...]. */
  readonly psiEntries: readonly Int32Array[];
  /** The recorded groups, in the core's order. */
  readonly groups: readonly ParameterGroup[];
}

const layouts = new WeakMap<SamplerModel, ParameterLayout>();

/**
 * The parameter layout of a compiled model, made once per model (its random effects' names are m q
 * strings: 4,000,000 of them for 2,000,000 levels × 2, which every chain of a run shares).
 */
export function parameterLayout(model: SamplerModel): ParameterLayout {
  let layout = layouts.get(model);
  if (layout === undefined) {
    layout = makeLayout(model);
    layouts.set(model, layout);
  }
  return layout;
}

function makeLayout(model: SamplerModel): ParameterLayout {
  const groups = parameterGroups(stepsFor(model));
  const core = groups.flatMap((g) => g.names);
  const randomEffects: string[] = [];
  for (const f of model.factors)
    for (const level of f.levels)
      for (const name of f.names) randomEffects.push(randomEffectName(f.group, level, name));
  return { core, randomEffects, psiEntries: model.factors.map((_, k) => psiEntries(model, k)), groups };
}

/**
 * Writes the state's core values (beta, the residual parameters, Psi entries) as draw `t` of a
 * parameter-major block with `stride` draws per parameter: out[k * stride + t].
 */
export function writeCore(
  _model: SamplerModel,
  layout: ParameterLayout,
  state: ChainState,
  out: Float64Array,
  stride: number,
  t: number,
): void {
  let row = 0;
  for (const g of layout.groups) {
    g.write(state, out, stride, t, row);
    row += g.names.length;
  }
}

/** Writes the state's random effects as draw `t`, starting at parameter row `first`. */
export function writeRandomEffects(
  state: ChainState,
  out: Float64Array,
  stride: number,
  t: number,
  first: number,
): void {
  let k = first;
  for (const b of state.b) for (let i = 0; i < b.length; i++) out[k++ * stride + t] = b[i]!;
}
