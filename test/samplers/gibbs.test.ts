/**
 * gibbs(): options, starting values, progress, abort, random-effect summaries, unscaled data, nested
 * designs (both strategies agree), the Posterior helpers (fixef, ranef, varCorr, JSON, CSV).
 */
import { describe, expect, it } from "vitest";
import { quantileOfSorted as quantileSorted } from "../../diagnostics/statistics";
import { fixef, ranef, varCorr } from "../../diagnostics/vocabulary";
import { gibbs, gibbsSync } from "../../samplers/gibbs";
import { parseDrawsCsv } from "../../src/draws/csv";
import { pooledDraws, posteriorToCsv, posteriorToJson } from "../../src/draws/posterior";
import { ArgumentError, LmmError } from "../../src/errors";
import type { LmmModel } from "../../src/model/types";
import { readJsonFixture } from "../helpers/fixtures";
import { MODELS } from "./models";

function mean(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v;
  return s / x.length;
}

function sdOf(x: Float64Array): number {
  const m = mean(x);
  let s = 0;
  for (const v of x) s += (v - m) ** 2;
  return Math.sqrt(s / x.length);
}

describe("options and starting values", () => {
  const model = MODELS.dyestuff();
  const bad: [string, Record<string, unknown>, string][] = [
    ["iter 0", { iter: 0 }, "options.iter"],
    ["warmup -1", { warmup: -1 }, "options.warmup"],
    ["thin 1.5", { thin: 1.5 }, "options.thin"],
    ["chains 0", { chains: 0 }, "options.chains"],
    ["seed 0.5", { seed: 0.5 }, "options.seed"],
    ["strategy", { strategy: "gibbs" }, "options.strategy"],
    ["randomEffects", { randomEffects: "some" }, "options.randomEffects"],
    ["init length", { init: [{}, {}], chains: 3 }, "options.init"],
    ["init sigma2", { init: { sigma2: -1 } }, "init[0].sigma2"],
    ["init psi group", { init: { psi: { batch: 1 } } }, "init[0].psi.batch"],
    [
      "init psi size",
      {
        init: {
          psi: {
            Batch: [
              [1, 0],
              [0, 1],
            ],
          },
        },
      },
      "init[0].psi.Batch",
    ],
  ];
  for (const [what, options, argument] of bad)
    it(`rejects ${what} naming \`${argument}\``, () => {
      let error: unknown;
      try {
        gibbsSync(model, { iter: 10, ...options });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as ArgumentError).argument).toBe(argument);
    });

  it("rejects options that are not an object (null, a number) naming `options`, in gibbs and gibbsSync", async () => {
    for (const options of [null, -1, "fast"]) {
      expect(() => gibbsSync(model, options as never)).toThrow(ArgumentError);
      await expect(gibbs(model, options as never)).rejects.toMatchObject({ argument: "options" });
    }
    // A posterior given where the model belongs is named too (was a TypeError reading `parallel` of null).
    await expect(
      gibbs(gibbsSync(model, { iter: 20, warmup: 10 }) as never, null as never),
    ).rejects.toBeInstanceOf(ArgumentError);
  });

  it("starts from given values: the first warmup draw of Psi follows from them", () => {
    const m = MODELS.sleep_slope();
    const post = gibbsSync(m, {
      iter: 5,
      warmup: 1,
      chains: 2,
      init: [
        {
          sigma2: 500,
          psi: {
            Subject: [
              [400, 10],
              [10, 30],
            ],
          },
        },
        { sigma2: 900, psi: { Subject: 50 } },
      ],
    });
    expect(post.warmupDraws.iterations).toBe(1);
    expect(post.chains).toBe(2);
  });

  it("default starts are dispersed: the chains' first draws of sigma2 differ widely", () => {
    const post = gibbsSync(MODELS.sleep_slope(), { iter: 1, warmup: 0, chains: 8, seed: 3 });
    const k = post.parameters.indexOf("sigma2");
    const first = Array.from({ length: 8 }, (_, c) => post.values[(k * 8 + c) * 1]!);
    expect(Math.max(...first) / Math.min(...first)).toBeGreaterThan(1.5);
  });
});

describe("progress and abort", () => {
  const model = MODELS.sleep_slope();
  it("onProgress reports every chain up to the grand total", async () => {
    let last = { done: 0, grandTotal: 0 };
    const chains = new Set<number>();
    await gibbs(model, {
      iter: 200,
      warmup: 100,
      chains: 3,
      parallel: false,
      onProgress: (p) => {
        last = p;
        chains.add(p.chain);
        expect(p.iteration).toBeLessThanOrEqual(p.total);
      },
    });
    expect(last.done).toBe(last.grandTotal);
    expect(last.grandTotal).toBe(3 * 300);
    expect([...chains].sort()).toEqual([0, 1, 2]);
  });

  for (const parallel of [false, 2] as const)
    it(`an AbortSignal stops the run (parallel: ${parallel})`, async () => {
      const controller = new AbortController();
      const run = gibbs(model, {
        iter: 1_000_000,
        chains: 2,
        parallel,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      });
      await expect(run).rejects.toThrow(LmmError);
      await expect(run).rejects.toMatchObject({ code: "ABORTED" });
    });

  it("gibbsSync checks the signal between slices", () => {
    const controller = new AbortController();
    expect(() =>
      gibbsSync(model, {
        iter: 1_000_000,
        chains: 1,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      }),
    ).toThrow(expect.objectContaining({ code: "ABORTED" }));
  });
});

describe("random effects kept as draws or as running summaries", () => {
  it("summary mode gives the same means and sds as the draws", () => {
    const model = MODELS.sleep_slope();
    const options = { iter: 500, warmup: 100, chains: 2, seed: 8 } as const;
    const full = gibbsSync(model, { ...options, randomEffects: "draws" });
    const summary = gibbsSync(model, { ...options, randomEffects: "summary" });
    expect(summary.parameters.some((p) => p.startsWith("b["))).toBe(false);
    const s = summary.randomEffectsSummary!;
    expect(s.names).toHaveLength(36);
    const fromDraws = ranef(full)[0]!;
    const fromSummary = ranef(summary)[0]!;
    for (let j = 0; j < 18; j++)
      for (let c = 0; c < 2; c++) {
        expect(fromSummary.estimate[j]![c]! / fromDraws.estimate[j]![c]!).toBeCloseTo(1, 9);
        expect(fromSummary.se[j]![c]! / fromDraws.se[j]![c]!).toBeCloseTo(1, 9);
        expect(Number.isNaN(fromSummary.lower![j]![c]!)).toBe(true);
      }
    // Core draws are the same either way.
    for (let k = 0; k < summary.values.length; k++) expect(summary.values[k]).toBe(full.values[k]);
  });
});

describe("unscaled data do not trouble the sampler", () => {
  it("sleepstudy with MCMChregress's priors: the intercept is 251, not 4 (anchors.json)", () => {
    const fixture = readJsonFixture<{ priors_cli: never }>("posterior/sleep_slope_bayes.json");
    const post = gibbsSync(MODELS.sleep_slope(), {
      iter: 2000,
      warmup: 500,
      seed: 1,
      priors: fixture.priors_cli,
    });
    const intercept = mean(pooledDraws(post, "beta[(Intercept)]"));
    expect(intercept).toBeGreaterThan(249);
    expect(intercept).toBeLessThan(254);
  });

  it("y shifted by 1e8 and scaled by 1e-3: the posterior moves with it (equivariance)", () => {
    const base = MODELS.sleep_slope();
    const a = 1e-3;
    const c = 1e8;
    const moved: LmmModel = { ...base, y: base.y.map((v) => a * v + c) };
    const priors = {
      beta: { mean: [0, 0], cov: 1e6 },
      sigma2: { shape: 1, scale: 1000 },
      psi: {
        Subject: {
          df: 3,
          scale: [
            [500, 0],
            [0, 25],
          ],
        },
      },
    };
    const movedPriors = {
      beta: {
        mean: [c, 0],
        cov: [
          [1e6 * a * a, 0],
          [0, 1e6 * a * a],
        ],
      },
      sigma2: { shape: 1, scale: 1000 * a * a },
      psi: {
        Subject: {
          df: 3,
          scale: [
            [500 * a * a, 0],
            [0, 25 * a * a],
          ],
        },
      },
    };
    const options = { iter: 20_000, warmup: 1000, chains: 2 } as const;
    const p0 = gibbsSync(base, { ...options, seed: 1, priors });
    const p1 = gibbsSync(moved, { ...options, seed: 2, priors: movedPriors });
    for (const [name, f] of [
      ["beta[(Intercept)]", (v: number) => (v - c) / a],
      ["beta[Days]", (v: number) => v / a],
      ["sigma2", (v: number) => v / (a * a)],
      ["Psi[Subject][(Intercept),(Intercept)]", (v: number) => v / (a * a)],
      ["Psi[Subject][Days,Days]", (v: number) => v / (a * a)],
    ] as const) {
      const x0 = pooledDraws(p0, name);
      const x1 = pooledDraws(p1, name).map(f);
      const s0 = Float64Array.from(x0).sort();
      const sd = sdOf(x0);
      // 40,000 draws each, ESS > 5,000: the two means differ by < 0.1 sd unless something is wrong.
      expect(Math.abs(mean(x1) - mean(x0)) / sd, name).toBeLessThan(0.1);
      const s1 = Float64Array.from(x1).sort();
      expect(Math.abs(quantileSorted(s1, 0.5) - quantileSorted(s0, 0.5)) / sd, name).toBeLessThan(0.1);
    }
  });
});

describe("offsets", () => {
  it("y with offset o gives the draws of y - o without one (bit-identical, same seed)", () => {
    const base = MODELS.sleep_slope();
    const o = base.y.map((_, i) => 100 * Math.sin(i));
    const withOffset: LmmModel = { ...base, offset: o };
    const subtracted: LmmModel = { ...base, y: base.y.map((v, i) => v - o[i]!) };
    const options = { iter: 200, warmup: 50, chains: 2, seed: 6 } as const;
    const a = gibbsSync(withOffset, options);
    const b = gibbsSync(subtracted, options);
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    // and the offset matters: without it the intercept moves
    const c = gibbsSync({ ...base, y: base.y }, options);
    expect(mean(pooledDraws(c, "beta[(Intercept)]"))).not.toBeCloseTo(
      mean(pooledDraws(a, "beta[(Intercept)]")),
      0,
    );
  });
});

describe("nested design: both location strategies give the same posterior", () => {
  it("Pastes, strength ~ 1 + (1 | batch/cask)", () => {
    const model = MODELS.pastes();
    const priors = { psi: { batch: { df: 1, scale: 1 }, "cask:batch": { df: 1, scale: 1 } } };
    const options = { iter: 20_000, warmup: 1000, chains: 2, priors } as const;
    const joint = gibbsSync(model, { ...options, seed: 1, strategy: "joint" });
    const byFactor = gibbsSync(model, { ...options, seed: 2, strategy: "by-factor" });
    for (const name of ["beta[(Intercept)]", "sigma2", "Psi[cask:batch][(Intercept),(Intercept)]"]) {
      const x0 = Float64Array.from(pooledDraws(joint, name)).sort();
      const x1 = Float64Array.from(pooledDraws(byFactor, name)).sort();
      const sd = sdOf(x0);
      expect(Math.abs(quantileSorted(x1, 0.5) - quantileSorted(x0, 0.5)) / sd, name).toBeLessThan(0.1);
    }
  });
});

describe("Posterior helpers", () => {
  const post = gibbsSync(MODELS.sleep_slope(), { iter: 500, warmup: 100, chains: 2, seed: 4 });

  it("fixef: means of the beta draws, ordered as X", () => {
    const rows = fixef(post);
    expect(rows.map((r) => r.name)).toEqual(["(Intercept)", "Days"]);
    expect(rows[1]!.estimate).toBeCloseTo(mean(pooledDraws(post, "beta[Days]")), 10);
    expect(rows[1]!.lower).toBeLessThan(rows[1]!.median);
    expect(rows[1]!.median).toBeLessThan(rows[1]!.upper);
  });

  it("varCorr: sd and correlation derived per draw, then summarized; Residual last", () => {
    const rows = varCorr(post);
    expect(rows.map((r) => [r.grp, r.var1, r.var2])).toEqual([
      ["Subject", "(Intercept)", null],
      ["Subject", "Days", null],
      ["Subject", "(Intercept)", "Days"],
      ["Residual", null, null],
    ]);
    const v = pooledDraws(post, "Psi[Subject][(Intercept),(Intercept)]");
    expect(rows[0]!.sdcor.estimate).toBeCloseTo(mean(v.map(Math.sqrt)), 10);
    expect(rows[0]!.sdcor.estimate).toBeLessThan(Math.sqrt(mean(v)));
    expect(rows[2]!.sdcor.lower).toBeGreaterThanOrEqual(-1);
    expect(rows[2]!.sdcor.upper).toBeLessThanOrEqual(1);
    expect(rows[3]!.sdcor.estimate).toBeCloseTo(mean(pooledDraws(post, "sigma2").map(Math.sqrt)), 10);
  });

  it("ranef: levels × names summaries", () => {
    const r = ranef(post)[0]!;
    expect(r.levels).toHaveLength(18);
    expect(r.names).toEqual(["(Intercept)", "Days"]);
    expect(r.estimate[0]![1]).toBeCloseTo(mean(pooledDraws(post, `b[Subject][${r.levels[0]},Days]`)), 10);
  });

  it("CSV and JSON exports", () => {
    const back = parseDrawsCsv(posteriorToCsv(post));
    expect(back.parameters).toEqual(post.parameters);
    expect(Array.from(back.values)).toEqual(Array.from(post.values));
    const warm = parseDrawsCsv(posteriorToCsv(post, { warmup: true }));
    expect(warm.iterations).toBe(100);
    const json = JSON.parse(JSON.stringify(posteriorToJson(post))) as {
      draws: Record<string, number[][]>;
      settings: { seed: number; strategy: string };
    };
    expect(json.draws["sigma2"]).toHaveLength(2);
    expect(json.draws["sigma2"]![1]![499]).toBe(
      post.values[(post.parameters.indexOf("sigma2") * 2 + 1) * 500 + 499],
    );
    expect(json.settings.seed).toBe(4);
    expect(json.settings.strategy).toBe("joint");
  });
});
