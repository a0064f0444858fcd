import { describe, expect, it } from "vitest";
import { shrinkageData, shrinkagePlot } from "../../diagnostics/plots/shrinkage";
import { readJsonFixture } from "../helpers/fixtures";
import { penicillin, sleepstudy } from "./fitted";
import { all, num, parseSvg, texts } from "./helpers";

interface Lme4Fixture {
  fixef: Record<string, number>;
  ranef: Record<string, ({ level: string } & Record<string, number>)[]>;
}

describe("shrinkageData", () => {
  it("sleepstudy: separate fits are per-subject least squares, REML = lme4's fixef + ranef, posterior = mean of beta + b", () => {
    const { model, fit, posterior } = sleepstudy();
    const [factor] = shrinkageData(model, fit, posterior);
    expect(factor!.group).toBe("Subject");
    expect(factor!.names).toEqual(["(Intercept)", "Days"]);
    expect(factor!.levels).toHaveLength(18);
    const fx = readJsonFixture<Lme4Fixture>("lme4/sleep_slope_reml.json");
    for (const level of factor!.levels) {
      // Oracle: simple linear regression of Reaction on Days over the subject's rows.
      const rows = Array.from({ length: model.n }, (_, i) => i).filter(
        (i) => model.terms[0]!.levels[model.terms[0]!.refs[i]!] === level.level,
      );
      const xs = rows.map((i) => model.X[i * model.p + 1]!);
      const ys = rows.map((i) => model.y[i]!);
      const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
      const my = ys.reduce((a, b) => a + b, 0) / ys.length;
      const slope =
        xs.reduce((s, x, j) => s + (x - mx) * (ys[j]! - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
      expect(level.n).toBe(10);
      expect(level.separate![1]).toBeCloseTo(slope, 9);
      expect(level.separate![0]).toBeCloseTo(my - slope * mx, 9);
      // REML: lme4's conditional modes plus fixed effects (1e-3 relative: the REML tests' tolerance).
      const ref = fx.ranef["Subject"]!.find((r) => r.level === level.level)!;
      expect(level.reml[0]).toBeCloseTo(fx.fixef["(Intercept)"]! + ref["(Intercept)"]!, 1);
      expect(level.reml[1]).toBeCloseTo(fx.fixef["Days"]! + ref["Days"]!, 2);
      // Posterior: mean over draws of beta + b.
      const mean = (name: string) => {
        const k = posterior.parameters.indexOf(name);
        const block = posterior.chains * posterior.iterations;
        let s = 0;
        for (let i = k * block; i < (k + 1) * block; i++) s += posterior.values[i]!;
        return s / block;
      };
      expect(level.posterior![1]).toBeCloseTo(
        mean("beta[Days]") + mean(`b[Subject][${level.level},Days]`),
        9,
      );
    }
    // Partial pooling: the subjects' coefficients spread less than their separate fits do (one subject
    // can move away in one coefficient when intercept and slope are pulled together, so compare spreads).
    const spread = (v: number[]) => {
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return v.reduce((a, b) => a + (b - m) ** 2, 0);
    };
    for (const c of [0, 1]) {
      expect(spread(factor!.levels.map((l) => l.reml[c]!))).toBeLessThan(
        spread(factor!.levels.map((l) => l.separate![c]!)),
      );
      expect(spread(factor!.levels.map((l) => l.posterior![c]!))).toBeLessThan(
        spread(factor!.levels.map((l) => l.separate![c]!)),
      );
    }
  });

  it("penicillin (crossed): each factor's separate fit is the level's mean response", () => {
    const { model, fit, posterior } = penicillin();
    const factors = shrinkageData(model, fit, posterior);
    expect(factors.map((f) => f.group).sort()).toEqual(["plate", "sample"]);
    for (const f of factors) {
      const term = model.terms.find((t) => t.group === f.group)!;
      f.levels.forEach((l, j) => {
        let s = 0;
        let n = 0;
        for (let i = 0; i < model.n; i++)
          if (term.refs[i] === j) {
            s += model.y[i]!;
            n++;
          }
        expect(l.separate![0]).toBeCloseTo(s / n, 9);
      });
    }
  });
});

describe("shrinkagePlot", () => {
  it("sleepstudy: one 2-D panel, a separate-fit circle, a REML triangle and a posterior dot per subject, axes named by the coefficients", () => {
    const { model, fit, posterior } = sleepstudy();
    const data = shrinkageData(model, fit, posterior);
    const root = parseSvg(shrinkagePlot(data));
    const labels = texts(root);
    expect(labels).toEqual(
      expect.arrayContaining(["(Intercept)", "Days", "separate least-squares fit", "posterior mean"]),
    );
    const circles = all(root, "circle");
    // 18 hollow circles (separate), 18 filled (posterior) + legend markers.
    const hollow = circles.filter((c) => c.getAttribute("fill") === "#ffffff");
    expect(hollow.length).toBe(18 + 1);
    // A separate-fit point sits at its coordinates on the x axis's scale.
    const panel = all(root, "g").find((g) => g.getAttribute("aria-label") === "panel 1")!;
    const ticks = all(panel, "text").filter(
      (t) => t.getAttribute("text-anchor") === "middle" && /^\d+$/.test(t.textContent ?? ""),
    );
    const a = ticks[0]!;
    const b = ticks[ticks.length - 1]!;
    const x = (v: number) =>
      num(a, "x") +
      ((v - Number(a.textContent)) * (num(b, "x") - num(a, "x"))) /
        (Number(b.textContent) - Number(a.textContent));
    const first = data[0]!.levels[0]!.separate![0]!;
    expect(hollow.some((c) => Math.abs(num(c, "cx") - x(first)) < 0.6)).toBe(true);
  });

  it("penicillin: a panel per factor with the three columns named", () => {
    const { model, fit, posterior } = penicillin();
    const root = parseSvg(shrinkagePlot(shrinkageData(model, fit, posterior)));
    const labels = texts(root);
    expect(labels.filter((t) => t === "separate fit")).toHaveLength(2);
    expect(labels.some((t) => t.startsWith("plate: (Intercept)"))).toBe(true);
    expect(labels.some((t) => t.startsWith("sample: (Intercept)"))).toBe(true);
  });
});
