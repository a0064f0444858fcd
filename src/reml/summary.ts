/**
 * The printed fit, laid out as lme4's `summary(fit)` prints it, with the convergence report and the
 * singular-fit explanation added in words.
 */

import { checkFitArgument } from "../validate";
import { abbreviate, coefficientColumns, formatColumn, formatNumber, zapsmall } from "./format";
import type { RemlFit } from "./types";

/**
 * The fit as text: criterion, scaled residuals, random effects (variances, standard deviations,
 * correlations), fixed effects (estimates, standard errors, t values), their correlations, and notes.
 *
 * @param fit - a fit
 * @returns the text, ending in a newline
 * @example
 * console.log(fitSummary(reml(model)));
 * // Linear mixed model fit by REML
 * // Formula: Reaction ~ Days + (Days | Subject)
 * // REML criterion at convergence: 1743.6
 * // ...
 */
export function fitSummary(fit: RemlFit): string {
  checkFitArgument(fit);
  const out: string[] = [];
  out.push(`Linear mixed model fit by ${fit.method === "REML" ? "REML" : "maximum likelihood"}`);
  out.push(`Formula: ${fit.formula}`);
  out.push("");
  if (fit.method === "REML") out.push(`REML criterion at convergence: ${formatNumber(fit.criterion, 5)}`);
  else {
    const cells = [
      ["AIC", formatNumber(fit.AIC, 5)],
      ["BIC", formatNumber(fit.BIC, 5)],
      ["logLik", formatNumber(fit.logLik, 5)],
      ["deviance", formatNumber(fit.criterion, 5)],
      ["df.resid", String(fit.nobs - fit.npar)],
    ];
    const w = cells.map(([a, b]) => Math.max(a!.length, b!.length));
    out.push(cells.map(([a], i) => a!.padStart(w[i]!)).join(" "));
    out.push(cells.map(([, b], i) => b!.padStart(w[i]!)).join(" "));
  }
  out.push("");
  if (fit.model.statistics === undefined) {
    out.push("Scaled residuals:");
    // lme4's .prt.resids: quantiles zapsmall()ed to 5 digits, printed with 4; Pearson residuals
    // sqrt(w_i) r_i / sigma with precision weights.
    // With varIdent, each row's residual sd is sigma delta of its level.
    const w = fit.model.weights ?? null;
    const vi = fit.model.varIdent ?? null;
    const q = zapsmall(
      quantiles(
        Array.from(
          fit.residuals,
          (r, i) =>
            (w === null ? r : r * Math.sqrt(w[i]!)) /
            (fit.sigma * (vi === null || fit.varIdent === undefined ? 1 : fit.varIdent.delta[vi.refs[i]!]!)),
        ),
      ),
      5,
    );
    out.push(...table([["Min", "1Q", "Median", "3Q", "Max"], formatColumn(q, 4)], "right"));
  } else
    out.push("Scaled residuals: not computed (the model was built from sufficient statistics, without rows)");
  out.push("");
  out.push("Random effects:");
  out.push(...randomEffectsTable(fit));
  const groups = Object.entries(fit.ngroups)
    .map(([g, m]) => `${g}, ${m}`)
    .join("; ");
  out.push(`Number of obs: ${fit.nobs}, groups:  ${groups}`);
  out.push("");
  if (fit.varIdent !== undefined) {
    // nlme's "Variance function" block: each level's residual sd over the first level's.
    out.push(`Variance function: varIdent(form = ~ 1 | ${fit.varIdent.group}); residual sd ratios:`);
    out.push(...table([[...fit.varIdent.levels], formatColumn([...fit.varIdent.delta], 4)], "right"));
    out.push("");
  }
  if (fit.ar1 !== undefined) {
    // nlme's "Correlation Structure" block.
    out.push(`Correlation Structure: AR(1), corAR1(form = ~ ${fit.ar1.time} | ${fit.ar1.group})`);
    out.push(...table([["Phi"], formatColumn([fit.ar1.phi], 4)], "right"));
    out.push("");
  }
  if (fit.beta.length === 0) out.push("No fixed effect coefficients");
  else {
    out.push("Fixed effects:");
    const c = coefficientColumns(fit.beta, fit.se, 4);
    const names = ["", ...fit.fixedNames];
    out.push(
      ...columns(names, [
        ["Estimate", ...c.estimate],
        ["Std. Error", ...c.se],
        ["t value", ...c.t],
      ]),
    );
  }
  const p = fit.beta.length;
  if (p > 1) {
    out.push("");
    out.push("Correlation of Fixed Effects:");
    const abbr = fit.fixedNames.map((n) => abbreviate(n, 6));
    const header = ["", ...abbr.slice(0, p - 1)];
    const rows: string[][] = [header];
    for (let i = 1; i < p; i++) {
      const row = [fit.fixedNames[i]!];
      for (let j = 0; j < p - 1; j++) {
        if (j >= i) row.push("");
        else {
          const r = fit.vcov[i]![j]! / (fit.se[i]! * fit.se[j]!);
          row.push(r.toFixed(3));
        }
      }
      rows.push(row);
    }
    out.push(...table(rows, "left-first"));
  }
  const notes = convergenceNotes(fit);
  if (notes.length > 0) {
    out.push("");
    out.push(...notes);
  }
  return `${out.join("\n")}\n`;
}

/** Optimizer and singular-fit notes in words. */
function convergenceNotes(fit: RemlFit): string[] {
  const notes: string[] = [];
  const o = fit.optimizer;
  notes.push(
    `Optimizer: ${o.name}, ${o.iterations} iterations, ${o.evaluations} criterion and ${o.gradientEvaluations} gradient evaluations; ${o.message}; max |gradient| ${formatNumber(o.gradientNorm, 2)}${o.predictedDecrease === null ? "" : `; predicted further decrease ${formatNumber(o.predictedDecrease, 2)}`}.`,
  );
  if (o.hessianSkipped === "large")
    notes.push("The Hessian was not checked (a large model: pass `checkHessian: true` to check it).");
  else if (o.hessianSkipped === "boundary")
    notes.push("The Hessian was not checked: every variance parameter is on its boundary (see below).");
  for (const w of o.warnings) notes.push(`Warning: ${w}`);
  if (fit.singular) {
    notes.push("boundary (singular) fit:");
    for (const r of fit.singularReasons) notes.push(`  ${r}`);
  }
  return notes;
}

function randomEffectsTable(fit: RemlFit): string[] {
  const rows: string[][] = [["Groups", "Name", "Variance", "Std.Dev.", ...(hasCorr(fit) ? ["Corr"] : [])]];
  const variance: number[] = [];
  const sd: number[] = [];
  const meta: { grp: string; name: string; corr: string[] }[] = [];
  for (const term of fit.ranef) {
    term.names.forEach((name, a) => {
      const row = fit.varcorr.find((r) => r.grp === term.label && r.var1 === name && r.var2 === null)!;
      variance.push(row.vcov);
      sd.push(row.sdcor);
      const corr: string[] = [];
      for (let b = 0; b < a; b++) {
        const c = fit.varcorr.find(
          (r) => r.grp === term.label && r.var1 === term.names[b] && r.var2 === name,
        );
        // undefined when a variance is 0 (a boundary fit, explained in the notes): left blank
        corr.push(c === undefined || Number.isNaN(c.sdcor) ? "    " : c.sdcor.toFixed(2));
      }
      meta.push({ grp: a === 0 ? term.label : "", name, corr });
    });
  }
  const residual = fit.varcorr[fit.varcorr.length - 1]!;
  variance.push(residual.vcov);
  sd.push(residual.sdcor);
  meta.push({ grp: "Residual", name: "", corr: [] });
  const v = formatColumn(variance, 4);
  const s = formatColumn(sd, 4);
  meta.forEach((m, i) => {
    rows.push([m.grp, m.name, v[i]!, s[i]!, ...(hasCorr(fit) ? [m.corr.join(" ")] : [])]);
  });
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map(
    (r) =>
      ` ${r
        .map((cell, c) => (c === 2 || c === 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
        .join(" ")
        .trimEnd()}`,
  );
}

function hasCorr(fit: RemlFit): boolean {
  return fit.varcorr.some((r) => r.var2 !== null);
}

/** Rows of cells, right-aligned (or the first column left-aligned). */
function table(rows: string[][], align: "right" | "left-first"): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) =>
    r
      .map((cell, c) =>
        align === "left-first" && c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!),
      )
      .join(" "),
  );
}

/** A row-name column and value columns (each with its header first). */
function columns(names: string[], cols: string[][]): string[] {
  return table(
    names.map((n, i) => [n, ...cols.map((col) => col[i]!)]),
    "left-first",
  );
}

/** Min, quartiles (R's type 7) and max. */
function quantiles(values: number[]): number[] {
  const x = values.slice().sort((a, b) => a - b);
  const at = (p: number): number => {
    const h = (x.length - 1) * p;
    const lo = Math.floor(h);
    return x[lo]! + (h - lo) * ((x[Math.min(lo + 1, x.length - 1)] ?? x[lo]!) - x[lo]!);
  };
  return [x[0]!, at(0.25), at(0.5), at(0.75), x[x.length - 1]!];
}
