import { describe, expect, it } from "vitest";
import { compare, formatComparison, remlValues } from "../../diagnostics/compare";
import { fixef, varCorr } from "../../diagnostics/vocabulary";
import { ArgumentError } from "../../src/errors";
import { readJsonFixture } from "../helpers/fixtures";
import { penicillin, sleepstudy } from "../plots/fitted";

interface Lme4Fixture {
  fixef: Record<string, number>;
  se: Record<string, number>;
  sigma: number;
  varcorr: { grp: string; var1: string | null; var2: string | null; vcov: number; sdcor: number }[];
}

describe("compare", () => {
  it("sleepstudy: REML estimates (as lme4 gives them) beside the posterior's own summaries, on both scales", () => {
    const { fit, posterior } = sleepstudy();
    const c = compare(posterior, fit);
    expect(c.method).toBe("REML");
    expect(c.rows.map((r) => `${r.kind} ${r.parameter}`)).toEqual([
      "fixed beta[(Intercept)]",
      "fixed beta[Days]",
      "variance Psi[Subject][(Intercept),(Intercept)]",
      "variance Psi[Subject][Days,Days]",
      "variance sigma2",
      "covariance Psi[Subject][(Intercept),Days]",
      "sd sd[Subject][(Intercept)]",
      "sd sd[Subject][Days]",
      "sd sigma",
      "correlation cor[Subject][(Intercept),Days]",
    ]);
    // The REML side is lme4's (1e-3 relative: the REML tests' own tolerance for VarCorr).
    const fx = readJsonFixture<Lme4Fixture>("lme4/sleep_slope_reml.json");
    const row = (p: string) => c.rows.find((r) => r.parameter === p)!;
    expect(row("beta[Days]").estimate).toBeCloseTo(fx.fixef["Days"]!, 3);
    expect(row("beta[Days]").se!).toBeCloseTo(fx.se["Days"]!, 3);
    expect(row("sigma2").estimate / fx.sigma ** 2).toBeCloseTo(1, 3);
    expect(row("sd[Subject][Days]").estimate / fx.varcorr[1]!.sdcor).toBeCloseTo(1, 3);
    expect(row("cor[Subject][(Intercept),Days]").estimate).toBeCloseTo(fx.varcorr[2]!.sdcor, 2);
    expect(row("Psi[Subject][Days,Days]").se).toBeNull();
    // The posterior side is exactly the posterior's summaries.
    const f = fixef(posterior);
    expect(row("beta[Days]").mean).toBe(f[1]!.estimate);
    expect(row("beta[Days]").upper).toBe(f[1]!.upper);
    const vc = varCorr(posterior);
    expect(row("sd[Subject][Days]").mean).toBe(
      vc.find((v) => v.sdcor.name === "sd[Subject][Days]")!.sdcor.estimate,
    );
    for (const r of c.rows) expect(r.inside).toBe(r.estimate >= r.lower && r.estimate <= r.upper);
  });

  it("penicillin (crossed): one variance and SD per factor and the residual", () => {
    const { fit, posterior } = penicillin();
    const c = compare(posterior, fit);
    expect(
      c.rows
        .filter((r) => r.kind === "variance")
        .map((r) => r.label)
        .sort(),
    ).toEqual(["Residual", "plate (Intercept)", "sample (Intercept)"]);
    expect(c.rows.filter((r) => r.kind === "covariance")).toHaveLength(0);
  });

  it("prints a table with a section per kind and marks estimates outside the interval", () => {
    const { fit, posterior } = sleepstudy();
    const c = compare(posterior, fit);
    const text = formatComparison(c);
    expect(text.split("\n")[0]).toBe("Posterior (mean, sd, 95% interval) beside REML (estimate, se)");
    expect(text).toContain("Fixed effects");
    expect(text).toContain("Variance components (standard deviations)");
    expect(text).toMatch(/^Days\s+10\.4\d+\s+1\.54\d+/m);
    const forced = { ...c, rows: c.rows.map((r, i) => (i === 0 ? { ...r, inside: false } : r)) };
    expect(formatComparison(forced)).toContain("* the REML estimate lies outside the 95% credible interval");
  });

  it("refuses a fit of another model", () => {
    const { posterior } = sleepstudy();
    const { fit } = penicillin();
    expect(() => compare(posterior, fit)).toThrow(ArgumentError);
  });

  it("remlValues names every parameter as the posterior does", () => {
    const { fit, posterior } = sleepstudy();
    const values = remlValues(fit);
    for (const p of posterior.parameters) expect(values[p], p).toBeTypeOf("number");
    expect(values["sigma2"]).toBeCloseTo(fit.sigma ** 2, 12);
  });
});
