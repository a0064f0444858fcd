/**
 * Posterior predictions from every draw of a Posterior (brms's `posterior_linpred`,
 * `posterior_epred`, `posterior_predict`), for the model's own rows or new data:
 *
 *     linpred   mu_d = offset + X beta_d + sum_{k in re} Z_k b_kd
 *     epred     E[y | draw d] = mu_d                     (Gaussian, identity link: the same numbers)
 *     predict   y_rep,d,i = mu_d,i + s_d,i e_d,i,  e_d,i ~ N(0, 1)   (seeded)
 *
 * s_d,i² the row's residual variance at draw d (./residual-scale.ts): sigma2_d without weights or
 * varIdent; sigma2_{level(i),d} / w_i with them (a new row has weight 1, its varIdent level is read
 * from the new data's varIdent column). With AR(1) residuals (the model's `ar1`) the noise of the
 * model's own rows is AR(1) along each chain at that draw's phi_d: e_start = s_d z, e_t = a e_prev +
 * s_d sqrt(1 - a²) z, a = phi_d^lag (nlme's corAR1; new rows are refused: their chains' times are not
 * modelled here).
 *
 * `re` chooses the random-effects terms (./newdata.ts: "all", "none" or a list of term labels or
 * grouping factors). A level of an included term not seen in training gets, under `newLevels`:
 * "error" (a DataError naming it), "population" (effects 0) or "sample" — brms's
 * `sample_new_levels = "gaussian"`: at every draw d, one b_new ~ N(0, Psi_kd) per new level (shared by
 * all of its rows), from the term's diagonal block of its factor's Psi at that draw.
 *
 * The random effects must be kept as draws (`gibbs(model, { randomEffects: "draws" })`) when a term
 * is included; with `re: "none"` only beta, sigma2 and (for "sample") Psi are read.
 *
 * Result layout (the `PointwiseDraws` of ../draws/inference-data.ts, so that the InferenceData
 * `posterior_predictive` group takes it as it is): `values[(c * iterations + t) * n + i]` is row i at
 * draw t of chain c.
 *
 * @see Bürkner (2017) brms: An R package for Bayesian multilevel models using Stan, JSS 80(1),
 *   doi:10.18637/jss.v080.i01; Gelman et al. (2013) Bayesian Data Analysis, 3rd ed., ch. 6.
 */
import type { DataInput } from "../data/table";
import { applyRecipe } from "../design/recipe";
import type { PointwiseDraws } from "../draws/inference-data";
import { AR1_PHI_NAME, betaName, psiName, randomEffectName } from "../draws/names";
import type { Posterior } from "../draws/posterior";
import { ArgumentError } from "../errors";
import { formatBytes, MAX_ARRAY_LENGTH } from "../limits";
import { potrf } from "../linalg/potrf";
import { Random } from "../random/generator";
import { normal } from "../random/normal";
import { checkOptionKinds, checkPosteriorArgument } from "../validate";
import { type NewLevelsRule, type PredictionRows, predictionRows, type ReForm } from "./newdata";
import { type ResidualPlan, residualPlan, residualRows } from "./residual-scale";

/** What a posterior prediction is of. */
export type PredictiveKind = "linpred" | "epred" | "predict";

/** Options of `posteriorLinpred`, `posteriorEpred` and `posteriorPredict`. */
export interface PosteriorPredictionOptions {
  /** New rows; the model's own rows when absent. */
  readonly newdata?: DataInput;
  /** Random-effects terms included: "all", "none", or term labels / grouping factors. @default "all" */
  readonly re?: ReForm;
  /** What a new level of an included term gets: "error", "population" (0) or "sample" (N(0, Psi) per draw). @default "error" */
  readonly newLevels?: NewLevelsRule;
  /** Seed of the residual noise (`posteriorPredict`) and of new levels' effects ("sample"). @default 1 */
  readonly seed?: number;
  /**
   * Use only this many draws, evenly spaced over all chains' draws (brms's `ndraws`; for pictures of
   * a few replicated data sets). The result then has one chain. @default every draw
   */
  readonly ndraws?: number;
}

/** Posterior predictive draws of some rows (see the file comment for the layout). */
export interface PredictiveDraws extends PointwiseDraws {
  readonly kind: PredictiveKind;
  /** For each column i, its 0-based row in the data given (new data, or the model's data). */
  readonly rows: Int32Array;
  /** Rows of the new data dropped for a missing predictor. */
  readonly dropped: number;
  /** Labels of the random-effects terms included. */
  readonly re: readonly string[];
  readonly newLevels: NewLevelsRule;
  /** The observed response of the rows, when they are the model's own; else null. */
  readonly y: Float64Array | null;
}

const KINDS_OF_OPTIONS = {
  seed: "number",
  ndraws: "number",
  newLevels: "string",
} as const;

/**
 * Draws of the linear predictor mu = offset + X beta + Z b (brms's `posterior_linpred`).
 *
 * @param posterior - the sampler's result (random effects kept as draws unless `re: "none"`)
 * @param options - newdata, re, newLevels, seed (for "sample"), ndraws
 * @returns draws × rows of mu
 * @throws ArgumentError for a bad option or missing random-effect draws; DataError for a new level
 *   under "error", an unknown factor level or a missing column of newdata
 * @example
 * const post = gibbsSync(lmm("Reaction ~ Days + (Days | Subject)", sleepstudy), { randomEffects: "draws" });
 * posteriorLinpred(post, { newdata: [{ Days: 5, Subject: "308" }] }).values.length; // chains × iter
 */
export function posteriorLinpred(
  posterior: Posterior,
  options: PosteriorPredictionOptions = {},
): PredictiveDraws {
  return predictiveDraws(posterior, options, "linpred");
}

/**
 * Draws of the expected response E[y | draw] (brms's `posterior_epred`): for this Gaussian model with
 * identity link, the linear predictor itself.
 *
 * @param posterior - the sampler's result
 * @param options - as `posteriorLinpred`
 * @returns draws × rows of E[y | draw]
 */
export function posteriorEpred(
  posterior: Posterior,
  options: PosteriorPredictionOptions = {},
): PredictiveDraws {
  return predictiveDraws(posterior, options, "epred");
}

/**
 * Draws of replicated responses y_rep = mu + sigma e, e ~ N(0, I), one per draw (brms's
 * `posterior_predict`): the posterior predictive distribution of each row.
 *
 * @param posterior - the sampler's result
 * @param options - as `posteriorLinpred`; `seed` makes the noise (and new levels' effects) reproducible
 * @returns draws × rows of y_rep
 * @example posteriorPredict(post, { seed: 7 }).values // the same numbers on every run
 */
export function posteriorPredict(
  posterior: Posterior,
  options: PosteriorPredictionOptions = {},
): PredictiveDraws {
  return predictiveDraws(posterior, options, "predict");
}

/** One included term, ready per draw. */
interface TermPlan {
  readonly q: number;
  readonly refs: Int32Array;
  readonly values: Float64Array;
  /** Training levels used by the rows (indices into the term's levels). */
  readonly used: Int32Array;
  /** Slot of each row's level among `used`, or -1 for a new level (or an unused one). */
  readonly slot: Int32Array;
  /** Parameter index of each used level's first column (its columns follow). */
  readonly first: Int32Array;
  /** For "sample": each row's new-level number (-1 for a known level). */
  readonly newSlot: Int32Array;
  readonly newCount: number;
  /** Psi's entries of the term's block, row-major q × q (parameter indices), for "sample". */
  readonly psi: Int32Array;
}

/**
 * Posterior predictions evaluated one draw at a time, in order, into a caller's buffer: O(rows)
 * memory however many draws (what `bayesR2` and the pictures use on large data). Draw d must be
 * asked for in increasing order for the seeded noise to be the same as `posteriorPredict`'s.
 */
export interface PredictiveEvaluator {
  readonly kind: PredictiveKind;
  /** Rows predicted. */
  readonly n: number;
  readonly chains: number;
  readonly iterations: number;
  readonly rows: Int32Array;
  readonly dropped: number;
  readonly re: readonly string[];
  readonly newLevels: NewLevelsRule;
  readonly y: Float64Array | null;
  /** sigma2 at draw d (of the draws this evaluator runs over; the first level's with varIdent). */
  sigma2(d: number): number;
  /**
   * The mean over the rows of each row's residual variance at draw d, sigma2_{level(i),d} / w_i
   * (sigma2(d) without weights or varIdent).
   */
  meanResidualVariance(d: number): number;
  /** Writes the n predictions of draw d (0 ≤ d < chains × iterations, increasing) into `out`. */
  evaluate(d: number, out: Float64Array): void;
}

/**
 * The evaluator behind `posteriorLinpred`, `posteriorEpred` and `posteriorPredict` (same options,
 * same numbers, one draw at a time).
 *
 * @param posterior - the sampler's result
 * @param options - as `posteriorLinpred`
 * @param kind - what to predict @default "linpred"
 * @returns the evaluator
 * @throws as `posteriorLinpred`
 */
export function predictiveEvaluator(
  posterior: Posterior,
  options: PosteriorPredictionOptions = {},
  kind: PredictiveKind = "linpred",
): PredictiveEvaluator {
  checkPosteriorArgument(posterior);
  checkOptionKinds(options, KINDS_OF_OPTIONS);
  if (kind !== "linpred" && kind !== "epred" && kind !== "predict")
    throw new ArgumentError("kind", 'must be "linpred", "epred" or "predict"', kind);
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new ArgumentError("options.seed", "must be an integer", seed);
  const size = posterior.chains * posterior.iterations;
  const ndraws = options.ndraws;
  if (ndraws !== undefined && !(Number.isInteger(ndraws) && ndraws >= 1 && ndraws <= size))
    throw new ArgumentError(
      "options.ndraws",
      `must be an integer from 1 to ${size} (the draws kept)`,
      ndraws,
    );
  const rule = options.newLevels ?? "error";
  const rows = predictionRows(posterior.model, options.newdata, {
    ...(options.re === undefined ? {} : { re: options.re }),
    newLevels: rule,
  });
  const n = rows.n;
  const chains = ndraws === undefined ? posterior.chains : 1;
  const iterations = ndraws === undefined ? posterior.iterations : ndraws;
  const at = new Map(posterior.parameters.map((name, k) => [name, k]));
  const need = (name: string, what: string): number => {
    const k = at.get(name);
    if (k === undefined) throw new ArgumentError("posterior", what, name);
    return k;
  };
  const betaIndex = Int32Array.from(rows.fixedNames, (name) =>
    need(betaName(name), "must have every fixed effect's draws"),
  );
  const sigma2Index = need("sigma2", "must have sigma2's draws");
  const ar1 = kind === "predict" ? (posterior.model.ar1 ?? null) : null;
  if (ar1 !== null && !rows.training)
    throw new ArgumentError(
      "options.newdata",
      "has no AR(1) chains: replicated data with AR(1) residuals are of the model's own rows (leave newdata out, or ask for the mean: posteriorEpred)",
      "newdata",
    );
  const phiIndex = ar1 === null ? -1 : need(AR1_PHI_NAME, "must have phi's draws (AR(1) residuals)");
  const included = rows.terms.filter((t) => t.included);
  const newRefs =
    rule === "sample" && options.newdata !== undefined && included.some((t) => t.newLevels.length > 0)
      ? newLevelRefs(
          posterior,
          options.newdata,
          included.map((t) => t.label),
        )
      : null;
  const plans = included.map((t) => termPlan(posterior, rows, t.index, rule, need, newRefs));
  const rng = Random.fromSeed(seed, 0);
  const p = rows.p;
  const { X, offset } = rows;
  const beta = new Float64Array(p);
  const maxQ = plans.reduce((m, t) => Math.max(m, t.q), 1);
  const chol = new Float64Array(maxQ * maxQ);
  const z = new Float64Array(maxQ);
  const buffers = plans.map((t) => ({
    b: new Float64Array(t.used.length * t.q),
    bNew: new Float64Array(t.newCount * t.q),
  }));
  const pv = posterior.values;
  // The source draw: every draw, or ndraws evenly spaced ones (chain-major pooled index).
  const source = (d: number) => (ndraws === undefined ? d : Math.floor(((d + 0.5) * size) / ndraws));
  // The rows' residual variances: needed for the noise, or asked for (bayesR2); read from new data
  // (its varIdent column) only then.
  let plan: ResidualPlan | null = null;
  const residual = (): ResidualPlan => {
    plan ??= residualPlan(
      posterior,
      residualRows(posterior.model, options.newdata, rows.training ? undefined : rows.rows),
    );
    return plan;
  };
  if (kind === "predict") residual();
  const variances = new Float64Array(n);
  let next = 0;
  return {
    kind,
    n,
    chains,
    iterations,
    rows: rows.rows,
    dropped: rows.dropped,
    re: included.map((t) => t.label),
    newLevels: rule,
    y: rows.training ? posterior.model.y : null,
    sigma2: (d) => pv[sigma2Index * size + source(d)]!,
    meanResidualVariance: (d) => residual().meanVariance(source(d)),
    evaluate(d, out) {
      if (d !== next)
        throw new Error(`internal: predictive draws must be evaluated in order (asked ${d}, next ${next})`);
      next++;
      const src = source(d);
      for (let j = 0; j < p; j++) beta[j] = pv[betaIndex[j]! * size + src]!;
      for (let i = 0; i < n; i++) {
        let mu = offset === null ? 0 : offset[i]!;
        for (let j = 0; j < p; j++) mu += X[i * p + j]! * beta[j]!;
        out[i] = mu;
      }
      plans.forEach((t, k) => {
        const { b, bNew } = buffers[k]!;
        const q = t.q;
        for (let u = 0; u < t.used.length; u++)
          for (let a = 0; a < q; a++) b[u * q + a] = pv[(t.first[u]! + a) * size + src]!;
        if (t.newCount > 0) drawNewLevels(rng, t, pv, size, src, chol, z, bNew);
        for (let i = 0; i < n; i++) {
          const s = t.slot[i]!;
          let from: Float64Array;
          let at0: number;
          if (s >= 0) {
            from = b;
            at0 = s * q;
          } else if (t.newSlot[i]! >= 0) {
            from = bNew;
            at0 = t.newSlot[i]! * q;
          } else continue; // a new level under "population": effects 0
          let sum = 0;
          for (let a = 0; a < q; a++) sum += t.values[i * q + a]! * from[at0 + a]!;
          out[i] = out[i]! + sum;
        }
      });
      if (ar1 !== null) {
        // AR(1) noise along each chain, in chain order (the rows are the model's own).
        const sigma = Math.sqrt(pv[sigma2Index * size + src]!);
        const phi = pv[phiIndex * size + src]!;
        let previous = 0;
        for (let j = 0; j < n; j++) {
          const lag = ar1.lags[j]!;
          let a = 0;
          if (lag > 0) {
            a = 1;
            for (let l = 0; l < lag; l++) a *= phi;
          }
          const e = a * previous + sigma * Math.sqrt((1 - a) * (1 + a)) * normal(rng);
          const i = ar1.order[j]!;
          out[i] = out[i]! + e;
          previous = e;
        }
      } else if (kind === "predict") {
        const r = residual();
        if (r.iid) {
          const sigma = Math.sqrt(pv[sigma2Index * size + src]!);
          for (let i = 0; i < n; i++) out[i] = out[i]! + sigma * normal(rng);
        } else {
          r.variances(src, variances);
          for (let i = 0; i < n; i++) out[i] = out[i]! + Math.sqrt(variances[i]!) * normal(rng);
        }
      }
    },
  };
}

function predictiveDraws(
  posterior: Posterior,
  options: PosteriorPredictionOptions,
  kind: PredictiveKind,
): PredictiveDraws {
  const ev = predictiveEvaluator(posterior, options, kind);
  const { n, chains, iterations } = ev;
  const D = chains * iterations;
  if (D * n > MAX_ARRAY_LENGTH)
    throw new ArgumentError(
      "options",
      `would make ${D.toLocaleString("en-US")} draws × ${n.toLocaleString("en-US")} rows (${formatBytes(8 * D * n)}), more than one array holds: ask for fewer draws (ndraws) or rows`,
      D * n,
    );
  const values = new Float64Array(D * n);
  for (let d = 0; d < D; d++) ev.evaluate(d, values.subarray(d * n, (d + 1) * n));
  return {
    kind,
    chains,
    iterations,
    n,
    values,
    rows: ev.rows,
    dropped: ev.dropped,
    re: ev.re,
    newLevels: ev.newLevels,
    y: ev.y,
  };
}

/** Draws each new level's effects of one term at draw `src`: b_new = L z, L L' = Psi's block. */
function drawNewLevels(
  rng: Random,
  t: TermPlan,
  pv: Float64Array,
  size: number,
  src: number,
  chol: Float64Array,
  z: Float64Array,
  bNew: Float64Array,
): void {
  const q = t.q;
  for (let a = 0; a < q; a++)
    for (let c = 0; c <= a; c++) chol[a * q + c] = pv[t.psi[a * q + c]! * size + src]!;
  const info = potrf(q, chol, q, 1, 0);
  if (info !== 0)
    throw new ArgumentError(
      "posterior",
      `has a Psi draw (draw ${src + 1}) that is not positive definite, so a new level's effects cannot be drawn from it`,
      info,
    );
  for (let l = 0; l < t.newCount; l++) {
    for (let a = 0; a < q; a++) z[a] = normal(rng);
    for (let a = 0; a < q; a++) {
      let s = 0;
      for (let c = 0; c <= a; c++) s += chol[a * q + c]! * z[c]!;
      bNew[l * q + a] = s;
    }
  }
}

function termPlan(
  posterior: Posterior,
  rows: PredictionRows,
  termIndex: number,
  rule: NewLevelsRule,
  need: (name: string, what: string) => number,
  newRefs: Map<string, Int32Array> | null,
): TermPlan {
  const term = rows.terms.find((t) => t.index === termIndex)!;
  const { q, refs, values } = term;
  const n = rows.n;
  const slot = new Int32Array(n).fill(-1);
  const levelSlot = new Map<number, number>();
  const used: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = refs[i]!;
    if (r < 0) continue;
    let s = levelSlot.get(r);
    if (s === undefined) {
      s = used.length;
      levelSlot.set(r, s);
      used.push(r);
    }
    slot[i] = s;
  }
  const known = used.length > 0;
  if (known && posterior.randomEffects !== "draws")
    throw new ArgumentError(
      "posterior",
      `must keep its random effects' draws to predict with the term \`${term.label}\` (gibbs(model, { randomEffects: "draws" })), or leave the term out (re: "none")`,
      posterior.randomEffects,
    );
  const first = Int32Array.from(used, (level) =>
    need(
      randomEffectName(term.group, term.levels[level]!, term.names[0]!),
      "must have the random effects of its model",
    ),
  );
  // The columns of a term follow each other among the level's parameters only if the factor has
  // this one term or the term is its first; check every column's index, not just the first.
  for (let u = 0; u < used.length; u++)
    for (let a = 1; a < q; a++) {
      const k = need(
        randomEffectName(term.group, term.levels[used[u]!]!, term.names[a]!),
        "must have the random effects of its model",
      );
      if (k !== first[u]! + a)
        throw new Error(`internal: the random effects of \`${term.label}\` are not in column order`);
    }
  const newSlot = new Int32Array(n).fill(-1);
  let newCount = 0;
  const psi = new Int32Array(q * q).fill(-1);
  if (rule === "sample" && term.newLevels.length > 0) {
    const rowsNew = newRefs?.get(term.label);
    if (rowsNew === undefined || rowsNew.length !== n)
      throw new Error(`internal: the new levels of \`${term.label}\` are not matched to their rows`);
    newSlot.set(rowsNew);
    newCount = term.newLevels.length;
    for (let a = 0; a < q; a++)
      for (let c = 0; c <= a; c++)
        psi[a * q + c] = need(
          psiName(term.group, term.names[c]!, term.names[a]!),
          "must have the Psi draws of its model",
        );
  }
  return { q, refs, values, used: Int32Array.from(used), slot, first, newSlot, newCount, psi };
}

/**
 * Which new level each row of each included term has (index into the term's `newLevels`, or -1), by
 * label: the prediction rows mark every new level with refs -1, so the design is built once more
 * with the included terms (the same rows are used: the same columns are read).
 */
function newLevelRefs(
  posterior: Posterior,
  newdata: DataInput,
  labels: readonly string[],
): Map<string, Int32Array> {
  const recipe = posterior.model.recipe!;
  const keep = new Set(labels);
  const design = applyRecipe({ ...recipe, random: recipe.random.filter((r) => keep.has(r.label)) }, newdata);
  return new Map(design.terms.map((t) => [t.label, t.newRefs]));
}
