import { describe, expect, it } from "vitest";
import { buildReport } from "../../diagnostics/report/report";
import { gibbsSync } from "../../samplers/gibbs";
import { penicillin, sleepstudy } from "../plots/fitted";
import { parseSvg } from "../plots/helpers";

/** Every inline <svg>...</svg> of an HTML text. */
function inlineSvgs(html: string): string[] {
  return html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
}

describe("buildReport", () => {
  it("without the random effects' draws, the model check says how to get them", () => {
    const { model, fit, posterior } = sleepstudy();
    const summaryOnly = gibbsSync(model, {
      iter: 100,
      warmup: 50,
      chains: 2,
      seed: 1,
      randomEffects: "summary",
    });
    const report = buildReport({ model, fit, posterior: summaryOnly });
    expect(report.html).toContain('id="model-check"');
    expect(report.html).toContain("need the random effects' draws");
    expect(report.pictures["ppc-stat"]).toBeUndefined();
    expect(posterior.randomEffects).toBe("draws");
  });

  it("sleepstudy: one self-contained page with every section, table and picture", () => {
    const { model, fit, posterior } = sleepstudy();
    const report = buildReport({ model, fit, posterior, dataName: "sleepstudy.csv" });
    const { html } = report;
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    for (const id of ["model", "data", "comparison", "convergence", "pictures", "model-check"])
      expect(html).toContain(`id="${id}"`);
    // Self-contained: no script, no external reference of any kind.
    expect(html).not.toMatch(
      /<script|<link|<img|<iframe|@import|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg)/i,
    );
    // The model, the data summary, the comparison and the convergence table.
    expect(html).toContain("Reaction ~ Days + (Days | Subject)");
    expect(html).toContain("sleepstudy.csv");
    expect(html).toContain("<td>180</td>");
    expect(html).toContain("REML estimate");
    for (const r of report.comparison.rows)
      expect(html).toContain(`<code>${r.parameter.replace(/&/g, "&amp;")}</code>`);
    expect(html).toMatch(/No convergence warnings|convergence warning\(s\)/);
    // Every picture is inline and well-formed.
    expect(Object.keys(report.pictures).sort()).toEqual([
      "autocorrelation",
      "caterpillar",
      "density",
      "intervals",
      "ppc-density",
      "ppc-intervals",
      "ppc-residuals",
      "ppc-stat",
      "ppc-stat-grouped",
      "rank",
      "shrinkage",
      "trace",
      "trace-random-effects",
    ]);
    const svgs = inlineSvgs(html);
    expect(svgs).toHaveLength(13);
    // The model check: the pictures, grouped by Subject, and the Bayesian R² as bayesR2 gives it.
    expect(html).toContain("Posterior predictive check: mean per Subject");
    expect(report.pictures["ppc-intervals"]).toContain(">372</text>");
    expect(html).toMatch(/Bayesian R² [^<]*<b>0\.\d+<\/b>/);
    for (const svg of svgs) parseSvg(svg);
  });

  it("lists convergence warnings when the chains disagree", () => {
    const { model, fit, posterior } = sleepstudy();
    // Shift chain 2 of beta[Days] far away: R-hat must warn and the report must say so by name.
    const values = Float64Array.from(posterior.values);
    const k = posterior.parameters.indexOf("beta[Days]");
    const start = (k * posterior.chains + 1) * posterior.iterations;
    for (let t = 0; t < posterior.iterations; t++) values[start + t] = values[start + t]! + 50;
    const report = buildReport({ model, fit, posterior: { ...posterior, values } });
    expect(report.summary.warnings.some((w) => w.parameter === "beta[Days]" && w.kind === "rhat")).toBe(true);
    expect(report.html).toContain("convergence warning(s)");
    // Grouped by kind with a count, the worst named; every warning one click away.
    const rhats = report.summary.warnings.filter((w) => w.kind === "rhat");
    expect(report.html).toContain(`<b>R-hat above 1.01</b>: ${rhats.length} parameter(s); worst <code>`);
    expect(report.html.match(/<li class="warn">/g)!.length).toBe(
      new Set(report.summary.warnings.map((w) => w.kind)).size,
    );
    expect(report.html).toMatch(/<li><code>beta\[Days\]<\/code>/);
  });

  it("penicillin (crossed): two factors in the data summary, caterpillar and shrinkage", () => {
    const { model, fit, posterior } = penicillin();
    const report = buildReport({ model, fit, posterior });
    expect(report.html).toMatch(/<td>plate<\/td><td>24<\/td>/);
    expect(report.html).toMatch(/<td>sample<\/td><td>6<\/td>/);
    expect(report.pictures["caterpillar"]).toContain("b[plate] (Intercept)");
    expect(report.pictures["caterpillar"]).toContain("b[sample] (Intercept)");
    // The model check's grouped pictures take the first factor with at most 30 levels: plate (24).
    expect(report.pictures["ppc-stat-grouped"]).toContain("mean per plate");
    for (const svg of inlineSvgs(report.html)) parseSvg(svg);
  });
});
