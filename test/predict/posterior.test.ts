/**
 * Posterior predictions (src/predict/posterior.ts) against their definitions on our own draws:
 * the training rows' linear predictor equals diagnostics' `linearPredictor` draw by draw; new data
 * through the recipe gives the same numbers as the same rows of the training data; `re` subsets and
 * "population" drop exactly the terms' contributions; `posteriorPredict`'s noise is N(0, sigma2) per
 * draw (a KS test of the standardized residuals); "sample" for a new level follows its exact mixture
 * sum_d N(x beta_d, z Psi_d z' (+ sigma2_d)) / D (KS test of the mixture's PIT); same seed, same draws;
 * bad input gives typed errors.
 */
import { describe, expect, it } from "vitest";
import { linearPredictor } from "../../diagnostics/linear-predictor";
import { predictiveSummary, rowDraws } from "../../diagnostics/predictive-summary";
import { gibbsSync } from "../../samplers/gibbs";
import type { Posterior } from "../../src/draws/posterior";
import { ArgumentError, DataError } from "../../src/errors";
import { lmm } from "../../src/model/lmm";
import { readCsvFile } from "../../src/node/data-file";
import { posteriorEpred, posteriorLinpred, posteriorPredict } from "../../src/predict/posterior";
import { normalCdf } from "../../src/stats/distributions";
import { dataPath } from "../helpers/fixtures";

const sleep = readCsvFile(dataPath("sleepstudy"));
const pen = readCsvFile(dataPath("Penicillin"));
const sleepModel = lmm("Reaction ~ Days + (Days | Subject)", sleep);
const penModel = lmm("diameter ~ 1 + (1 | plate) + (1 | sample)", pen);
const sleepPost = gibbsSync(sleepModel, {
  iter: 1000,
  warmup: 300,
  chains: 2,
  seed: 5,
  randomEffects: "draws",
});
const penPost = gibbsSync(penModel, { iter: 1000, warmup: 300, chains: 2, seed: 6, randomEffects: "draws" });

function draw(post: Posterior, name: string, d: number): number {
  const k = post.parameters.indexOf(name);
  if (k < 0) throw new Error(name);
  return post.values[k * post.chains * post.iterations + d]!;
}

/** Whether two arrays hold the same doubles (vitest's deep equality is slow on long typed arrays). */
function same(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/**
 * Kolmogorov–Smirnov statistic of values against a CDF, and its asymptotic p-value; at most 500
 * values, evenly spaced (the mixture CDFs sum over every draw).
 */
function ks(values: ArrayLike<number>, cdf: (x: number) => number): { D: number; p: number } {
  const step = Math.max(1, Math.floor(values.length / 500));
  const kept = Array.from({ length: Math.floor(values.length / step) }, (_, j) => values[j * step]!);
  const u = Float64Array.from(kept, cdf).sort();
  const n = u.length;
  let D = 0;
  for (let i = 0; i < n; i++) D = Math.max(D, (i + 1) / n - u[i]!, u[i]! - i / n);
  const t = Math.sqrt(n) * D;
  let p = 0;
  for (let k = 1; k < 100; k++) p += 2 * (-1) ** (k - 1) * Math.exp(-2 * k * k * t * t);
  return { D, p: Math.min(1, Math.max(0, p)) };
}

describe("posteriorLinpred on the training rows", () => {
  it("equals mu = X beta + Z b of linearPredictor at every draw (sleepstudy and crossed Penicillin)", () => {
    for (const post of [sleepPost, penPost]) {
      const lin = posteriorLinpred(post);
      const lp = linearPredictor(post);
      const mu = new Float64Array(lp.n);
      expect(lin.n).toBe(post.model.n);
      expect(lin.chains * lin.iterations).toBe(post.chains * post.iterations);
      let worst = 0;
      for (let c = 0; c < post.chains; c++)
        for (const t of [0, 17, post.iterations - 1]) {
          lp.evaluate(c, t, 0, mu);
          const d = c * post.iterations + t;
          for (let i = 0; i < lp.n; i++)
            worst = Math.max(worst, Math.abs(lin.values[d * lin.n + i]! - mu[i]!));
        }
      expect(worst).toBeLessThan(1e-9);
      expect(lin.y).toBe(post.model.y);
      expect(Array.from(lin.rows.subarray(0, 3))).toEqual([0, 1, 2]);
    }
  });

  it("epred is the linear predictor (Gaussian, identity link)", () => {
    const a = posteriorLinpred(sleepPost);
    const b = posteriorEpred(sleepPost);
    expect(b.kind).toBe("epred");
    expect(same(b.values, a.values)).toBe(true);
  });

  it('re "none" is X beta; a subset keeps only its terms', () => {
    const none = posteriorLinpred(penPost, { re: "none" });
    const plate = posteriorLinpred(penPost, { re: ["plate"] });
    const all = posteriorLinpred(penPost);
    expect(none.re).toEqual([]);
    expect(plate.re).toEqual(["plate"]);
    const model = penPost.model;
    const levels = (g: string) => model.terms.find((t) => t.group === g)!;
    for (const d of [0, 999, 1500]) {
      const b0 = draw(penPost, "beta[(Intercept)]", d);
      for (const i of [0, 50, 143]) {
        const pl = levels("plate");
        const sa = levels("sample");
        const bp = draw(penPost, `b[plate][${pl.levels[pl.refs[i]!]},(Intercept)]`, d);
        const bs = draw(penPost, `b[sample][${sa.levels[sa.refs[i]!]},(Intercept)]`, d);
        expect(none.values[d * none.n + i]).toBeCloseTo(b0, 10);
        expect(plate.values[d * plate.n + i]).toBeCloseTo(b0 + bp, 10);
        expect(all.values[d * all.n + i]).toBeCloseTo(b0 + bp + bs, 10);
      }
    }
  });
});

describe("posteriorLinpred on new data", () => {
  it("gives the training rows' numbers for the same rows given as new data", () => {
    const rows = [0, 5, 37, 179];
    const subject = sleepModel.terms[0]!;
    const newdata = rows.map((i) => ({
      Days: sleepModel.X[i * 2 + 1]!,
      Subject: subject.levels[subject.refs[i]!]!,
    }));
    const lin = posteriorLinpred(sleepPost, { newdata });
    const train = posteriorLinpred(sleepPost);
    expect(lin.y).toBeNull();
    expect(Array.from(lin.rows)).toEqual([0, 1, 2, 3]);
    for (let d = 0; d < 2000; d += 97)
      rows.forEach((i, j) => {
        expect(lin.values[d * 4 + j]).toBeCloseTo(train.values[d * train.n + i]!, 9);
      });
  });

  it("computes the design of unseen predictor values (Days = 4.5, 12) from beta and b", () => {
    const lin = posteriorLinpred(sleepPost, {
      newdata: [
        { Days: 4.5, Subject: "308" },
        { Days: 12, Subject: "372" },
      ],
    });
    for (const d of [3, 1234]) {
      const b0 = draw(sleepPost, "beta[(Intercept)]", d);
      const b1 = draw(sleepPost, "beta[Days]", d);
      const u0 = draw(sleepPost, "b[Subject][308,(Intercept)]", d);
      const u1 = draw(sleepPost, "b[Subject][308,Days]", d);
      const v0 = draw(sleepPost, "b[Subject][372,(Intercept)]", d);
      const v1 = draw(sleepPost, "b[Subject][372,Days]", d);
      expect(lin.values[d * 2]).toBeCloseTo(b0 + u0 + (b1 + u1) * 4.5, 9);
      expect(lin.values[d * 2 + 1]).toBeCloseTo(b0 + v0 + (b1 + v1) * 12, 9);
    }
  });

  it('a new level is an error by default, 0 under "population"', () => {
    const newdata = [
      { Days: 3, Subject: "308" },
      { Days: 3, Subject: "999" },
    ];
    expect(() => posteriorLinpred(sleepPost, { newdata })).toThrow(DataError);
    expect(() => posteriorLinpred(sleepPost, { newdata })).toThrow(/`999` in row 2/);
    const pop = posteriorLinpred(sleepPost, { newdata, newLevels: "population" });
    const none = posteriorLinpred(sleepPost, { newdata, re: "none" });
    for (let d = 0; d < 2000; d += 111) expect(pop.values[d * 2 + 1]).toBe(none.values[d * 2 + 1]);
    expect(pop.values[7 * 2]).not.toBe(none.values[7 * 2]);
  });
});

describe('newLevels "sample": a new level\'s effects drawn from N(0, Psi) at every draw', () => {
  const newdata = [
    { Days: 0, Subject: "new1" },
    { Days: 9, Subject: "new1" },
    { Days: 9, Subject: "new2" },
    { Days: 9, Subject: "308" },
  ];
  const lin = posteriorLinpred(sleepPost, { newdata, newLevels: "sample", seed: 11 });
  const pred = posteriorPredict(sleepPost, { newdata, newLevels: "sample", seed: 11 });
  const D = sleepPost.chains * sleepPost.iterations;
  const component = (d: number, days: number, noise: boolean) => {
    const m = draw(sleepPost, "beta[(Intercept)]", d) + days * draw(sleepPost, "beta[Days]", d);
    const p11 = draw(sleepPost, "Psi[Subject][(Intercept),(Intercept)]", d);
    const p12 = draw(sleepPost, "Psi[Subject][(Intercept),Days]", d);
    const p22 = draw(sleepPost, "Psi[Subject][Days,Days]", d);
    const v = p11 + 2 * days * p12 + days * days * p22 + (noise ? draw(sleepPost, "sigma2", d) : 0);
    return { m, s: Math.sqrt(v) };
  };
  const mixtureCdf = (days: number, noise: boolean) => {
    const comps = Array.from({ length: D }, (_, d) => component(d, days, noise));
    return (x: number) => {
      let s = 0;
      for (const c of comps) s += normalCdf((x - c.m) / c.s);
      return s / D;
    };
  };

  it("the linear predictor and the prediction of a new level follow the exact mixture (KS)", () => {
    for (const [i, days] of [
      [0, 0],
      [1, 9],
      [2, 9],
    ] as const) {
      const l = ks(rowDraws(lin, i), mixtureCdf(days, false));
      const p = ks(rowDraws(pred, i), mixtureCdf(days, true));
      expect(l.p, `linpred row ${i}: D = ${l.D}`).toBeGreaterThan(0.001);
      expect(p.p, `predict row ${i}: D = ${p.D}`).toBeGreaterThan(0.001);
    }
  });

  it("the test can fail: population-level draws (no Psi) are far from the mixture", () => {
    const pop = posteriorLinpred(sleepPost, { newdata, newLevels: "population" });
    expect(ks(rowDraws(pop, 1), mixtureCdf(9, false)).p).toBeLessThan(1e-6);
  });

  it("one draw of b per new level, shared by its rows; different levels differ", () => {
    // Row 0 (Days 0) is x beta + b0; row 1 (Days 9) is x beta + b0 + 9 b1 with the same b0.
    let shared = 0;
    let differ = 0;
    for (let d = 0; d < D; d++) {
      const b0 = draw(sleepPost, "beta[(Intercept)]", d);
      const u0 = lin.values[d * 4]! - b0;
      const slope1 = (lin.values[d * 4 + 1]! - b0 - u0) / 9;
      const new2 = lin.values[d * 4 + 2]! - b0;
      if (Math.abs(slope1 - draw(sleepPost, "beta[Days]", d)) < 1e-300) shared++;
      if (Math.abs(new2 - (lin.values[d * 4 + 1]! - b0)) > 1e-9) differ++;
    }
    expect(shared).toBe(0); // the slope's random part is not zero
    expect(differ).toBe(D);
    // and the known level is the model's own
    const known = posteriorLinpred(sleepPost, { newdata: [newdata[3]!] });
    for (let d = 0; d < D; d += 101) expect(lin.values[d * 4 + 3]).toBeCloseTo(known.values[d]!, 10);
  });

  it("crossed factors: a new plate with a known sample gets N(0, psi_plate) around the sample's effect", () => {
    const nd = [
      { plate: "zz", sample: "B" },
      { plate: "a", sample: "A" },
    ];
    const l = posteriorLinpred(penPost, { newdata: nd, newLevels: "sample", seed: 3 });
    const Dp = penPost.chains * penPost.iterations;
    const comps = Array.from({ length: Dp }, (_, d) => ({
      m: draw(penPost, "beta[(Intercept)]", d) + draw(penPost, "b[sample][B,(Intercept)]", d),
      s: Math.sqrt(draw(penPost, "Psi[plate][(Intercept),(Intercept)]", d)),
    }));
    const cdf = (x: number) => comps.reduce((s, c) => s + normalCdf((x - c.m) / c.s), 0) / Dp;
    expect(ks(rowDraws(l, 0), cdf).p).toBeGreaterThan(0.001);
  });
});

describe('"sample" with several terms on one factor, and nested factors', () => {
  const mixture = (post: Posterior, comps: (d: number) => { m: number; s: number }) => {
    const D = post.chains * post.iterations;
    const all = Array.from({ length: D }, (_, d) => comps(d));
    return (x: number) => all.reduce((a, c) => a + normalCdf((x - c.m) / c.s), 0) / D;
  };

  it("(Days || Subject): each term's block drawn on its own, Psi diagonal", () => {
    const model = lmm("Reaction ~ Days + (Days || Subject)", sleep);
    const post = gibbsSync(model, { iter: 500, warmup: 200, chains: 2, seed: 7, randomEffects: "draws" });
    const l = posteriorLinpred(post, {
      newdata: [{ Days: 3, Subject: "new" }],
      newLevels: "sample",
      seed: 8,
    });
    expect(l.re).toEqual(["Subject", "Subject.1"]);
    const cdf = mixture(post, (d) => ({
      m: draw(post, "beta[(Intercept)]", d) + 3 * draw(post, "beta[Days]", d),
      s: Math.sqrt(
        draw(post, "Psi[Subject][(Intercept),(Intercept)]", d) + 9 * draw(post, "Psi[Subject][Days,Days]", d),
      ),
    }));
    expect(ks(rowDraws(l, 0), cdf).p).toBeGreaterThan(0.001);
  });

  it("(1 | batch/cask): a new cask of a known batch varies by psi_cask around the batch's effect", () => {
    const model = lmm("strength ~ 1 + (1 | batch/cask)", readCsvFile(dataPath("Pastes")));
    const post = gibbsSync(model, { iter: 500, warmup: 200, chains: 2, seed: 9, randomEffects: "draws" });
    const l = posteriorLinpred(post, { newdata: [{ batch: "A", cask: "zz" }], newLevels: "sample", seed: 2 });
    expect(l.re).toEqual(["cask:batch", "batch"]);
    const cdf = mixture(post, (d) => ({
      m: draw(post, "beta[(Intercept)]", d) + draw(post, "b[batch][A,(Intercept)]", d),
      s: Math.sqrt(draw(post, "Psi[cask:batch][(Intercept),(Intercept)]", d)),
    }));
    expect(ks(rowDraws(l, 0), cdf).p).toBeGreaterThan(0.001);
  });
});

describe("posteriorPredict", () => {
  it("adds N(0, sigma2) noise per draw and row (KS of the standardized residuals)", () => {
    const lin = posteriorLinpred(sleepPost);
    const pred = posteriorPredict(sleepPost, { seed: 2 });
    const D = sleepPost.chains * sleepPost.iterations;
    const z = new Float64Array(D * 20);
    for (let d = 0; d < D; d++) {
      const s = Math.sqrt(draw(sleepPost, "sigma2", d));
      for (let i = 0; i < 20; i++)
        z[d * 20 + i] = (pred.values[d * pred.n + i * 9]! - lin.values[d * lin.n + i * 9]!) / s;
    }
    expect(ks(z, normalCdf).p).toBeGreaterThan(0.001);
    // the test can fail: twice the noise is rejected
    expect(
      ks(
        Float64Array.from(z, (v) => v / 2),
        normalCdf,
      ).p,
    ).toBeLessThan(1e-6);
  });

  it("same seed, same draws; another seed, other draws", () => {
    const a = posteriorPredict(penPost, { seed: 9 });
    const b = posteriorPredict(penPost, { seed: 9 });
    const c = posteriorPredict(penPost, { seed: 10 });
    expect(same(b.values, a.values)).toBe(true);
    expect(c.values[0]).not.toBe(a.values[0]);
  });

  it("ndraws takes evenly spaced draws into one chain", () => {
    const all = posteriorLinpred(sleepPost);
    const few = posteriorLinpred(sleepPost, { ndraws: 50 });
    expect(few.chains).toBe(1);
    expect(few.iterations).toBe(50);
    const D = 2000;
    for (const j of [0, 25, 49]) {
      const src = Math.floor(((j + 0.5) * D) / 50);
      expect(few.values[j * few.n + 3]).toBe(all.values[src * all.n + 3]);
    }
  });
});

describe("predictiveSummary", () => {
  it("is each row's mean, sd and central quantiles of the draws", () => {
    const pred = posteriorPredict(sleepPost, { seed: 4 });
    const s = predictiveSummary(pred, 0.9);
    for (const i of [0, 99]) {
      const x = Float64Array.from(rowDraws(pred, i)).sort();
      const mean = x.reduce((a, b) => a + b, 0) / x.length;
      const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / (x.length - 1));
      const q = (p: number) => {
        const h = (x.length - 1) * p;
        const lo = Math.floor(h);
        return x[lo]! + (h - lo) * (x[Math.min(lo + 1, x.length - 1)]! - x[lo]!);
      };
      expect(s.estimate[i]).toBeCloseTo(mean, 9);
      expect(s.se[i]).toBeCloseTo(sd, 9);
      expect(s.lower[i]).toBeCloseTo(q(0.05), 9);
      expect(s.upper[i]).toBeCloseTo(q(0.95), 9);
      expect(s.median[i]).toBeCloseTo(q(0.5), 9);
    }
    expect(s.rows.length).toBe(180);
  });
});

describe("bad input", () => {
  it("needs the random effects' draws for an included term, not for re none", () => {
    const summary = gibbsSync(sleepModel, {
      iter: 50,
      warmup: 20,
      chains: 1,
      seed: 1,
      randomEffects: "summary",
    });
    expect(() => posteriorLinpred(summary)).toThrow(ArgumentError);
    expect(() => posteriorLinpred(summary)).toThrow(/randomEffects: "draws"/);
    expect(posteriorLinpred(summary, { re: "none" }).n).toBe(180);
    const nd = [{ Days: 1, Subject: "new" }];
    expect(posteriorPredict(summary, { newdata: nd, newLevels: "sample" }).n).toBe(1);
  });

  it("names the option that is wrong", () => {
    expect(() => posteriorLinpred(sleepPost, { ndraws: 0 })).toThrow(/options.ndraws/);
    expect(() => posteriorLinpred(sleepPost, { ndraws: 2001 })).toThrow(/options.ndraws/);
    expect(() => posteriorLinpred(sleepPost, { seed: 1.5 })).toThrow(/options.seed/);
    expect(() => posteriorLinpred(sleepPost, { re: ["nope"] })).toThrow(/options.re/);
    expect(() => posteriorLinpred(sleepPost, { newLevels: "gaussian" as never })).toThrow(
      /options.newLevels/,
    );
    expect(() => posteriorLinpred({} as Posterior)).toThrow(ArgumentError);
    expect(() => posteriorLinpred(sleepPost, { newdata: [{ Subject: "308" }] })).toThrow(/Days/);
    expect(() => predictiveSummary({} as never)).toThrow(/predictive draws/);
    expect(() => predictiveSummary(posteriorLinpred(sleepPost, { ndraws: 10 }), 1)).toThrow(/prob/);
  });
});
