/**
 * `predict(fit, options)`: predictions of a REML/ML fit for its own rows or new data, as lme4's
 * `predict.merMod` makes them, with confidence or prediction intervals from the conditional variances
 * (the formula is in ./README.md).
 */
import type { DataInput } from "../data/table";
import { ArgumentError } from "../errors";
import { requireRows } from "../model/stats";
import type { RemlFit } from "../reml/types";
import { normalQuantile } from "../stats/distributions";
import { checkFitArgument, checkOptionKinds } from "../validate";
import { conditionalFactor, solvedSquaredNorm } from "./conditional";
import { type PredictionRows, predictionRows, type ReForm } from "./newdata";
import { fitResidualScale, residualRows } from "./residual-scale";

/** Which interval `predict` gives. */
export type PredictInterval = "none" | "confidence" | "prediction";

/** Options of `predict`. */
export interface PredictOptions {
  /** New rows; the fit's own rows when absent. */
  readonly newdata?: DataInput;
  /** Random-effects terms included: "all" (lme4's re.form = NULL), "none" (NA), or a list. @default "all" */
  readonly re?: ReForm;
  /** A new level of an included term: "error" (lme4's default) or "population" (its effects are 0). @default "error" */
  readonly newLevels?: "error" | "population";
  /** @default "none" */
  readonly interval?: PredictInterval;
  /** Confidence level of the interval. @default 0.95 */
  readonly level?: number;
}

/** What `predict` returns. */
export interface Prediction {
  /** The predictions, one per row used. */
  readonly fit: Float64Array;
  /** The standard error of `fit` for the interval asked (null with interval "none"). */
  readonly se: Float64Array | null;
  readonly lower: Float64Array | null;
  readonly upper: Float64Array | null;
  /** For each prediction, its 0-based row in the data given (new data, or the model's data). */
  readonly rows: Int32Array;
  /** Rows of the new data dropped for a missing predictor. */
  readonly dropped: number;
  readonly interval: PredictInterval;
  readonly level: number;
  /** The labels of the random-effects terms included. */
  readonly re: readonly string[];
}

const INTERVALS: readonly PredictInterval[] = ["none", "confidence", "prediction"];

/**
 * Predictions of a REML/ML fit: offset + X beta + sum over the included terms of Z_k b_k, b the
 * conditional modes (lme4's `predict(fit, newdata, re.form, allow.new.levels)`). A new level's effects
 * are 0 under `newLevels: "population"`.
 *
 * Intervals (normal quantiles, given theta and sigma; ./README.md): `confidence` covers the
 * conditional mean x'beta + sum_{k in re} z_k'b_k, with variance sigma² |L_M^{-1} c|² for
 * c = (Lambda'z, x) on the known levels, plus z'Psi_k z for each new level; `prediction` covers a new
 * observation, adding sigma² and z'Psi_k z for every term `re` leaves out.
 *
 * @param fit - a REML or ML fit
 * @param options - newdata, re, newLevels, interval, level
 * @returns the predictions (and intervals) per row used
 * @throws ArgumentError for a bad option; DataError for a new level under "error", a factor level not
 *   seen in training, or a missing column
 * @example
 * const fit = reml(lmm("Reaction ~ Days + (Days | Subject)", sleepstudy));
 * predict(fit, { newdata: [{ Days: 5, Subject: "308" }] }).fit; // [ 330.12 ] (lme4: 330.1225)
 * @see Bates et al. (2015) doi:10.18637/jss.v067.i01
 */
export function predict(fit: RemlFit, options: PredictOptions = {}): Prediction {
  checkFitArgument(fit);
  if (options.newdata === undefined)
    requireRows(fit.model, "Predictions for the model's rows (give newdata)");
  checkOptionKinds(options, { interval: "string", level: "number", newLevels: "string" });
  const interval = options.interval ?? "none";
  if (!INTERVALS.includes(interval))
    throw new ArgumentError("options.interval", 'must be "none", "confidence" or "prediction"', interval);
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new ArgumentError("options.level", "must be between 0 and 1", level);
  const rows = predictionRows(fit.model, options.newdata, {
    ...(options.re === undefined ? {} : { re: options.re }),
    ...(options.newLevels === undefined ? {} : { newLevels: options.newLevels }),
    allowedNewLevels: ["error", "population"],
    keepExcluded: interval === "prediction",
  });
  const values = pointPredictions(fit, rows);
  const re = rows.terms.filter((t) => t.included).map((t) => t.label);
  if (interval === "none")
    return {
      fit: values,
      se: null,
      lower: null,
      upper: null,
      rows: rows.rows,
      dropped: rows.dropped,
      interval,
      level,
      re,
    };
  const scale =
    interval === "prediction"
      ? fitResidualScale(fit, residualRows(fit.model, options.newdata, rows.training ? undefined : rows.rows))
      : null;
  const se = predictionSe(fit, rows, interval === "prediction", scale);
  const z = normalQuantile((1 + level) / 2);
  const lower = values.map((v, i) => v - z * se[i]!);
  const upper = values.map((v, i) => v + z * se[i]!);
  return { fit: values, se, lower, upper, rows: rows.rows, dropped: rows.dropped, interval, level, re };
}

/** offset + X beta + sum over included terms with a known level of z'b. */
function pointPredictions(fit: RemlFit, rows: PredictionRows): Float64Array {
  const { n, p, X, offset } = rows;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = offset === null ? 0 : offset[i]!;
    for (let j = 0; j < p; j++) v += X[i * p + j]! * fit.beta[j]!;
    out[i] = v;
  }
  for (const t of rows.terms) {
    if (!t.included) continue;
    const b = fit.ranef[t.index]!.values;
    for (let i = 0; i < n; i++) {
      const l = t.refs[i]!;
      if (l < 0) continue;
      const bl = b[l]!;
      let v = 0;
      for (let a = 0; a < t.q; a++) v += t.values[i * t.q + a]! * bl[a]!;
      out[i] = out[i]! + v;
    }
  }
  return out;
}

/** The standard error of each prediction (see `predict`). */
function predictionSe(
  fit: RemlFit,
  rows: PredictionRows,
  prediction: boolean,
  scale: Float64Array | null,
): Float64Array {
  const f = conditionalFactor(fit);
  const sigma2 = fit.sigma * fit.sigma;
  const { n, p, X } = rows;
  const c = new Float64Array(f.size);
  const out = new Float64Array(n);
  // z'Psi z = sigma² |T'z|².
  const psiForm = (k: number, z: Float64Array, at: number, q: number): number => {
    const T = f.T[k]!;
    let total = 0;
    for (let a = 0; a < q; a++) {
      let v = 0;
      for (let r = a; r < q; r++) v += T[r * q + a]! * z[at + r]!;
      total += v * v;
    }
    return sigma2 * total;
  };
  for (let i = 0; i < n; i++) {
    c.fill(0);
    let first = f.xStart;
    for (let j = 0; j < p; j++) c[f.xStart + j] = X[i * p + j]!;
    let extra = prediction ? sigma2 * (scale === null ? 1 : scale[i]! * scale[i]!) : 0;
    for (const t of rows.terms) {
      const q = t.q;
      const l = t.refs[i]!;
      if (!t.included) {
        if (prediction) extra += psiForm(t.index, t.values, i * q, q);
        continue;
      }
      if (l < 0) {
        extra += psiForm(t.index, t.values, i * q, q);
        continue;
      }
      const T = f.T[t.index]!;
      const col = f.levelColumn[t.index]![l]!;
      if (col < first) first = col;
      for (let a = 0; a < q; a++) {
        let v = 0;
        for (let r = a; r < q; r++) v += T[r * q + a]! * t.values[i * q + r]!;
        c[col + a] = c[col + a]! + v;
      }
    }
    out[i] = Math.sqrt(sigma2 * solvedSquaredNorm(f, c, first) + extra);
  }
  return out;
}
