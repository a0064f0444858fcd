/**
 * Likelihood-ratio tests between nested models (lme4's `anova(fit0, fit1, ...)`).
 */
import { ArgumentError } from "../errors";
import { chiSquareUpperTail } from "../stats/distributions";
import { fitLmm } from "./fit";
import { formatNumber } from "./format";
import type { RemlFit } from "./types";

/** One row of the table: a model, and its test against the row before. */
export interface AnovaRow {
  /** The model's name: the given one, else `model1`, `model2`, ... in the order given. */
  readonly name: string;
  readonly formula: string;
  readonly npar: number;
  readonly AIC: number;
  readonly BIC: number;
  readonly logLik: number;
  /** -2 logLik of the ML fit. */
  readonly deviance: number;
  /** 2 (logLik - logLik of the row before); null on the first row. */
  readonly Chisq: number | null;
  /** Difference in npar from the row before; null on the first row. */
  readonly Df: number | null;
  /** P(chi-square(Df) > Chisq); null on the first row. */
  readonly p: number | null;
}

/** The result of `anova`. */
export interface AnovaTable {
  /** One row per model, by increasing number of parameters (as lme4 orders them). */
  readonly rows: readonly AnovaRow[];
  /** Names of the models that were REML fits and were refitted by ML first. */
  readonly refitted: readonly string[];
  /** Notes in words (the refit, equal parameter counts). */
  readonly notes: readonly string[];
  /** The table as lme4 prints it. */
  readonly text: string;
}

/**
 * Likelihood-ratio tests of nested linear mixed models fitted to the same data. REML fits are
 * refitted by ML first (REML criteria of models with different fixed effects are not comparable), as
 * lme4 does, and the table says so. Models are ordered by number of parameters; each row is tested
 * against the one before:
 *
 *     Chisq = 2 (logLik_i - logLik_{i-1}),   Df = npar_i - npar_{i-1},   p = P(chi-square(Df) > Chisq)
 *
 * The test assumes the models are nested; a variance tested on its boundary (zero) makes the
 * chi-square p-value conservative (Self & Liang 1987, doi:10.1080/01621459.1987.10478472).
 *
 * @param fits - two or more fits of the same response and observations: `anova(fit0, fit1)`,
 *   `anova([fit0, fit1])`, or `anova({ fm0: fit0, fm1: fit1 })` to name them
 * @returns the table
 * @throws ArgumentError for fewer than two fits or fits of different data
 * @example
 * anova(reml(lmm("Reaction ~ Days + (1 | Subject)", d)), reml(lmm("Reaction ~ Days + (Days | Subject)", d)))
 *   .rows[1].Chisq; // 42.139, refitted: ["model1", "model2"]
 * @see Bates et al. (2015) doi:10.18637/jss.v067.i01, §5.3
 */
export function anova(
  ...fits: [readonly RemlFit[] | Readonly<Record<string, RemlFit>>] | RemlFit[]
): AnovaTable {
  const first0 = fits[0];
  if (first0 === null || (fits.length === 1 && typeof first0 !== "object"))
    throw new ArgumentError("fits", "must be two or more fits (or an array or object of them)", first0);
  const named: [string, RemlFit][] =
    fits.length === 1 && first0 !== undefined && !isFit(first0)
      ? Array.isArray(first0)
        ? (first0 as readonly RemlFit[]).map((f, i) => [`model${i + 1}`, f])
        : Object.entries(first0 as Record<string, RemlFit>)
      : (fits as RemlFit[]).map((f, i) => [`model${i + 1}`, f]);
  if (named.length < 2)
    throw new ArgumentError("fits", "must hold at least two fits to compare", named.length);
  for (const [name, fit] of named)
    if (!isFit(fit))
      throw new ArgumentError(`fits.${name}`, "must be a fit from reml(), ml() or fitLmm()", fit);
  const first = named[0]![1];
  for (const [name, fit] of named) {
    if (fit.nobs !== first.nobs || fit.response !== first.response)
      throw new ArgumentError(
        `fits.${name}`,
        `must be fitted to the same response and observations as the first (\`${first.response}\`, ${first.nobs} rows)`,
        `${fit.response}, ${fit.nobs} rows`,
      );
  }
  const refitted: string[] = [];
  const ml = named.map(([name, fit]): [string, RemlFit] => {
    if (fit.method === "ML") return [name, fit];
    refitted.push(name);
    return [name, fitLmm(fit.model, { method: "ML" })];
  });
  ml.sort((a, b) => a[1].npar - b[1].npar);
  const rows: AnovaRow[] = ml.map(([name, fit], i) => {
    const before = i > 0 ? ml[i - 1]![1] : null;
    const chisq = before === null ? null : Math.max(0, 2 * (fit.logLik - before.logLik));
    const df = before === null ? null : fit.npar - before.npar;
    return {
      name,
      formula: fit.formula,
      npar: fit.npar,
      AIC: fit.AIC,
      BIC: fit.BIC,
      logLik: fit.logLik,
      deviance: fit.criterion,
      Chisq: chisq,
      Df: df,
      p: chisq === null || df === null || df <= 0 ? null : chiSquareUpperTail(chisq, df),
    };
  });
  const notes: string[] = [];
  if (refitted.length > 0) notes.push(`refitting model(s) with ML (instead of REML): ${refitted.join(", ")}`);
  if (rows.some((r) => r.Df === 0))
    notes.push("two models have the same number of parameters: no test between them (p is left empty).");
  return { rows, refitted, notes, text: formatAnova(rows, notes) };
}

function formatAnova(rows: readonly AnovaRow[], notes: readonly string[]): string {
  const header = ["", "npar", "AIC", "BIC", "logLik", "deviance", "Chisq", "Df", "Pr(>Chisq)"];
  const body = rows.map((r) => [
    r.name,
    String(r.npar),
    formatNumber(r.AIC, 5),
    formatNumber(r.BIC, 5),
    formatNumber(r.logLik, 5),
    formatNumber(r.deviance, 5),
    r.Chisq === null ? "" : formatNumber(r.Chisq, 5),
    r.Df === null ? "" : String(r.Df),
    r.p === null ? "" : `${formatNumber(r.p, 4, true)}${stars(r.p)}`,
  ]);
  const table = [header, ...body];
  const widths = header.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  const lines = table.map((row) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(" "),
  );
  const models = rows.map((r) => `${r.name}: ${r.formula}`);
  return [
    ...notes,
    "Models:",
    ...models,
    ...lines,
    "---",
    "Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1",
    "",
  ].join("\n");
}

function stars(p: number): string {
  return p < 0.001 ? " ***" : p < 0.01 ? " **" : p < 0.05 ? " *" : p < 0.1 ? " ." : "";
}

function isFit(x: unknown): x is RemlFit {
  return typeof x === "object" && x !== null && "method" in x && "criterion" in x && "model" in x;
}
