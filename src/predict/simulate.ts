/**
 * `simulate(fit, { nsim, seed, re })`: responses simulated from a REML/ML fit, lme4's parametric
 * `simulate.merMod` for a linear mixed model, on the model's own rows:
 *
 *     y* = offset + X beta^ + sum_{k in re} Z_k b^_k + sum_{k not in re} Z_k b*_k + sigma^ e,
 *     b*_kj ~ N(0, Psi^_k) iid over levels (Psi_k = sigma² T_k T_k'),  e_i ~ N(0, f_i²)
 *
 * f_i the row's residual sd factor (./residual-scale.ts): 1 / sqrt(w_i) with precision weights (as
 * lme4, which divides the noise by sqrt(weights)), times delta of the row's level with varIdent.
 *
 * `re: "none"` (the default, lme4's `re.form = NA`, `use.u = FALSE`) draws every random effect anew;
 * `re: "all"` (`re.form = NULL`, `use.u = TRUE`) holds them at their conditional modes b^; a list of
 * terms holds those and draws the others.
 */
import { ArgumentError } from "../errors";
import { requireRows } from "../model/stats";
import { Random } from "../random/generator";
import { normal } from "../random/normal";
import { fillFactors, modelThetaLayout } from "../reml/theta";
import type { RemlFit } from "../reml/types";
import { checkFitArgument, checkOptionKinds } from "../validate";
import { type ReForm, selectTerms } from "./newdata";
import { fitResidualScale } from "./residual-scale";

/** Options of `simulate`. */
export interface SimulateOptions {
  /** Number of simulated responses. @default 1 */
  readonly nsim?: number;
  /** Seed of the generator (any safe integer); the same seed gives the same responses. @default 1 */
  readonly seed?: number;
  /** Terms held at their conditional modes: "none" (lme4's default re.form = NA), "all", or a list. @default "none" */
  readonly re?: ReForm;
}

/** The largest nsim × n `simulate` allocates (8 bytes each). */
const MAX_VALUES = 2 ** 28;

/**
 * Simulated responses from the fitted model (see the file comment).
 *
 * @param fit - a REML or ML fit
 * @param options - nsim, seed, re
 * @returns nsim Float64Arrays, each a response of the model's n rows
 * @throws ArgumentError for a bad option (nsim not a positive integer, nsim × n too large, a bad re)
 * @example
 * const ys = simulate(fit, { nsim: 100, seed: 42 }); // 100 responses like sleepstudy's Reaction
 * @see Bates et al. (2015) doi:10.18637/jss.v067.i01; lme4's `simulate.merMod`
 */
export function simulate(fit: RemlFit, options: SimulateOptions = {}): Float64Array[] {
  checkFitArgument(fit);
  requireRows(fit.model, "Simulated responses per row");
  checkOptionKinds(options, { nsim: "number", seed: "number" });
  const nsim = options.nsim ?? 1;
  const model = fit.model;
  if (!(Number.isSafeInteger(nsim) && nsim >= 1))
    throw new ArgumentError("options.nsim", "must be a positive integer", nsim);
  if (nsim * model.n > MAX_VALUES)
    throw new ArgumentError(
      "options.nsim",
      `times the ${model.n} rows must be at most ${MAX_VALUES} values; simulate in batches with different seeds`,
      nsim,
    );
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new ArgumentError("options.seed", "must be a safe integer", seed);
  const held = selectTerms(model.terms, options.re ?? "none");
  const rng = Random.fromSeed(seed);
  const { n, p, X, offset } = model;

  // The part held fixed: offset + X beta + the held terms' Z b^.
  const base = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = offset === null ? 0 : offset[i]!;
    for (let j = 0; j < p; j++) v += X[i * p + j]! * fit.beta[j]!;
    base[i] = v;
  }
  model.terms.forEach((t, k) => {
    if (!held[k]) return;
    const b = fit.ranef[k]!.values;
    for (let i = 0; i < n; i++) {
      const bl = b[t.refs[i]!]!;
      for (let a = 0; a < t.q; a++) base[i] = base[i]! + t.values[i * t.q + a]! * bl[a]!;
    }
  });

  const layout = modelThetaLayout(model);
  const T = layout.q.map((q) => new Float64Array(q * q));
  fillFactors(layout, Float64Array.from(fit.theta), T);
  const sigma = fit.sigma;
  const scale = fitResidualScale(fit);
  const drawn = model.terms.map((t) => new Float64Array(t.m * t.q));
  const u = new Float64Array(Math.max(1, ...model.terms.map((t) => t.q)));
  const out: Float64Array[] = [];
  for (let s = 0; s < nsim; s++) {
    // New random effects b* = sigma T_k u, u ~ N(0, I), for the terms not held.
    model.terms.forEach((t, k) => {
      if (held[k]) return;
      const q = t.q;
      const Tk = T[k]!;
      const bk = drawn[k]!;
      for (let l = 0; l < t.m; l++) {
        for (let a = 0; a < q; a++) u[a] = normal(rng);
        for (let a = 0; a < q; a++) {
          let v = 0;
          for (let c = 0; c <= a; c++) v += Tk[a * q + c]! * u[c]!;
          bk[l * q + a] = sigma * v;
        }
      }
    });
    const y = base.slice();
    model.terms.forEach((t, k) => {
      if (held[k]) return;
      const bk = drawn[k]!;
      const q = t.q;
      for (let i = 0; i < n; i++) {
        const at = t.refs[i]! * q;
        let v = 0;
        for (let a = 0; a < q; a++) v += t.values[i * q + a]! * bk[at + a]!;
        y[i] = y[i]! + v;
      }
    });
    if (scale === null) for (let i = 0; i < n; i++) y[i] = y[i]! + sigma * normal(rng);
    else for (let i = 0; i < n; i++) y[i] = y[i]! + sigma * scale[i]! * normal(rng);
    out.push(y);
  }
  return out;
}
