/**
 * `bayes-lmm fit` through the in-process runner: the JSON contract of CLI.md on every lme4 fixture
 * (InstEval aside: see test/reml/insteval.test.ts), the text form, --ml, and bad input → exit 2.
 */
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli";
import { dataPath, LME4_MODELS, readJsonFixture } from "../helpers/fixtures";
import type { Lme4Fixture } from "../reml/compare";

interface FitDoc {
  method: string;
  formula: string;
  nobs: number;
  ngroups: Record<string, number>;
  fixef: Record<string, number>;
  se: Record<string, number>;
  vcov: number[][];
  sigma: number;
  theta: number[];
  varcorr: { grp: string; var1: string | null; var2: string | null; vcov: number; sdcor: number }[];
  logLik: number;
  AIC: number;
  BIC: number;
  REMLcrit?: number;
  deviance?: number;
  singular: boolean;
  ranef: Record<string, { levels: string[]; names: string[]; values: number[][] }>;
}

const CONTRACT = ["method", "formula", "nobs", "ngroups", "fixef", "se", "vcov", "sigma", "theta", "varcorr"];

describe("bayes-lmm fit --json", () => {
  it.each(LME4_MODELS.filter((m) => !m.startsWith("insteval")))("%s matches lme4", async (name) => {
    const fx = readJsonFixture<Lme4Fixture & { formula: string; data: string }>(`lme4/${name}.json`);
    const args = ["fit", "--data", dataPath(fx.data), "--formula", fx.formula, "--json"];
    const r = await cli(...(fx.REML ? args : [...args, "--ml"]));
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as FitDoc;
    const keys = Object.keys(doc);
    for (const k of [...CONTRACT, "logLik", "AIC", "BIC", "singular", "ranef"]) expect(keys).toContain(k);
    expect(keys).toContain(fx.REML ? "REMLcrit" : "deviance");
    expect(keys).not.toContain(fx.REML ? "deviance" : "REMLcrit");
    expect(doc.method).toBe(fx.REML ? "REML" : "ML");
    expect(doc.nobs).toBe(fx.nobs);
    expect(doc.ngroups).toEqual(fx.ngroups);
    expect(Object.keys(doc.fixef)).toEqual(Object.keys(fx.fixef));
    for (const [k, v] of Object.entries(fx.fixef))
      expect(Math.abs(doc.fixef[k]! - v) / Math.abs(v)).toBeLessThan(1e-4);
    for (const [k, v] of Object.entries(fx.se)) expect(Math.abs(doc.se[k]! - v) / v).toBeLessThan(1e-3);
    expect(doc.vcov.length).toBe(Object.keys(fx.fixef).length);
    expect(Math.abs(doc.sigma - fx.sigma) / fx.sigma).toBeLessThan(1e-4);
    expect(doc.varcorr.map((r) => [r.grp, r.var1, r.var2])).toEqual(
      fx.varcorr.map((r) => [r.grp, r.var1, r.var2]),
    );
    const crit = fx.REML ? doc.REMLcrit! : doc.deviance!;
    expect(crit - (fx.REML ? fx.REMLcrit! : fx.deviance!)).toBeLessThan(1e-3);
    expect(doc.singular).toBe(fx.singular);
    expect(Object.keys(doc.ranef)).toEqual(Object.keys(fx.ranef ?? {}));
    for (const [g, rows] of Object.entries(fx.ranef ?? {})) {
      const mine = doc.ranef[g]!;
      expect(mine.levels).toEqual(rows.map((r) => String(r["level"])));
      expect(mine.values.length).toBe(rows.length);
    }
  });
});

describe("bayes-lmm fit (text)", () => {
  it("prints lme4's summary layout", async () => {
    const r = await cli(
      "fit",
      "--data",
      dataPath("sleepstudy"),
      "--formula",
      "Reaction ~ Days + (Days | Subject)",
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("Linear mixed model fit by REML");
    expect(r.stdout).toContain("REML criterion at convergence: 1743.6");
    expect(r.stdout).toMatch(/Subject\s+\(Intercept\)\s+612\.\d+\s+24\.74/);
    expect(r.stdout).toMatch(/Days\s+10\.467\s+1\.546\s+6\.771/);
    expect(r.stdout).toContain("Number of obs: 180, groups:  Subject, 18");
    expect(r.stdout).toContain("Correlation of Fixed Effects:");
  });

  it("--ml prints the ML criteria, and a singular fit says what is singular", async () => {
    const r = await cli(
      "fit",
      "--data",
      dataPath("Dyestuff2"),
      "--formula",
      "Yield ~ 1 + (1 | Batch)",
      "--ml",
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("Linear mixed model fit by maximum likelihood");
    expect(r.stdout).toMatch(/deviance/);
    expect(r.stdout).toContain("boundary (singular) fit");
    expect(r.stdout).toContain("the variance of the random intercepts for `Batch` is estimated as zero");
  });
});

describe("bayes-lmm fit: bad input", () => {
  it("exits 2 naming an unknown column", async () => {
    const r = await cli(
      "fit",
      "--data",
      dataPath("sleepstudy"),
      "--formula",
      "Reaction ~ Dayz + (1 | Subject)",
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Dayz/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("exits 2 without --data, and for a formula without random effects", async () => {
    const a = await cli("fit", "--formula", "y ~ x + (1 | g)");
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/--data/);
    const b = await cli("fit", "--data", dataPath("sleepstudy"), "--formula", "Reaction ~ Days");
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/random-effects term/);
  });

  it("exits 2 for a missing file", async () => {
    const r = await cli("fit", "--data", "no-such-file.csv", "--formula", "y ~ 1 + (1 | g)");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no-such-file\.csv/);
  });
});
