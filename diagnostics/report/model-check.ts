/**
 * The report's "Model check" section: posterior predictive checks of the model against its own data
 * (Gabry et al. 2019) — the density of y over replicated data sets, test statistics with their
 * posterior predictive p-values, a statistic per group, predictive intervals per row (per group where
 * the groups are few), residuals against fitted values — and the Bayesian R².
 *
 * Sizes are bounded for large data: at most 1,000 evenly spaced draws for the statistics, intervals
 * and residuals (50 for the density overlay), the grouped pictures only for a grouping factor of at
 * most 30 levels, the per-row intervals only up to 400 rows (or grouped up to 30 groups of 2,000 rows).
 */
import type { Posterior } from "../../src/draws/posterior";
import type { LmmModel } from "../../src/model/types";
import { posteriorLinpred, posteriorPredict } from "../../src/predict/posterior";
import { bayesR2 } from "../bayes-r2";
import { formatNumber } from "../compare";
import { groupLabels } from "../plots/ppc";
import { ppcDensOverlay } from "../plots/ppc-density";
import { ppcIntervals } from "../plots/ppc-intervals";
import { ppcResiduals } from "../plots/ppc-residuals";
import { ppcStat, ppcStatGrouped } from "../plots/ppc-stat";
import { escapeXml as esc } from "../plots/svg";

/** Draws used by the checks at most. */
const CHECK_DRAWS = 1000;
/** Grouped pictures: at most this many levels. */
const MAX_GROUPS = 30;
/** Per-row intervals in one panel: at most this many rows. */
const MAX_INTERVAL_ROWS = 400;
/** Grouped intervals: at most this many rows. */
const MAX_GROUPED_ROWS = 2000;

/** The section's HTML and its pictures by name. */
export interface ModelCheck {
  readonly html: string;
  readonly pictures: Readonly<Record<string, string>>;
}

function figureHtml(svg: string, caption: string): string {
  return `<figure>${svg}<figcaption>${caption}</figcaption></figure>`;
}

/** The first predictor column with more than two values (e.g. Days), for the intervals' x axis. */
function predictor(model: LmmModel): { name: string; values: Float64Array } | null {
  const { n, p, X } = model;
  for (let j = 0; j < p; j++) {
    if (model.fixedNames[j] === "(Intercept)") continue;
    const seen = new Set<number>();
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      values[i] = X[i * p + j]!;
      if (seen.size <= 2) seen.add(values[i]!);
    }
    if (seen.size > 2) return { name: model.fixedNames[j]!, values };
  }
  return null;
}

/**
 * The "Model check" section of a report.
 *
 * @param posterior - the sampler's result; the checks need its random effects' draws
 * @returns the section's HTML (with its heading) and the pictures; without the random effects' draws,
 *   a note saying how to get them and no pictures
 */
export function modelCheckSection(posterior: Posterior): ModelCheck {
  const model = posterior.model;
  const heading = `<h2 id="model-check">Model check</h2>`;
  if (posterior.randomEffects !== "draws" && model.terms.length > 0)
    return {
      html: `${heading}<p class="muted">The posterior predictive checks need the random effects' draws, which this run kept only as running means (the model has many random effects). Sample with <code>randomEffects: "draws"</code> to see them.</p>`,
      pictures: {},
    };
  const seed = posterior.settings.seed;
  const size = posterior.chains * posterior.iterations;
  const ndraws = Math.min(size, CHECK_DRAWS);
  const yrep = posteriorPredict(posterior, { seed, ndraws });
  const pictures: Record<string, string> = {};
  const response = model.response;
  pictures["ppc-density"] = ppcDensOverlay(
    posteriorPredict(posterior, { seed: seed + 1, ndraws: Math.min(size, 50) }),
    {
      response,
    },
  );
  pictures["ppc-stat"] = ppcStat(yrep);
  const grouping = model.terms.find((t) => t.m <= MAX_GROUPS && t.m >= 2);
  const labels = grouping === undefined ? null : groupLabels(model, grouping.group);
  const groupedIntervals = labels !== null && model.n <= MAX_GROUPED_ROWS;
  if (grouping !== undefined && labels !== null)
    pictures["ppc-stat-grouped"] = ppcStatGrouped(yrep, { group: labels, groupName: grouping.group });
  const x = predictor(model);
  const xOptions = x === null ? {} : { x: x.values, xLabel: x.name };
  if (groupedIntervals)
    pictures["ppc-intervals"] = ppcIntervals(yrep, { ...xOptions, group: labels, response });
  else if (model.n <= MAX_INTERVAL_ROWS)
    pictures["ppc-intervals"] = ppcIntervals(yrep, { ...xOptions, response });
  pictures["ppc-residuals"] = ppcResiduals(posteriorLinpred(posterior, { ndraws }));
  const r2 = bayesR2(posterior);
  let html = `${heading}<p class="muted">Posterior predictive checks (Gabry et al. 2019): data sets <code>y_rep</code> replicated from the posterior (one per draw: <code>${ndraws}</code> draws, evenly spaced, seed ${seed}) against the observed <code>${esc(response)}</code>. Where the model fits, the observed data look like one more replicate. A posterior predictive p-value near 0 or 1 marks a feature of the data the model does not reproduce.</p>`;
  html += `<p>Bayesian R² (Gelman, Goodrich, Gabry &amp; Vehtari 2019, var(fit) / (var(fit) + sigma2) per draw${posterior.model.weights || posterior.model.varIdent ? ", sigma2 being the mean over the rows of each row's residual variance (precision weights or varIdent)" : ""}): <b>${esc(formatNumber(r2.estimate))}</b> (95% credible interval ${esc(formatNumber(r2.lower))} – ${esc(formatNumber(r2.upper))}).</p>`;
  html += figureHtml(
    pictures["ppc-density"],
    `Kernel density of the observed ${esc(response)} (dark) over those of 50 replicated data sets (light).`,
  );
  html += figureHtml(
    pictures["ppc-stat"],
    "Mean, sd, min and max of each replicated data set (histogram) against the observed value (line); p = Pr(T(y_rep) ≥ T(y)).",
  );
  if (pictures["ppc-stat-grouped"] !== undefined && grouping !== undefined)
    html += figureHtml(
      pictures["ppc-stat-grouped"],
      `The mean of each level of <code>${esc(grouping.group)}</code> in the replicated data against the observed one, with its p-value.`,
    );
  if (pictures["ppc-intervals"] !== undefined)
    html += figureHtml(
      pictures["ppc-intervals"],
      `Per row: the 50% (thick) and 90% (thin) intervals and the median (open) of the replicated values, and the observed value (dot)${groupedIntervals && grouping !== undefined ? `, a panel per level of <code>${esc(grouping.group)}</code>` : ""}. About 10% of the dots should lie outside the thin bars.`,
    );
  else
    html += `<p class="muted">Per-row predictive intervals are left out: ${model.n} rows are too many to show one by one.</p>`;
  html += figureHtml(
    pictures["ppc-residuals"],
    "Posterior mean residual against posterior mean fitted value, each with its 90% interval: a trend or a funnel is a misfit.",
  );
  return { html, pictures };
}
