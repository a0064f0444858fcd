/**
 * bayesR2 against a hand computation from the parameters' draws (mu_i = beta0 + beta1 Days_i +
 * b_0,s(i) + b_1,s(i) Days_i; the sample variance over rows; sigma2 or the residuals' variance), and
 * its options and errors. (Against Stan's draws: posterior-stan.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { bayesR2 } from "../../diagnostics/bayes-r2";
import { gibbsSync } from "../../samplers/gibbs";
import { lmm } from "../../src/model/lmm";
import { readCsvFile } from "../../src/node/data-file";
import { dataPath } from "../helpers/fixtures";

const model = lmm("Reaction ~ Days + (Days | Subject)", readCsvFile(dataPath("sleepstudy")));
const post = gibbsSync(model, { iter: 200, warmup: 100, chains: 2, seed: 8, randomEffects: "draws" });
const S = post.chains * post.iterations;
const at = (name: string, d: number) => post.values[post.parameters.indexOf(name) * S + d]!;

function variance(x: number[]): number {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1);
}

describe("bayesR2", () => {
  const subject = model.terms[0]!;
  const mu = (d: number, re: boolean) =>
    Array.from({ length: model.n }, (_, i) => {
      const days = model.X[i * 2 + 1]!;
      const level = subject.levels[subject.refs[i]!]!;
      let m = at("beta[(Intercept)]", d) + at("beta[Days]", d) * days;
      if (re) m += at(`b[Subject][${level},(Intercept)]`, d) + at(`b[Subject][${level},Days]`, d) * days;
      return m;
    });

  it("is var(mu) / (var(mu) + sigma2) at every draw", () => {
    const r2 = bayesR2(post);
    expect(r2.residuals).toBe("model");
    expect(r2.draws.values.length).toBe(S);
    for (const d of [0, 1, 150, 399]) {
      const v = variance(mu(d, true));
      expect(r2.draws.values[d]).toBeCloseTo(v / (v + at("sigma2", d)), 12);
    }
    const mean = r2.draws.values.reduce((a, b) => a + b, 0) / S;
    expect(r2.estimate).toBeCloseTo(mean, 12);
    expect(r2.lower).toBeLessThan(r2.median);
    expect(r2.median).toBeLessThan(r2.upper);
    expect(r2.estimate).toBeGreaterThan(0.7); // sleepstudy's subjects explain most of the variance
  });

  it('residuals "data": var(mu) / (var(mu) + var(y - mu)); re "none": the fixed part alone', () => {
    const data = bayesR2(post, { residuals: "data" });
    const none = bayesR2(post, { re: "none" });
    for (const d of [3, 222]) {
      const m = mu(d, true);
      const v = variance(m);
      const e = variance(Array.from(model.y, (y, i) => y - m[i]!));
      expect(data.draws.values[d]).toBeCloseTo(v / (v + e), 12);
      const f = variance(mu(d, false));
      expect(none.draws.values[d]).toBeCloseTo(f / (f + at("sigma2", d)), 12);
    }
    expect(none.estimate).toBeLessThan(data.estimate);
  });

  it("names a bad option", () => {
    expect(() => bayesR2(post, { residuals: "both" as never })).toThrow(/options.residuals/);
    expect(() => bayesR2(post, { prob: 2 })).toThrow(/options.prob/);
    expect(() => bayesR2({} as never)).toThrow(/posterior/);
  });
});
