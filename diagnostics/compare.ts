/**
 * The posterior beside the REML (or ML) fit, parameter by parameter: the two answers a mixed-model
 * analyst wants side by side.
 *
 * Scales. lme4 reports the variance components both as variances and as standard deviations and
 * correlations (`as.data.frame(VarCorr(fit))`: `vcov` and `sdcor`). The comparison has a row for each:
 * the variances (the sampler's own parameters, `Psi[g][a,a]` and `sigma2`, against lme4's `vcov`), the
 * covariances, and the standard deviations and correlations (computed per draw, then summarized —
 * the posterior mean of an SD is not the square root of the posterior mean of a variance). REML gives
 * no standard error for a variance component (lme4 neither): that cell is empty.
 */
import { AR1_PHI_NAME, betaName, psiName, randomEffectName } from "../src/draws/names";
import type { Posterior } from "../src/draws/posterior";
import { ArgumentError } from "../src/errors";
import type { RemlFit } from "../src/reml/types";
import {
  checkFitArgument,
  checkNumberArgument,
  checkObjectArgument,
  checkPosteriorArgument,
} from "../src/validate";
import {
  type PosteriorRow,
  posteriorFixef,
  posteriorVarCorr,
  summarizeQuantities,
} from "./posterior-summary";

/** What a comparison row is ("residual correlation": AR(1)'s phi, nlme's corAR1). */
export type ComparisonKind =
  | "fixed"
  | "variance"
  | "covariance"
  | "sd"
  | "correlation"
  | "residual correlation";

/** One parameter: the REML estimate (and standard error) beside the posterior summary. */
export interface ComparisonRow {
  /** The posterior's name for it: `beta[Days]`, `Psi[Subject][Days,Days]`, `sd[Subject][Days]`, `cor[...]`, `sigma2`, `sigma`. */
  readonly parameter: string;
  readonly kind: ComparisonKind;
  /** lme4's label: the column name, or `Subject (Intercept)`, `Subject (Intercept),Days`, `Residual`. */
  readonly label: string;
  /** The REML (or ML) estimate. */
  readonly estimate: number;
  /** Its standard error (fixed effects only), else null. */
  readonly se: number | null;
  readonly mean: number;
  readonly sd: number;
  /** Lower and upper end of the central credible interval (`prob`). */
  readonly lower: number;
  readonly upper: number;
  readonly median: number;
  /** Whether the estimate lies inside the credible interval. */
  readonly inside: boolean;
}

/** The whole comparison. */
export interface Comparison {
  /** "REML" or "ML": which fit the posterior is compared with. */
  readonly method: string;
  /** Credible interval probability. */
  readonly prob: number;
  readonly rows: readonly ComparisonRow[];
}

/**
 * Compares a posterior with a REML/ML fit of the same model: per fixed effect the estimate and its
 * standard error beside the posterior mean, sd and central credible interval; per variance component
 * the same on the variance scale (lme4's `vcov`) and on lme4's `sdcor` scale (SDs and correlations per
 * draw).
 *
 * @param posterior the sampler's result.
 * @param fit the REML or ML fit of the same formula and data.
 * @param prob credible interval probability. @default 0.95
 * @returns the rows: fixed effects in X's column order, then per factor variances, covariances,
 *   SDs, correlations, then the residual variance and SD. Posterior cells are NaN where the draws are.
 * @throws ArgumentError when the posterior and the fit have different fixed effects or factors.
 * @example compare(posterior, reml(model)).rows[0] // { parameter: "beta[(Intercept)]", estimate: 251.405, se: 6.825, mean: 251.3, ... }
 */
export function compare(posterior: Posterior, fit: RemlFit, prob = 0.95): Comparison {
  checkPosteriorArgument(posterior);
  checkFitArgument(fit);
  checkNumberArgument(prob, "prob", "a probability");
  if (posterior.fixedNames.join("\u0000") !== fit.fixedNames.join("\u0000"))
    throw new ArgumentError(
      "fit",
      `must have the posterior's fixed effects (${posterior.fixedNames.join(", ")})`,
      fit.fixedNames,
    );
  const rows: ComparisonRow[] = [];
  const post = posteriorFixef(posterior, prob);
  fit.fixedNames.forEach((name, j) => {
    rows.push(row(betaName(name), "fixed", name, fit.beta[j]!, fit.se[j]!, post[j]!));
  });
  // lme4 labels a term by its factor (`Subject`, `Subject.1` for the second term of the same factor).
  const groupOf = new Map<string, string>(fit.ranef.map((t) => [t.label, t.group]));
  groupOf.set("Residual", "Residual");
  const key = (grp: string, v1: string | null, v2: string | null) => `${grp}\u0000${v1}\u0000${v2}`;
  const remlRows = new Map(fit.varcorr.map((r) => [key(groupOf.get(r.grp) ?? r.grp, r.var1, r.var2), r]));
  const postRows = posteriorVarCorr(posterior, prob);
  const scaleRows: ComparisonRow[] = [];
  for (const p of postRows) {
    const r = remlRows.get(key(p.grp, p.var1, p.var2));
    if (r === undefined)
      throw new ArgumentError(
        "fit",
        `must have the posterior's variance component ${p.grp} ${p.var1 ?? ""}${p.var2 === null ? "" : `,${p.var2}`}`,
        fit.varcorr.map((v) => v.grp),
      );
    const label =
      p.grp === "Residual" ? "Residual" : `${p.grp} ${p.var1 ?? ""}${p.var2 === null ? "" : `,${p.var2}`}`;
    const isVar = p.var2 === null;
    rows.push(row(p.vcov.name, isVar ? "variance" : "covariance", label, r.vcov, null, p.vcov));
    scaleRows.push(row(p.sdcor.name, isVar ? "sd" : "correlation", label, r.sdcor, null, p.sdcor));
  }
  // AR(1) residuals: phi beside nlme's corAR1 estimate.
  const ar1 = posterior.model.ar1 ?? null;
  if ((ar1 === null) !== (fit.ar1 === undefined))
    throw new ArgumentError(
      "fit",
      ar1 === null
        ? "has AR(1) residuals (fit.ar1) but the posterior's model has none"
        : "must have the posterior's AR(1) residuals (fit.ar1): fit the same model (lmm(..., { ar1 }))",
      fit.ar1 === undefined ? "no ar1" : `ar1 ${fit.ar1.time} | ${fit.ar1.group}`,
    );
  if (ar1 !== null && fit.ar1 !== undefined)
    rows.push(
      row(
        AR1_PHI_NAME,
        "residual correlation",
        `phi (AR(1) within ${ar1.group})`,
        fit.ar1.phi,
        null,
        summarizeQuantities(posterior, [AR1_PHI_NAME], prob)[0]!,
      ),
    );
  // Sections in a fixed order (stable within each): the residual joins the variances and SDs.
  const order: ComparisonKind[] = [
    "fixed",
    "variance",
    "covariance",
    "sd",
    "correlation",
    "residual correlation",
  ];
  const all = [...rows, ...scaleRows];
  const sorted = order.flatMap((k) => all.filter((r) => r.kind === k));
  return { method: fit.method, prob, rows: sorted };
}

function row(
  parameter: string,
  kind: ComparisonKind,
  label: string,
  estimate: number,
  se: number | null,
  p: PosteriorRow,
): ComparisonRow {
  return {
    parameter,
    kind,
    label,
    estimate,
    se,
    mean: p.estimate,
    sd: p.se,
    lower: p.lower,
    upper: p.upper,
    median: p.median,
    inside: estimate >= p.lower && estimate <= p.upper,
  };
}

/** A number for the comparison table: 5 significant digits, exponent notation when far from 1. */
export function formatNumber(x: number | null): string {
  if (x === null) return "";
  if (!Number.isFinite(x)) return "NA";
  const a = Math.abs(x);
  return a !== 0 && (a >= 1e6 || a < 1e-3) ? x.toExponential(3) : String(Number(x.toPrecision(5)));
}

const SECTION_TITLES: Record<ComparisonKind, string> = {
  fixed: "Fixed effects",
  variance: "Variance components (variances)",
  covariance: "Variance components (covariances)",
  sd: "Variance components (standard deviations)",
  correlation: "Variance components (correlations)",
  "residual correlation": "Residual correlation (AR(1))",
};

/**
 * The comparison as a text table, one section per kind of parameter; a `*` marks an estimate outside
 * the credible interval.
 *
 * @example formatComparison(compare(posterior, fit)).split("\n")[0] // "Posterior (mean, sd, 95% interval) beside REML (estimate, se)"
 */
export function formatComparison(comparison: Comparison): string {
  checkObjectArgument(comparison, "comparison", "a comparison from compare(posterior, fit)", [
    "rows",
    "prob",
    "method",
  ]);
  const pct = `${Math.round(comparison.prob * 1000) / 10}%`;
  const head = ["", comparison.method, "se", "mean", "sd", `${pct} lower`, `${pct} upper`];
  const width = Math.max(10, ...comparison.rows.map((r) => r.label.length));
  const cell = (s: string) => s.padStart(11);
  const lines = [`Posterior (mean, sd, ${pct} interval) beside ${comparison.method} (estimate, se)`];
  let kind: ComparisonKind | undefined;
  for (const r of comparison.rows) {
    if (r.kind !== kind) {
      kind = r.kind;
      lines.push("", SECTION_TITLES[kind], `${"".padEnd(width)} ${head.slice(1).map(cell).join("")}`);
    }
    const values = [r.estimate, r.se, r.mean, r.sd, r.lower, r.upper].map((v) => cell(formatNumber(v)));
    lines.push(`${r.label.padEnd(width)} ${values.join("")}${r.inside ? "" : " *"}`);
  }
  if (comparison.rows.some((r) => !r.inside))
    lines.push("", `* the ${comparison.method} estimate lies outside the ${pct} credible interval`);
  return `${lines.join("\n")}\n`;
}

/**
 * The fit's value of every parameter the posterior names: `beta[COL]` (estimates), `sigma2` (σ²), `phi` (AR(1)),
 * `Psi[GROUP][A,B]` (lme4's `vcov` of that variance or covariance) and `b[GROUP][LEVEL,NAME]`
 * (conditional modes) — the reference values marked in the pictures.
 *
 * @param fit a REML or ML fit.
 * @returns parameter name → value.
 * @example remlValues(fit)["sigma2"] // fit.sigma ** 2
 */
export function remlValues(fit: RemlFit): Record<string, number> {
  checkFitArgument(fit);
  const out: Record<string, number> = {};
  fit.fixedNames.forEach((name, j) => {
    out[betaName(name)] = fit.beta[j]!;
  });
  out["sigma2"] = fit.sigma * fit.sigma;
  if (fit.ar1 !== undefined) out[AR1_PHI_NAME] = fit.ar1.phi;
  const groupOf = new Map<string, string>(fit.ranef.map((t) => [t.label, t.group]));
  for (const r of fit.varcorr) {
    if (r.grp === "Residual" || r.var1 === null) continue;
    const g = groupOf.get(r.grp) ?? r.grp;
    out[psiName(g, r.var1, r.var2 ?? r.var1)] = r.vcov;
  }
  for (const t of fit.ranef)
    t.levels.forEach((level, j) => {
      t.names.forEach((name, c) => {
        out[randomEffectName(t.group, level, name)] = t.values[j]![c]!;
      });
    });
  return out;
}
