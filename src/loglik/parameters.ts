/**
 * The model's parameters read from draws by their names (CLI.md): `beta[COLNAME]`, `sigma2`,
 * `Psi[GROUP][NAME_i,NAME_j]` (i ≤ j within Psi's diagonal blocks), `b[GROUP][LEVEL,NAME]` — so any
 * draws with these names work: a `Posterior`, a draws CSV read back, Stan draws renamed. Each
 * parameter is a view of its S draws (chain by chain), not a copy.
 */
import type { Draws } from "../draws/types";
import { ArgumentError } from "../errors";
import { logdetFromCholesky } from "../linalg/logdetFromCholesky";
import { potrf } from "../linalg/potrf";
import { potri } from "../linalg/potri";
import { symmetrize } from "../linalg/symmetrize";
import type { LmmModel } from "../model/types";
import type { GroupingFactor } from "../priors/factors";

/** One parameter per draw. */
export type DrawView = Float64Array;

/** The draws a log-likelihood needs. */
export interface ParameterDraws {
  /** Number of draws S = chains × iterations. */
  readonly S: number;
  readonly beta: readonly DrawView[];
  readonly sigma2: DrawView;
  /** Per factor, per (row, column) of Psi: its draws (zeros outside the diagonal blocks), or null when not read. */
  readonly psi: readonly ((DrawView | null)[] | null)[];
  /** Per factor, per (level, column) (level-major): the random effects' draws, or null when not read. */
  readonly b: readonly (DrawView[] | null)[];
}

function viewOf(draws: Draws, index: Map<string, number>, name: string, why: () => string): DrawView {
  const k = index.get(name);
  if (k === undefined) throw new ArgumentError("draws", why(), name);
  const S = draws.chains * draws.iterations;
  return draws.values.subarray(k * S, (k + 1) * S);
}

/**
 * Views of the draws of beta, sigma2 and — for the factors asked for — Psi and b.
 *
 * @param model - the model the draws are of
 * @param factors - its grouping factors (`groupingFactors(model)`)
 * @param draws - the draws
 * @param needPsi - per factor, whether its Psi is needed
 * @param needB - per factor, whether its random effects are needed
 * @throws ArgumentError naming the first missing parameter (and saying how to keep random effects)
 */
export function parameterDraws(
  model: LmmModel,
  factors: readonly GroupingFactor[],
  draws: Draws,
  needPsi: readonly boolean[],
  needB: readonly boolean[],
): ParameterDraws {
  const S = draws.chains * draws.iterations;
  if (!(S > 0) || draws.values.length !== draws.parameters.length * S)
    throw new ArgumentError("draws", "must hold chains × iterations draws of every parameter", S);
  const index = new Map(draws.parameters.map((name, k) => [name, k]));
  const missing = () => `must hold the draws of every parameter of the model \`${model.formula}\``;
  const beta = model.fixedNames.map((name) => viewOf(draws, index, `beta[${name}]`, missing));
  const sigma2 = viewOf(draws, index, "sigma2", missing);
  const psi = factors.map((f, k) => {
    if (!needPsi[k]) return null;
    const q = f.q;
    const out: (DrawView | null)[] = new Array(q * q).fill(null);
    for (const block of f.blocks)
      for (let i = block.start; i < block.start + block.size; i++)
        for (let j = i; j < block.start + block.size; j++) {
          const v = viewOf(draws, index, `Psi[${f.group}][${f.names[i]},${f.names[j]}]`, missing);
          out[i * q + j] = v;
          out[j * q + i] = v;
        }
    return out;
  });
  const b = factors.map((f, k) => {
    if (!needB[k]) return null;
    const out: DrawView[] = [];
    for (const level of f.levels)
      for (const name of f.names)
        out.push(
          viewOf(
            draws,
            index,
            `b[${f.group}][${level},${name}]`,
            () =>
              `must hold the draws of the random effects of \`${f.group}\`, which this log-likelihood takes as drawn (a posterior that kept only their summaries cannot give it: sample with randomEffects: "draws")`,
          ),
        );
    return out;
  });
  return { S, beta, sigma2, psi, b };
}

/**
 * Per draw, Psi⁻¹ (q × q, row-major) and log |Psi| of one factor.
 *
 * @param q - order of Psi
 * @param psi - the views from {@link parameterDraws} (null outside the diagonal blocks)
 * @param S - number of draws
 * @param group - the factor's name (for errors)
 * @returns precision[s q² + ...] and logdet[s]
 * @throws ArgumentError when a drawn Psi is not positive definite (naming the draw)
 */
export function psiPrecisions(
  q: number,
  psi: readonly (DrawView | null)[],
  S: number,
  group: string,
): { precision: Float64Array; logdet: Float64Array } {
  const precision = new Float64Array(S * q * q);
  const logdet = new Float64Array(S);
  const qq = q * q;
  for (let s = 0; s < S; s++) {
    const o = s * qq;
    for (let e = 0; e < qq; e++) precision[o + e] = psi[e] === null ? 0 : psi[e]![s]!;
    if (potrf(q, precision, q, 1, o) !== 0)
      throw new ArgumentError(
        `draws: Psi[${group}]`,
        `must be positive definite at every draw (draw ${s + 1} is not)`,
        s + 1,
      );
    logdet[s] = logdetFromCholesky(q, precision, q, 1, o);
    potri(q, precision, q, 1, o);
    symmetrize("lower", q, precision, q, 1, o);
  }
  return { precision, logdet };
}
