/**
 * lme4's `coef`: per grouping factor and level, the coefficients that level's rows get — the fixed
 * effect plus the level's random effect for a column that varies by the factor, the fixed effect
 * alone for one that does not. Columns are lme4's: the random-only columns (a random effect with no
 * fixed effect of that name, e.g. `(0 + x | g)` without `x`) first, then every fixed effect in X's
 * order.
 */
import { betaName, randomEffectName } from "../src/draws/names";
import type { Posterior } from "../src/draws/posterior";
import { ranefByGroup } from "../src/reml/fit";
import type { RemlFit } from "../src/reml/types";
import {
  checkProb,
  drawsOf,
  parameterIndexMap,
  posteriorFixef,
  posteriorRanef,
  summarizeDerived,
} from "./posterior-summary";

/** The coefficients of one grouping factor's levels, levels × names. */
export interface CoefGroup {
  readonly group: string;
  readonly levels: readonly string[];
  readonly names: readonly string[];
  /** REML: fixed effect + conditional mode. Posterior: the posterior mean of beta + b. */
  readonly estimate: readonly (readonly number[])[];
  /** Posterior sd of beta + b (per draw); null for a REML fit (lme4 gives none). */
  readonly se: readonly (readonly number[])[] | null;
  /** Central credible interval of beta + b; null for a REML fit. */
  readonly lower: readonly (readonly number[])[] | null;
  readonly upper: readonly (readonly number[])[] | null;
}

function columns(fixed: readonly string[], random: readonly string[]): string[] {
  return [...random.filter((name) => !fixed.includes(name)), ...fixed];
}

/**
 * lme4's `coef(fit)` for a REML or ML fit.
 *
 * @param fit - the fit
 * @returns one entry per grouping factor, in the order lme4's `ranef` lists them
 * @example remlCoef(reml(model))[0].estimate[0] // Subject 308: [(Intercept), Days] = fixef + ranef
 */
export function remlCoef(fit: RemlFit): CoefGroup[] {
  return Object.entries(ranefByGroup(fit)).map(([group, r]) => {
    const names = columns(fit.fixedNames, r.names);
    const estimate = r.levels.map((_, j) =>
      names.map((name) => {
        const f = fit.fixedNames.indexOf(name);
        const c = r.names.indexOf(name);
        return (f < 0 ? 0 : fit.beta[f]!) + (c < 0 ? 0 : r.values[j]![c]!);
      }),
    );
    return { group, levels: r.levels, names, estimate, se: null, lower: null, upper: null };
  });
}

/**
 * The posterior of lme4's `coef`: per level, beta + b computed per draw and summarized (brms's
 * `coef`). When the sampler kept only the random effects' running summaries, the estimate is the sum
 * of the posterior means and `se`, `lower`, `upper` are NaN (their joint draws are gone).
 *
 * @param posterior - the sampler's result
 * @param prob - credible interval probability @default 0.95
 * @returns one entry per grouping factor, in the posterior's order
 */
export function posteriorCoef(posterior: Posterior, prob = 0.95): CoefGroup[] {
  checkProb(prob);
  const fixed = posterior.fixedNames;
  if (posterior.randomEffectsSummary !== null) {
    const beta = posteriorFixef(posterior, prob).map((r) => r.estimate);
    return posteriorRanef(posterior, prob).map((r) => {
      const names = columns(fixed, r.names);
      const estimate = r.levels.map((_, j) =>
        names.map((name) => {
          const f = fixed.indexOf(name);
          const c = r.names.indexOf(name);
          return (f < 0 ? 0 : beta[f]!) + (c < 0 ? 0 : r.estimate[j]![c]!);
        }),
      );
      const nan = r.levels.map(() => names.map(() => Number.NaN));
      return { group: r.group, levels: r.levels, names, estimate, se: nan, lower: nan, upper: nan };
    });
  }
  const at = parameterIndexMap(posterior);
  return posterior.factors.map((f) => {
    const names = columns(fixed, f.names);
    const quantities = f.levels.flatMap((level) =>
      names.map((name) => {
        const b = f.names.includes(name) ? at.get(randomEffectName(f.group, level, name)) : undefined;
        const beta = fixed.includes(name) ? at.get(betaName(name)) : undefined;
        return {
          name: `coef[${f.group}][${level},${name}]`,
          beta: beta === undefined ? null : drawsOf(posterior, beta),
          b: b === undefined ? null : drawsOf(posterior, b),
        };
      }),
    );
    const rows = summarizeDerived(
      quantities.map((q) => q.name),
      posterior.chains,
      posterior.iterations,
      (k, out) => {
        const q = quantities[k]!;
        out.fill(0);
        if (q.beta !== null) for (let t = 0; t < out.length; t++) out[t] = out[t]! + q.beta[t]!;
        if (q.b !== null) for (let t = 0; t < out.length; t++) out[t] = out[t]! + q.b[t]!;
      },
      prob,
    );
    const pick = (key: "estimate" | "se" | "lower" | "upper") =>
      f.levels.map((_, j) => names.map((_, c) => rows[j * names.length + c]![key]));
    return {
      group: f.group,
      levels: f.levels,
      names,
      estimate: pick("estimate"),
      se: pick("se"),
      lower: pick("lower"),
      upper: pick("upper"),
    };
  });
}
