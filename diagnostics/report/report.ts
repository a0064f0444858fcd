/**
 * The one-file HTML report: the model, a data summary, the posterior beside the REML fit, the
 * convergence summary with its warnings, every picture, and the model check (posterior predictive
 * checks and Bayesian R², ./model-check.ts) — inline SVG and inline CSS, no script and
 * no external request, so the file opens anywhere (and offline) and can be mailed as it is.
 */

import { isPopulationParameter } from "../../src/draws/names";
import type { Posterior } from "../../src/draws/posterior";
import { requireRows } from "../../src/model/stats";
import type { LmmModel } from "../../src/model/types";
import { describePriors } from "../../src/priors/describe";
import type { RemlFit } from "../../src/reml/types";
import {
  checkFitArgument,
  checkModelArgument,
  checkObjectArgument,
  checkOptionKinds,
  checkPosteriorArgument,
} from "../../src/validate";
import { type Comparison, compare, formatNumber, remlValues } from "../compare";
import { autocorrelationPlot } from "../plots/autocorrelation";
import { caterpillarPlot, caterpillarRows } from "../plots/caterpillar";
import { densityPlot } from "../plots/density";
import { comparisonIntervals, intervalPlot } from "../plots/intervals";
import { rankPlot } from "../plots/rank";
import { shrinkageData, shrinkagePlot } from "../plots/shrinkage";
import { escapeXml as escapeHtml } from "../plots/svg";
import { tracePlot } from "../plots/trace";
import { quantileOfSorted } from "../statistics";
import { type DrawsSummary, summarizeDraws } from "../summarize";
import { beyond, groupWarnings } from "../warnings";
import { modelCheckSection } from "./model-check";

/** What goes into a report. */
export interface ReportInput {
  readonly model: LmmModel;
  readonly fit: RemlFit;
  readonly posterior: Posterior;
  /** The data file's name, for the heading. */
  readonly dataName?: string;
}

/** Options of `buildReport`. */
export interface ReportOptions {
  /** At most this many random-effect trace panels: those with the lowest bulk ESS. @default 12 */
  readonly maxRandomEffectTraces?: number;
}

/** A report's parts: the HTML, and every picture by a file-friendly name (for `--plots DIR`). */
export interface Report {
  readonly html: string;
  readonly pictures: Readonly<Record<string, string>>;
  readonly comparison: Comparison;
  readonly summary: DrawsSummary;
}

const CSS = `
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',Arial,sans-serif;color:#222;margin:0;background:#f6f6f4;line-height:1.45}
main{max-width:1080px;margin:0 auto;padding:24px 28px 64px;background:#fff}
h1{font-size:1.5em;margin:0 0 4px}h2{font-size:1.2em;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:1em;margin:18px 0 6px}
code{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:.92em;background:#f2f2f0;padding:0 3px;border-radius:3px}
div.table{max-width:100%;overflow-x:auto;margin:6px 0 12px}
table{border-collapse:collapse;font-size:.88em}
th,td{padding:3px 10px;border-bottom:1px solid #eee;text-align:right;white-space:nowrap}
td.name{white-space:normal;overflow-wrap:anywhere;min-width:12em;max-width:26em}
th{background:#f4f4f2;font-weight:600}td:first-child,th:first-child{text-align:left}
tr.section td{background:#fafaf8;font-weight:600;text-align:left}
tr.outside td{color:#a33}
.muted{color:#666}.warn{color:#8a4b00}.ok{color:#276b2b}
ul.warnings li{margin:2px 0}ul.warnings{padding-left:20px}
details.warnings ul{max-height:18em;overflow-y:auto;margin:4px 0}
figure{margin:12px 0 24px}figcaption{font-size:.88em;color:#555;margin-top:4px;max-width:880px}
svg{max-width:100%;height:auto;display:block}
details{margin:10px 0}summary{cursor:pointer;font-weight:600}
dl.facts{display:grid;grid-template-columns:max-content auto;gap:2px 16px;margin:6px 0}
dl.facts dt{color:#555}dl.facts dd{margin:0}
nav a{margin-right:12px}
`;

function esc(value: string): string {
  return escapeHtml(value);
}

function facts(items: readonly [string, string][]): string {
  return `<dl class="facts">${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join("")}</dl>`;
}

function figureHtml(svg: string, caption: string): string {
  // The XML declaration-free SVG document embeds as inline SVG as it is.
  return `<figure>${svg}<figcaption>${caption}</figcaption></figure>`;
}

function num(x: number): string {
  return esc(formatNumber(x));
}

function dataSummary(model: LmmModel): string {
  requireRows(model, "The report's data section (the response per row)");
  const y = Float64Array.from(model.y).sort();
  let mean = 0;
  for (const v of y) mean += v;
  mean /= y.length;
  let ss = 0;
  for (const v of y) ss += (v - mean) ** 2;
  const sdY = Math.sqrt(ss / Math.max(1, y.length - 1));
  const q = (p: number) => quantileOfSorted(y, p);
  let html = `<h3>Response <code>${esc(model.response)}</code></h3><div class="table"><table><tr><th>rows</th><th>mean</th><th>sd</th><th>min</th><th>25%</th><th>median</th><th>75%</th><th>max</th></tr>`;
  html += `<tr><td>${model.n}</td><td>${num(mean)}</td><td>${num(sdY)}</td><td>${num(q(0))}</td><td>${num(q(0.25))}</td><td>${num(q(0.5))}</td><td>${num(q(0.75))}</td><td>${num(q(1))}</td></tr></table></div>`;
  html += `<h3>Grouping factors</h3><div class="table"><table><tr><th>factor</th><th>levels</th><th>rows per level: min</th><th>median</th><th>max</th><th>random-effect columns</th></tr>`;
  for (const t of model.terms) {
    const counts = new Float64Array(t.m);
    for (const r of t.refs) counts[r] = (counts[r] as number) + 1;
    counts.sort();
    html += `<tr><td>${esc(t.label)}</td><td>${t.m}</td><td>${counts[0] ?? 0}</td><td>${num(quantileOfSorted(counts, 0.5))}</td><td>${counts[t.m - 1] ?? 0}</td><td>${t.names.map((n) => `<code>${esc(n)}</code>`).join(" ")}</td></tr>`;
  }
  html += "</table></div>";
  return html;
}

function modelSection(input: ReportInput): string {
  const { model, fit, posterior } = input;
  const s = posterior.settings;
  const items: [string, string][] = [
    ["formula", `<code>${esc(model.formula)}</code>`],
    ["rows used", `${model.n}${model.dropped > 0 ? ` (${model.dropped} dropped for missing values)` : ""}`],
    ["fixed effects", model.fixedNames.map((n) => `<code>${esc(n)}</code>`).join(" ") || "none"],
    [
      "random effects",
      model.terms
        .map((t) => `<code>${esc(t.names.join(" + "))} | ${esc(t.group)}</code> (${t.m} levels)`)
        .join("; "),
    ],
    [
      "sampler",
      `Gibbs, ${s.chains} chains × ${s.iter} kept draws (warmup ${s.warmup}, thin ${s.thin}), seed ${s.seed}, location update “${esc(s.strategy)}”, ${posterior.seconds.toFixed(2)} s`,
    ],
    [
      "priors",
      describePriors(posterior.priors)
        .map((line) => esc(line))
        .join("<br>"),
    ],
    [
      `${fit.method} fit`,
      `${fit.method === "REML" ? "REML criterion" : "deviance"} ${num(fit.criterion)}, logLik ${num(fit.logLik)}, AIC ${num(fit.AIC)}, BIC ${num(fit.BIC)}; optimizer ${fit.optimizer.converged ? "converged" : "<span class=warn>did not converge</span>"} (${fit.optimizer.evaluations} evaluations)${fit.singular ? `; <span class=warn>singular: ${esc(fit.singularReasons.join("; "))}</span>` : ""}`,
    ],
  ];
  const warnings = [...model.warnings, ...fit.optimizer.warnings];
  return (
    facts(items) +
    (warnings.length > 0
      ? `<ul class="warnings">${warnings.map((w) => `<li class=warn>${esc(w)}</li>`).join("")}</ul>`
      : "")
  );
}

function comparisonTable(c: Comparison): string {
  const pct = `${Math.round(c.prob * 1000) / 10}%`;
  const titles: Record<string, string> = {
    fixed: "Fixed effects",
    variance: "Variances",
    covariance: "Covariances",
    sd: "Standard deviations",
    correlation: "Correlations",
  };
  let html = `<div class="table"><table><tr><th>parameter</th><th>${esc(c.method)} estimate</th><th>se</th><th>posterior mean</th><th>sd</th><th>${pct} lower</th><th>${pct} upper</th></tr>`;
  let kind = "";
  for (const r of c.rows) {
    if (r.kind !== kind) {
      kind = r.kind;
      html += `<tr class="section"><td colspan="7">${titles[kind]}</td></tr>`;
    }
    html += `<tr${r.inside ? "" : ' class="outside"'}><td class="name"><code>${esc(r.parameter)}</code> <span class="muted">${esc(r.label)}</span></td><td>${num(r.estimate)}</td><td>${r.se === null ? "" : num(r.se)}</td><td>${num(r.mean)}</td><td>${num(r.sd)}</td><td>${num(r.lower)}</td><td>${num(r.upper)}</td></tr>`;
  }
  html += "</table></div>";
  if (c.rows.some((r) => !r.inside))
    html += `<p class="muted">Rows in red: the ${esc(c.method)} estimate lies outside the posterior's ${pct} credible interval.</p>`;
  return html;
}

function convergenceSection(summary: DrawsSummary, shown: readonly string[]): string {
  const cols = ["mean", "sd", "q5", "q95", "rhat", "ess_bulk", "ess_tail", "mcse_mean"];
  let html = `<div class="table"><table><tr><th>parameter</th>${cols.map((c) => `<th>${c}</th>`).join("")}</tr>`;
  const bad = new Set(summary.warnings.map((w) => w.parameter));
  for (const row of summary.rows) {
    if (!shown.includes(row.parameter)) continue;
    html += `<tr${bad.has(row.parameter) ? ' class="outside"' : ""}><td class="name"><code>${esc(row.parameter)}</code></td>${cols
      .map((c) => {
        const v = row.values[c] ?? Number.NaN;
        return `<td>${c.startsWith("ess") ? (Number.isFinite(v) ? String(Math.round(v)) : "NA") : c === "rhat" ? (Number.isFinite(v) ? v.toFixed(4) : "NA") : num(v)}</td>`;
      })
      .join("")}</tr>`;
  }
  html += "</table></div>";
  const hidden = summary.rows.length - shown.length;
  if (summary.warnings.length === 0)
    html += `<p class="ok">No convergence warnings: every R-hat ≤ 1.01 and every bulk and tail ESS ≥ 100 per chain${hidden > 0 ? `, the ${hidden} random effects included` : ""}.</p>`;
  else html += warningGroups(summary, hidden > 0);
  return html;
}

/** Convergence warnings grouped by kind: a count and the worst case per kind, every warning one click away. */
function warningGroups(summary: DrawsSummary, includesHidden: boolean): string {
  const groups = groupWarnings(summary.warnings);
  const parameters = new Set(summary.warnings.map((w) => w.parameter)).size;
  let html = `<p class="warn">${summary.warnings.length} convergence warning(s) on ${parameters} parameter(s)${includesHidden ? " (random effects included)" : ""}:</p><ul class="warnings">`;
  for (const g of groups) {
    const worst = g.warnings[0]!;
    html += `<li class="warn"><b>${esc(g.title)}</b>: ${g.count} parameter(s); worst <code>${esc(worst.parameter ?? "")}</code> — ${esc(worst.message)}`;
    if (g.count > 1)
      html += `<details class="warnings"><summary>all ${g.count}</summary><ul>${g.warnings.map((w) => `<li><code>${esc(w.parameter ?? "")}</code> ${esc(beyond(w.value, w.threshold, 4))}</li>`).join("")}</ul></details>`;
    html += "</li>";
  }
  return `${html}</ul>`;
}

/**
 * Builds the HTML report of a fitted model: its REML fit and its posterior, with every picture.
 *
 * @param input the model, its REML/ML fit and the posterior (with warmup draws).
 * @param options limits for large models.
 * @returns the HTML text, each picture's SVG by name, the comparison and the convergence summary.
 * @example buildReport({ model, fit: reml(model), posterior: await gibbs(model) }).html.startsWith("<!DOCTYPE html>") // true
 */
export function buildReport(input: ReportInput, options: ReportOptions = {}): Report {
  checkObjectArgument(input, "input", "{ model, fit, posterior }", ["model", "fit", "posterior"]);
  checkModelArgument(input.model, "input.model");
  checkFitArgument(input.fit, "input.fit");
  checkPosteriorArgument(input.posterior, "input.posterior");
  checkOptionKinds(options, { maxRandomEffectTraces: "number" });
  const { model, fit, posterior } = input;
  const comparison = compare(posterior, fit);
  const summary = summarizeDraws(posterior, [
    "mean",
    "sd",
    "q5",
    "q95",
    "rhat",
    "ess_bulk",
    "ess_tail",
    "mcse_mean",
  ]);
  const population = posterior.parameters.filter(isPopulationParameter);
  const randomEffects = posterior.parameters.filter((p) => !isPopulationParameter(p));
  const reference = remlValues(fit);
  const pictures: Record<string, string> = {};
  pictures["intervals"] = intervalPlot(comparisonIntervals(comparison), { referenceLabel: fit.method });
  pictures["trace"] = tracePlot(posterior, { parameters: population, warmup: posterior.warmupDraws });
  pictures["rank"] = rankPlot(posterior, { parameters: population });
  pictures["density"] = densityPlot(posterior, {
    parameters: population,
    reference,
    referenceLabel: `${fit.method} estimate`,
  });
  pictures["autocorrelation"] = autocorrelationPlot(posterior, { parameters: population });
  if (randomEffects.length > 0) {
    pictures["caterpillar"] = caterpillarPlot(caterpillarRows(posterior, reference), {
      referenceLabel: `${fit.method} conditional mode`,
    });
    pictures["shrinkage"] = shrinkagePlot(shrinkageData(model, fit, posterior));
    const maxTraces = options.maxRandomEffectTraces ?? 12;
    // The random effects whose traces say most: the lowest bulk ESS first (undefined ESS last).
    const ess = new Map(summary.rows.map((r) => [r.parameter, r.values["ess_bulk"] ?? Number.NaN]));
    const key = (p: string) => {
      const v = ess.get(p);
      return v === undefined || Number.isNaN(v) ? Number.POSITIVE_INFINITY : v;
    };
    const worst = [...randomEffects].sort((a, b) => key(a) - key(b)).slice(0, maxTraces);
    pictures["trace-random-effects"] = tracePlot(posterior, {
      parameters: worst,
      title: "Trace plots of the random effects",
      columns: 3,
      panelWidth: 270,
      panelHeight: 90,
      bucketsPerPixel: 0.5,
    });
  }
  const shownTraces = Math.min(randomEffects.length, options.maxRandomEffectTraces ?? 12);
  const title = `bayes-lmm report: ${model.formula}`;
  const sections: string[] = [];
  sections.push(
    `<h1>${esc(title)}</h1><p class="muted">${input.dataName === undefined ? "" : `Data <code>${esc(input.dataName)}</code>. `}Bayesian posterior by Gibbs sampling beside the ${esc(fit.method)} fit of the same model.</p>`,
  );
  sections.push(
    `<nav><a href="#model">Model</a><a href="#data">Data</a><a href="#comparison">Posterior vs ${esc(fit.method)}</a><a href="#convergence">Convergence</a><a href="#pictures">Pictures</a><a href="#model-check">Model check</a></nav>`,
  );
  sections.push(`<h2 id="model">Model</h2>${modelSection(input)}`);
  sections.push(`<h2 id="data">Data</h2>${dataSummary(model)}`);
  sections.push(
    `<h2 id="comparison">Posterior beside ${esc(fit.method)}</h2><p class="muted">Variance components on both of lme4's scales: variances (the sampled parameters, <code>Psi</code> and <code>sigma2</code>, against lme4's <code>vcov</code>), and standard deviations and correlations (computed per draw, against lme4's <code>sdcor</code>). ${esc(fit.method)} gives no standard error for a variance component.</p>${comparisonTable(comparison)}${figureHtml(pictures["intervals"], `Each parameter on its own axis: posterior mean and ${Math.round(comparison.prob * 100)}% credible interval (blue) above the ${esc(fit.method)} estimate (orange; fixed effects with ± 1.96 standard errors).`)}`,
  );
  sections.push(
    `<h2 id="convergence">Convergence</h2><p class="muted">R-hat (rank-normalized, split chains) and bulk/tail effective sample sizes as the R package posterior defines them (Vehtari et al. 2021). Warnings at R-hat above 1.01 or ESS below 100 per chain.</p>${convergenceSection(summary, population)}`,
  );
  let pics = `<h2 id="pictures">Pictures</h2>`;
  pics += figureHtml(
    pictures["trace"],
    "Draws against iteration, one colour per chain; the shaded part is warmup (not used in any summary).",
  );
  pics += figureHtml(
    pictures["rank"],
    "Rank histograms: flat bars in every chain mean the chains sample the same distribution.",
  );
  pics += figureHtml(
    pictures["density"],
    `Kernel density of the pooled draws, ${Math.round(comparison.prob * 100)}% credible interval shaded, the ${esc(fit.method)} estimate dashed.`,
  );
  pics += figureHtml(pictures["autocorrelation"], "Autocorrelation of each chain's draws by lag.");
  if (pictures["caterpillar"] !== undefined)
    pics += figureHtml(
      pictures["caterpillar"],
      `Random effects sorted by posterior mean: dot = mean, thick = 50%, thin = 95% interval; hollow diamond = ${esc(fit.method)} conditional mode.`,
    );
  if (pictures["shrinkage"] !== undefined)
    pics += figureHtml(
      pictures["shrinkage"],
      "Each level's coefficients from its own rows alone (grey), from REML (orange) and the posterior mean (blue): partial pooling pulls levels toward the population value.",
    );
  if (pictures["trace-random-effects"] !== undefined)
    pics += `<details><summary>Trace plots of the random effects: the ${shownTraces} of ${randomEffects.length} with the lowest bulk ESS</summary>${figureHtml(pictures["trace-random-effects"], "Kept draws only.")}</details>`;
  sections.push(pics);
  const check = modelCheckSection(posterior);
  Object.assign(pictures, check.pictures);
  sections.push(check.html);
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><main>
${sections.join("\n")}
<p class="muted">Made by bayes-lmm. Parameter names: <code>beta[COLUMN]</code>, <code>sigma2</code>, <code>Psi[GROUP][A,B]</code>, <code>b[GROUP][LEVEL,NAME]</code>.</p>
</main></body></html>
`;
  return { html, pictures, comparison, summary };
}
