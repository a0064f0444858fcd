/**
 * REML and ML are invariant to shifts of the response and of numeric covariates, and so is our fit
 * (src/reml/center.ts): sleepstudy with Reaction + 1e9 and Oxboys with age + 1e4 give the unshifted
 * fit's criterion, theta (carried over to the shifted parametrization where a random slope makes it
 * change: Psi' = B⁻¹ Psi B⁻ᵀ), standard errors and sigma to 1e-8 relative, with the fixed effects
 * transformed accordingly. The intercept's standard error changes meaning under a covariate shift; it is
 * compared with lme4's fit of the shifted data (test/fixtures/reml/shift.R) — and with the exact
 * transform of the unshifted covariance where lme4's shifted fit fails (Oxboys' `(age | Subject)`:
 * lme4 stops at a criterion of 940.6 instead of 724.1, which its own deviance function gives at the
 * carried-over theta).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv";
import { lmm } from "../../src/model/lmm";
import { fitLmm } from "../../src/reml/fit";
import type { RemlFit } from "../../src/reml/types";
import { dataPath, readJsonFixture } from "../helpers/fixtures";
import { naiveConditionalVariances } from "./synthetic";

interface LmeFit {
  fixef: number[];
  se: number[];
  theta: number[];
  sigma: number;
  criterion: number;
  varcorr: number[];
  messages: string[];
}
interface ShiftCase {
  data: string;
  formula: string;
  column: string;
  shift: number;
  fits: Record<
    "REML" | "ML",
    { unshifted: LmeFit; shifted: LmeFit; theta_carried?: number[]; lme4_at_carried?: number }
  >;
}
const reference = readJsonFixture<{ cases: ShiftCase[] }>("reml/shift.json");

/** The data set as columns, with `shift` added to one column. */
function shifted(name: string, column: string, shift: number): Record<string, unknown[]> {
  const table = parseCsv(readFileSync(dataPath(name), "utf8"));
  return Object.fromEntries(
    table.names.map((n) => {
      const c = table.column(n)!;
      const values: unknown[] =
        c.type === "numeric" ? Array.from(c.values) : c.type === "invalid" ? [] : [...c.values];
      return [n, n === column ? values.map((v) => (v as number) + shift) : values];
    }),
  );
}

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

/** The 2 × 2 relative covariance factor of `(x | g)` carried over to x + c: lowerFactor(B⁻¹ T). */
function carriedTheta(theta: readonly number[], c: number): number[] {
  // B⁻¹ T = [[T00 - c T10, -c T11], [T10, T11]]; its lower factor by one Givens rotation.
  const [t00, t10, t11] = theta as [number, number, number];
  const a = t00 - c * t10;
  const b = -c * t11;
  const h = Math.hypot(a, b);
  return [h, (t10 * a + t11 * b) / h, Math.abs((-t10 * b + t11 * a) / h)];
}

describe.each(reference.cases)("$formula with $column + $shift", (c) => {
  describe.each(["REML", "ML"] as const)("%s", (method) => {
    const ref = c.fits[method];
    const base = fitLmm(lmm(c.formula, shifted(c.data, c.column, 0)), { method });
    const moved: RemlFit = fitLmm(lmm(c.formula, shifted(c.data, c.column, c.shift)), { method });

    it("the unshifted fit is lme4's", () => {
      expect(rel(base.criterion, ref.unshifted.criterion)).toBeLessThan(1e-8);
      base.beta.forEach((b, j) => {
        expect(rel(b, ref.unshifted.fixef[j]!)).toBeLessThan(1e-5);
      });
    });

    it("gives the unshifted criterion and sigma to 1e-8", () => {
      expect(rel(moved.criterion, base.criterion)).toBeLessThan(1e-8);
      expect(rel(moved.sigma, base.sigma)).toBeLessThan(1e-8);
      expect(moved.optimizer.converged).toBe(true);
    });

    it("gives the unshifted theta (carried over for a random slope) to 1e-8", () => {
      const expected =
        base.theta.length === 3 && c.column !== "Reaction" ? carriedTheta(base.theta, c.shift) : base.theta;
      moved.theta.forEach((t, k) => {
        expect(rel(t, expected[k]!), `theta[${k}]`).toBeLessThan(1e-8);
      });
      // lme4's unshifted theta carried over in R (its optimizer's tolerance: 1e-3 as for variances).
      if (ref.theta_carried !== undefined)
        ref.theta_carried.forEach((t, k) => {
          expect(rel(moved.theta[k]!, t)).toBeLessThan(1e-3);
        });
    });

    it("transforms the fixed effects: y + c moves the intercept by c, x + c by -c times the slope", () => {
      const expected =
        c.column === "Reaction"
          ? [base.beta[0]! + c.shift, base.beta[1]!]
          : [base.beta[0]! - c.shift * base.beta[1]!, base.beta[1]!];
      moved.beta.forEach((b, j) => {
        expect(rel(b, expected[j]!), `beta[${j}]`).toBeLessThan(1e-8);
      });
    });

    it("gives the unshifted slope's standard error to 1e-8, and the shifted intercept's as lme4 and the exact transform do", () => {
      expect(rel(moved.se[1]!, base.se[1]!)).toBeLessThan(1e-8);
      if (c.column === "Reaction") {
        expect(rel(moved.se[0]!, base.se[0]!)).toBeLessThan(1e-8);
        return;
      }
      // var(b0 - c b1) = V00 - 2c V01 + c² V11 of the unshifted fit.
      const V = base.vcov;
      const exact = Math.sqrt(V[0]![0]! - 2 * c.shift * V[0]![1]! + c.shift ** 2 * V[1]![1]!);
      expect(rel(moved.se[0]!, exact)).toBeLessThan(1e-8);
      if (ref.shifted.messages.length === 0) expect(rel(moved.se[0]!, ref.shifted.se[0]!)).toBeLessThan(1e-3);
    });
  });
});

describe("lme4 on Oxboys' height ~ age + (age | Subject) with age + 1e4", () => {
  const c = reference.cases.find((k) => k.formula.includes("(age | Subject)"))!;
  it.each(["REML", "ML"] as const)(
    "%s: lme4's shifted fit fails; its own criterion at the carried theta is ours",
    (method) => {
      const ref = c.fits[method];
      const moved = fitLmm(lmm(c.formula, shifted(c.data, c.column, c.shift)), { method });
      expect(ref.shifted.criterion - moved.criterion).toBeGreaterThan(100);
      expect(rel(moved.criterion, ref.lme4_at_carried!)).toBeLessThan(1e-8);
    },
  );
});

describe("conditional SDs of a centred random term (read from the model itself when first asked for)", () => {
  it("equal sigma² diag(Lambda (Lambda'Z'Z Lambda + I)^{-1} Lambda') of the model, shifted or not", () => {
    // They are computed on the model's own (uncentred) system, whose condition number shifted by 1e4
    // is near 1e8: agreement to 1e-5 there (the dense reference has the same conditioning), and the
    // slope's SDs, which the shift does not change, agree with the unshifted ones to 1e-5 too.
    const slopes: number[][] = [];
    for (const shift of [0, 1e4]) {
      const model = lmm("height ~ age + (age | Subject)", shifted("Oxboys", "age", shift));
      const fit = fitLmm(model, { method: "REML" });
      const naive = naiveConditionalVariances(model, Float64Array.from(fit.theta), fit.sigma ** 2);
      const term = fit.ranef[0]!;
      term.condSd.forEach((row, l) => {
        row.forEach((sd, a) => {
          const ref = Math.sqrt(naive[0]![l * 2 + a]!);
          expect(Math.abs(sd - ref) / ref).toBeLessThan(shift === 0 ? 1e-9 : 1e-5);
        });
      });
      slopes.push(term.condSd.map((row) => row[1]!));
      expect(JSON.parse(JSON.stringify(term)).condSd).toEqual(term.condSd);
    }
    slopes[0]!.forEach((sd, l) => {
      expect(rel(slopes[1]![l]!, sd)).toBeLessThan(1e-5);
    });
  });
});
