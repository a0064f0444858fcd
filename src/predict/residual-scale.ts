/**
 * The residual model's scale of each row, for prediction and simulation: the precision weights
 * (lme4's `weights =`, e_i ~ N(0, sigma² / w_i)) and nlme's varIdent (row i's sd is sigma delta of
 * its level) give row i the residual sd
 *
 *     sd_i = sigma × f_i,   f_i = delta_{level(i)} / sqrt(w_i)
 *
 * — for a REML/ML fit with the fit's sigma and delta (`fitResidualScale`), and for a posterior at
 * every draw d with that draw's level variances, sd_i,d² = sigma2_{level(i),d} / w_i (`residualPlan`,
 * whose level variances are the parameters `sigma2` (the first level) and `sigma2[GROUP][LEVEL]`).
 *
 * Rows: the model's own rows (their weights and levels), or new rows. A new row has weight 1 (lme4's
 * predict has no weights either: a prediction is of one new observation of unit precision); its
 * varIdent level is read from the model's varIdent column in the new data, and a level the model was
 * not fitted with (or a missing column or value) is a DataError naming the column and the row.
 */
import { type DataInput, toDataTable } from "../data/table";
import { residualVarianceName } from "../draws/names";
import type { Posterior } from "../draws/posterior";
import { ArgumentError, DataError } from "../errors";
import type { LmmModel } from "../model/types";
import type { RemlFit } from "../reml/types";

/** Each row's weight and varIdent level (of the rows predicted or simulated). */
export interface ResidualRows {
  /** n: the rows' precision weights, or null for all 1. */
  readonly weights: Float64Array | null;
  /** n: each row's varIdent level (0-based, the model's levels), or null without varIdent. */
  readonly levels: Int32Array | null;
  /** The varIdent levels' names (empty without varIdent). */
  readonly levelNames: readonly string[];
  /** The varIdent column (null without varIdent). */
  readonly group: string | null;
}

/**
 * The residual rows of the model's own rows (newdata undefined) or of new rows: `rows` are the
 * 0-based rows of `newdata` that the prediction uses (its design's rows).
 *
 * @throws DataError when newdata lacks the varIdent column, or a used row has a missing value or a
 *   level the model was not fitted with (naming the column and the 1-based row)
 */
export function residualRows(model: LmmModel, newdata?: DataInput, rows?: Int32Array): ResidualRows {
  const vi = model.varIdent ?? null;
  if (newdata === undefined)
    return {
      weights: model.weights ?? null,
      levels: vi === null ? null : vi.refs,
      levelNames: vi === null ? [] : vi.levels,
      group: vi === null ? null : vi.group,
    };
  if (vi === null) return { weights: null, levels: null, levelNames: [], group: null };
  const table = toDataTable(newdata);
  const used = rows ?? Int32Array.from({ length: table.nrows }, (_, i) => i);
  const column = table.column(vi.group);
  if (column === undefined)
    throw new DataError(
      "INVALID_DATA",
      `invalid data. The new data must have the varIdent column \`${vi.group}\` (each row's residual variance depends on its level).`,
      { column: vi.group },
    );
  const at = new Map(vi.levels.map((l, k) => [l, k]));
  const levels = new Int32Array(used.length);
  for (let i = 0; i < used.length; i++) {
    const r = used[i]!;
    const raw = column.type === "invalid" ? null : column.values[r];
    const key =
      raw === null || raw === undefined || (typeof raw === "number" && Number.isNaN(raw))
        ? null
        : String(raw);
    const k = key === null ? undefined : at.get(key);
    if (k === undefined)
      throw new DataError(
        "INVALID_DATA",
        key === null
          ? `invalid data. The varIdent column \`${vi.group}\` has no value in row ${r + 1}; a prediction needs the row's level for its residual variance.`
          : `invalid data. The varIdent column \`${vi.group}\` has the level \`${key}\` in row ${r + 1}, which the model was not fitted with (its levels: ${vi.levels.join(", ")}), so the row has no residual variance.`,
        { column: vi.group, row: r + 1 },
      );
    levels[i] = k;
  }
  return { weights: null, levels, levelNames: vi.levels, group: vi.group };
}

/**
 * Each row's residual sd factor f_i = delta_{level(i)} / sqrt(w_i) under a REML/ML fit (its sd is
 * sigma f_i), or null when every factor is 1 (no weights, no varIdent).
 *
 * @param fit - the fit (its `varIdent.delta` when the model has varIdent)
 * @param rows - the rows (default the model's own)
 */
export function fitResidualScale(
  fit: RemlFit,
  rows: ResidualRows = residualRows(fit.model),
): Float64Array | null {
  const { weights, levels } = rows;
  if (weights === null && levels === null) return null;
  const delta = levels === null ? null : fit.varIdent?.delta;
  if (levels !== null && (delta === undefined || delta === null))
    throw new ArgumentError(
      "fit",
      "must have its varIdent ratios (fit.varIdent.delta) for a model with varIdent",
      undefined,
    );
  const n = weights?.length ?? levels!.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = levels === null ? 1 : delta![levels[i]!]!;
    out[i] = weights === null ? d : d / Math.sqrt(weights[i]!);
  }
  return out;
}

/**
 * The fit's model as the weighted model it is at the fit's varIdent ratios: weights w_i /
 * delta_{l(i)}² and no varIdent (the system the fit's theta and sigma solve); the model itself
 * without varIdent.
 */
export function weightedModel(fit: RemlFit): LmmModel {
  const model = fit.model;
  if (model.varIdent === null || model.varIdent === undefined) return model;
  const f = fitResidualScale(fit)!;
  return { ...model, varIdent: null, weights: f.map((v) => 1 / (v * v)) };
}

/** A posterior's residual variance of each row at each draw. */
export interface ResidualPlan {
  /** Whether every row has the same variance sigma2_d (no weights, no varIdent). */
  readonly iid: boolean;
  /** Writes row i's residual variance at pooled draw `src` into out[i]. */
  variances(src: number, out: Float64Array): void;
  /** The mean over the rows of the residual variance at pooled draw `src`. */
  meanVariance(src: number): number;
}

/**
 * The per-row residual variances of a posterior: sigma2_{level(i),d} / w_i.
 *
 * @param posterior - the sampler's result (its `sigma2` and, with varIdent, `sigma2[GROUP][LEVEL]` draws)
 * @param rows - the rows (default the model's own)
 * @throws ArgumentError when a level's variance is not among the posterior's parameters
 */
export function residualPlan(
  posterior: Posterior,
  rows: ResidualRows = residualRows(posterior.model),
): ResidualPlan {
  const size = posterior.chains * posterior.iterations;
  const pv = posterior.values;
  const index = (name: string): number => {
    const k = posterior.parameters.indexOf(name);
    if (k < 0) throw new ArgumentError("posterior", "must have the draws of every residual variance", name);
    return k;
  };
  const levelIndex = [index("sigma2")];
  if (rows.levels !== null)
    for (const level of rows.levelNames.slice(1))
      levelIndex.push(index(residualVarianceName(rows.group!, level)));
  const { weights, levels } = rows;
  const G = levelIndex.length;
  const s2 = new Float64Array(G);
  const fill = (src: number) => {
    for (let l = 0; l < G; l++) s2[l] = pv[levelIndex[l]! * size + src]!;
  };
  const iid = weights === null && levels === null;
  return {
    iid,
    variances(src, out) {
      fill(src);
      for (let i = 0; i < out.length; i++) {
        const v = s2[levels === null ? 0 : levels[i]!]!;
        out[i] = weights === null ? v : v / weights[i]!;
      }
    },
    meanVariance(src) {
      fill(src);
      if (iid) return s2[0]!;
      const n = weights?.length ?? levels!.length;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const v = s2[levels === null ? 0 : levels[i]!]!;
        total += weights === null ? v : v / weights[i]!;
      }
      return total / n;
    },
  };
}
