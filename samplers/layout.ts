/**
 * Which values a draw records, in which order, under which names (CLI.md; the names are written by
 * src/draws/names.ts):
 *     beta[COLNAME] (X's column order), sigma2, Psi[GROUP][NAME_i,NAME_j] (i <= j, within each diagonal
 *     block, row by row), then — when kept as draws — b[GROUP][LEVEL,NAME] (level-major).
 */
import { betaName, psiName, randomEffectName } from "../src/draws/names";
import type { ChainState } from "./state";
import type { SamplerModel } from "./types";

export interface ParameterLayout {
  /** Names of beta, sigma2 and Psi: the "core" parameters (always kept, warmup included). */
  readonly core: readonly string[];
  /** Names of the random effects, in the order they are written. */
  readonly randomEffects: readonly string[];
  /** Per factor, the (i, j) of each recorded Psi entry, flattened [i0, j0, i1, j1, ...]. */
  readonly psiEntries: readonly Int32Array[];
}

/** The parameter layout of a compiled model. */
export function parameterLayout(model: SamplerModel): ParameterLayout {
  const core: string[] = model.fixedNames.map(betaName);
  core.push("sigma2");
  const psiEntries: Int32Array[] = [];
  for (const f of model.factors) {
    const pairs: number[] = [];
    for (let blk = 0; blk < f.blockStarts.length; blk++) {
      const st = f.blockStarts[blk]!;
      const sz = f.blockSizes[blk]!;
      for (let i = st; i < st + sz; i++)
        for (let j = i; j < st + sz; j++) {
          pairs.push(i, j);
          core.push(psiName(f.group, f.names[i]!, f.names[j]!));
        }
    }
    psiEntries.push(Int32Array.from(pairs));
  }
  const randomEffects: string[] = [];
  for (const f of model.factors)
    for (const level of f.levels)
      for (const name of f.names) randomEffects.push(randomEffectName(f.group, level, name));
  return { core, randomEffects, psiEntries };
}

/**
 * Writes the state's core values (beta, sigma2, Psi entries) as draw `t` of a parameter-major block
 * with `stride` draws per parameter: out[k * stride + t].
 */
export function writeCore(
  model: SamplerModel,
  layout: ParameterLayout,
  state: ChainState,
  out: Float64Array,
  stride: number,
  t: number,
): void {
  let k = 0;
  for (let a = 0; a < model.p; a++) out[k++ * stride + t] = model.beta0[a]! + state.delta[a]!;
  out[k++ * stride + t] = state.sigma2;
  for (let f = 0; f < model.factors.length; f++) {
    const q = model.factors[f]!.q;
    const psi = state.psi[f]!;
    const pairs = layout.psiEntries[f]!;
    for (let e = 0; e < pairs.length; e += 2) out[k++ * stride + t] = psi[pairs[e]! * q + pairs[e + 1]!]!;
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
