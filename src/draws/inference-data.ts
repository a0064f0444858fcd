/**
 * ArviZ's InferenceData layout of a posterior, as plain data: groups of variables with named
 * dimensions and coordinates (the netCDF4 file `sample --inference-data` writes from it, through
 * ../node/inference-data-file.ts, is one netCDF group per InferenceData group).
 *
 *     posterior        beta (chain, draw, coefficient), sigma2 (chain, draw), phi (chain, draw; AR(1) only),
 *                      Psi_G (chain, draw, G_coef, G_coef_bis), b_G (chain, draw, G, G_coef)
 *     sample_stats     the sampler's settings as attributes (a conjugate Gibbs sampler has no
 *                      per-draw tuning statistics); `lp` when given (extras)
 *     observed_data    RESPONSE (obs_id)
 *     log_likelihood   RESPONSE (chain, draw, obs_id), when `extras.logLikelihood` is given
 *     posterior_predictive  RESPONSE (chain, draw, obs_id), when `extras.posteriorPredictive` is given
 *
 * Coordinates: chain 0..C−1, draw 0..D−1, coefficient = X's column names, G = the factor's levels
 * (the dimension is named after the grouping factor, with `_level` appended if that name is taken),
 * G_coef = the factor's column names, obs_id = each row's 0-based index in the data as given (rows
 * dropped for missing values are absent).
 *
 * The hook for other results (pointwise log-likelihood, posterior predictive draws): pass them as
 * `PointwiseDraws` in `extras`; each becomes its group with the response's name, as ArviZ expects.
 */
import { ArgumentError } from "../errors";
import { requireRows } from "../model/stats";
import { AR1_PHI_NAME, betaName, psiName, randomEffectName } from "./names";
import type { Posterior } from "./posterior";

/** One variable: dimensions by name, values row-major over them. */
export interface InferenceVariable {
  readonly name: string;
  readonly dims: readonly string[];
  readonly values: Float64Array;
  readonly attrs?: Readonly<Record<string, string | number>>;
}

/** One InferenceData group. */
export interface InferenceGroup {
  readonly name: string;
  /** Coordinate values of every dimension its variables use. */
  readonly coords: Readonly<Record<string, readonly string[] | Int32Array>>;
  readonly variables: readonly InferenceVariable[];
  readonly attrs: Readonly<Record<string, string | number>>;
}

/** An InferenceData object: its groups, in ArviZ's order. */
export interface InferenceData {
  readonly groups: readonly InferenceGroup[];
}

/**
 * Per-row values at every kept draw (a pointwise log-likelihood, posterior predictive draws):
 * `values[(c * iterations + t) * n + i]` is row i at draw t of chain c.
 */
export interface PointwiseDraws {
  readonly chains: number;
  readonly iterations: number;
  readonly n: number;
  readonly values: Float64Array;
}

/** Groups that other parts of the package provide. */
export interface InferenceDataExtras {
  /** Pointwise log-likelihood, log p(y_i | draw): the `log_likelihood` group. */
  readonly logLikelihood?: PointwiseDraws;
  /** Replicated responses, one per draw: the `posterior_predictive` group. */
  readonly posteriorPredictive?: PointwiseDraws;
  /** Per-draw sampler statistics for `sample_stats`, e.g. `lp`: values chain-major (c * iterations + t). */
  readonly sampleStats?: Readonly<Record<string, Float64Array>>;
  /** When the file was made (ISO 8601). @default the current time */
  readonly createdAt?: string;
}

const RESERVED = new Set(["chain", "draw", "coefficient", "obs_id"]);

function range(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/**
 * The InferenceData groups of a posterior.
 *
 * @param posterior - the sampler's result
 * @param extras - groups other parts of the package provide (see `InferenceDataExtras`)
 * @returns the groups, ready for a netCDF writer
 * @throws ArgumentError when an extra's shape does not match the posterior
 * @example inferenceData(post).groups.map((g) => g.name) // ["posterior", "sample_stats", "observed_data"]
 */
export function inferenceData(posterior: Posterior, extras: InferenceDataExtras = {}): InferenceData {
  const { chains, iterations } = posterior;
  const size = chains * iterations;
  const at = new Map(posterior.parameters.map((name, k) => [name, k]));
  const createdAt = extras.createdAt ?? new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const s = posterior.settings;
  const attrs = {
    created_at: createdAt,
    inference_library: "bayes-lmm",
    sampler: "Gibbs (conjugate)",
    formula: posterior.formula,
    seed: s.seed,
    thin: s.thin,
    tuning_steps: s.warmup,
    strategy: s.strategy,
    sampling_time: posterior.seconds,
  };
  // (chain, draw, ...) values of parameters k[0..K), each a block of `size` draws in the Draws layout.
  const gather = (indices: readonly number[]): Float64Array => {
    const K = indices.length;
    const out = new Float64Array(size * K);
    indices.forEach((k, j) => {
      if (k < 0) return; // a structural zero (outside Psi's diagonal blocks)
      const block = posterior.values.subarray(k * size, (k + 1) * size);
      for (let d = 0; d < size; d++) out[d * K + j] = block[d]!;
    });
    return out;
  };
  const index = (name: string) => {
    const k = at.get(name);
    if (k === undefined) throw new ArgumentError("posterior", "must have every parameter of its model", name);
    return k;
  };
  const coords: Record<string, readonly string[] | Int32Array> = {
    chain: range(chains),
    draw: range(iterations),
    coefficient: posterior.fixedNames,
  };
  const variables: InferenceVariable[] = [
    {
      name: "beta",
      dims: ["chain", "draw", "coefficient"],
      values: gather(posterior.fixedNames.map((n) => index(betaName(n)))),
    },
    { name: "sigma2", dims: ["chain", "draw"], values: gather([index("sigma2")]) },
  ];
  // AR(1) residuals: their correlation phi.
  if (at.has(AR1_PHI_NAME))
    variables.push({ name: AR1_PHI_NAME, dims: ["chain", "draw"], values: gather([index(AR1_PHI_NAME)]) });
  for (const f of posterior.factors) {
    const levelDim = RESERVED.has(f.group) || coords[f.group] !== undefined ? `${f.group}_level` : f.group;
    const coefDim = `${f.group}_coef`;
    const bisDim = `${f.group}_coef_bis`;
    coords[levelDim] = f.levels;
    coords[coefDim] = f.names;
    coords[bisDim] = f.names;
    const q = f.names.length;
    const psi: number[] = [];
    const blockOf = (i: number) => f.blocks.findIndex((b) => i >= b.start && i < b.start + b.size);
    for (let i = 0; i < q; i++)
      for (let j = 0; j < q; j++) {
        if (blockOf(i) !== blockOf(j)) psi.push(-1);
        else psi.push(index(psiName(f.group, f.names[Math.min(i, j)]!, f.names[Math.max(i, j)]!)));
      }
    variables.push({ name: `Psi_${f.group}`, dims: ["chain", "draw", coefDim, bisDim], values: gather(psi) });
    if (posterior.randomEffects === "draws")
      variables.push({
        name: `b_${f.group}`,
        dims: ["chain", "draw", levelDim, coefDim],
        values: gather(
          f.levels.flatMap((level) => f.names.map((n) => index(randomEffectName(f.group, level, n)))),
        ),
      });
  }
  const model = posterior.model;
  requireRows(model, "InferenceData's observed_data group (the response per row)");
  const obsCoords = { obs_id: Int32Array.from(model.rows) };
  const groups: InferenceGroup[] = [
    { name: "posterior", coords, variables, attrs },
    {
      name: "sample_stats",
      coords: { chain: range(chains), draw: range(iterations) },
      variables: Object.entries(extras.sampleStats ?? {}).map(([name, values]) => {
        if (values.length !== size)
          throw new ArgumentError(
            `extras.sampleStats.${name}`,
            `must have ${size} values (chains × draws)`,
            values,
          );
        return { name, dims: ["chain", "draw"], values };
      }),
      attrs,
    },
    {
      name: "observed_data",
      coords: obsCoords,
      variables: [{ name: model.response, dims: ["obs_id"], values: Float64Array.from(model.y) }],
      attrs: { created_at: createdAt, inference_library: "bayes-lmm" },
    },
  ];
  const pointwise = (group: string, draws: PointwiseDraws | undefined, argument: string) => {
    if (draws === undefined) return;
    if (draws.chains !== chains || draws.iterations !== iterations || draws.n !== model.n)
      throw new ArgumentError(
        argument,
        `must have the posterior's ${chains} chains × ${iterations} draws × ${model.n} rows`,
        `${draws.chains} × ${draws.iterations} × ${draws.n}`,
      );
    groups.push({
      name: group,
      coords: { chain: range(chains), draw: range(iterations), ...obsCoords },
      variables: [{ name: model.response, dims: ["chain", "draw", "obs_id"], values: draws.values }],
      attrs: { created_at: createdAt, inference_library: "bayes-lmm" },
    });
  };
  pointwise("posterior_predictive", extras.posteriorPredictive, "extras.posteriorPredictive");
  pointwise("log_likelihood", extras.logLikelihood, "extras.logLikelihood");
  return { groups };
}
