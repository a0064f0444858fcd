/**
 * Priors: the data-scaled defaults (values on sleepstudy computed by hand, and scale equivariance:
 * y → a y + c scales every default by a or a² and moves the intercept's mean by c), and validation of
 * priors.json — every invalid part is a PriorError naming its field.
 */
import { describe, expect, it } from "vitest";
import { PriorError } from "../../src/errors";
import type { LmmModel } from "../../src/model/types";
import {
  defaultPriors,
  groupingFactors,
  priorsToJson,
  resolvePriors,
  sameGroup,
} from "../../src/priors/index";
import { handModel, MODELS } from "../samplers/models";

function scaled(model: LmmModel, a: number, c: number): LmmModel {
  return { ...model, y: model.y.map((v) => a * v + c) };
}

describe("default priors", () => {
  const model = MODELS.sleep_slope();
  const n = model.n;
  const y = Array.from(model.y);
  const ybar = y.reduce((s, v) => s + v, 0) / n;
  const sy = Math.sqrt(y.reduce((s, v) => s + (v - ybar) ** 2, 0) / (n - 1));
  const days = Array.from({ length: n }, (_, i) => model.X[i * 2 + 1]!);
  const dbar = days.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(days.reduce((s, v) => s + (v - dbar) ** 2, 0) / (n - 1));

  it("beta: rstanarm's autoscaled normal, centered intercept N(ybar, (2.5 s_y)^2)", () => {
    const p = resolvePriors(model);
    const vDays = ((2.5 * sy) / sd) ** 2;
    expect(p.beta.mean[0]).toBeCloseTo(ybar, 10);
    expect(p.beta.mean[1]).toBe(0);
    expect(p.beta.cov[3]).toBeCloseTo(vDays, 8);
    expect(p.beta.cov[1]).toBeCloseTo(-dbar * vDays, 8);
    expect(p.beta.cov[0]).toBeCloseTo((2.5 * sy) ** 2 + dbar * dbar * vDays, 6);
    // The implied prior of the intercept at mean Days, beta0 + dbar beta1, has variance (2.5 s_y)^2.
    const v = p.beta.cov[0]! + 2 * dbar * p.beta.cov[1]! + dbar * dbar * p.beta.cov[3]!;
    expect(v).toBeCloseTo((2.5 * sy) ** 2, 6);
    expect(p.beta.isDefault).toBe(true);
  });

  it("sigma2 ~ InvGamma(1/2, s_y^2/2); Psi ~ IW(q + 1, diag(s_y^2 / (10 c_r^2)))", () => {
    const p = resolvePriors(model);
    expect(p.sigma2.shape).toBe(0.5);
    expect(p.sigma2.scale).toBeCloseTo((sy * sy) / 2, 8);
    const psi = p.psi[0]!;
    expect(psi.group).toBe("Subject");
    expect(psi.df).toBe(3);
    expect(psi.scale[0]).toBeCloseTo((sy * sy) / 10, 8);
    expect(psi.scale[3]).toBeCloseTo((sy * sy) / (10 * sd * sd), 8);
    expect(psi.scale[1]).toBe(0);
  });

  it("are equivariant: y -> a y + c", () => {
    const a = 1e-3;
    const c = 1e6;
    const p = resolvePriors(model);
    const q = resolvePriors(scaled(model, a, c));
    expect(q.beta.mean[0]).toBeCloseTo(a * p.beta.mean[0]! + c, 4);
    for (let k = 0; k < 4; k++) expect(q.beta.cov[k]! / (a * a * p.beta.cov[k]!)).toBeCloseTo(1, 8);
    expect(q.sigma2.scale / (a * a * p.sigma2.scale)).toBeCloseTo(1, 8);
    expect(q.psi[0]!.scale[3]! / (a * a * p.psi[0]!.scale[3]!)).toBeCloseTo(1, 8);
  });

  it("no intercept: beta_j ~ N(0, (2.5 rms(y) / rms(x_j))^2)", () => {
    const m = handModel(
      "sleepstudy",
      "Reaction ~ 0 + Days + (1 | Subject)",
      "Reaction",
      ["Days"],
      [{ group: ["Subject"], intercept: true, slopes: [] }],
    );
    const rmsY = Math.sqrt(y.reduce((s, v) => s + v * v, 0) / n);
    const rmsX = Math.sqrt(days.reduce((s, v) => s + v * v, 0) / n);
    const p = resolvePriors(m);
    expect(p.beta.mean[0]).toBe(0);
    expect(p.beta.cov[0]).toBeCloseTo(((2.5 * rmsY) / rmsX) ** 2, 6);
  });

  it("an uncorrelated (x || g) factor: one prior, diagonal blocks, df = 2", () => {
    const m = MODELS.sleep_uncor();
    const factors = groupingFactors(m);
    expect(factors).toHaveLength(1);
    expect(factors[0]!.names).toEqual(["(Intercept)", "Days"]);
    expect(factors[0]!.blocks.map((b) => b.size)).toEqual([1, 1]);
    const p = defaultPriors(m, factors);
    expect(p.psi[0]!.df).toBe(2);
    expect(p.psi[0]!.blocks).toEqual([
      { start: 0, size: 1 },
      { start: 1, size: 1 },
    ]);
  });
});

describe("priors.json", () => {
  const model = MODELS.sleep_slope();

  it("takes every part, numbers as c × identity", () => {
    const p = resolvePriors(model, {
      beta: { mean: [1, 2], cov: 100 },
      sigma2: { shape: 2, scale: 3 },
      psi: {
        Subject: {
          df: 5,
          scale: [
            [4, 1],
            [1, 2],
          ],
        },
      },
    });
    expect(Array.from(p.beta.mean)).toEqual([1, 2]);
    expect(Array.from(p.beta.cov)).toEqual([100, 0, 0, 100]);
    expect(p.sigma2).toEqual({ shape: 2, scale: 3, isDefault: false });
    expect(p.psi[0]!.df).toBe(5);
    expect(Array.from(p.psi[0]!.scale)).toEqual([4, 1, 1, 2]);
    const json = priorsToJson(p);
    expect(json.psi["Subject"]).toEqual({
      df: 5,
      scale: [
        [4, 1],
        [1, 2],
      ],
    });
  });

  it("fills what is left out with defaults", () => {
    const d = resolvePriors(model);
    const p = resolvePriors(model, { sigma2: { shape: 0.001 } });
    expect(p.sigma2.scale).toBe(d.sigma2.scale);
    expect(p.sigma2.shape).toBe(0.001);
    expect(p.psi[0]!.isDefault).toBe(true);
    expect(Array.from(p.beta.cov)).toEqual(Array.from(d.beta.cov));
  });

  it("an uncorrelated factor ignores off-diagonal scale", () => {
    const p = resolvePriors(MODELS.sleep_uncor(), {
      psi: {
        Subject: {
          df: 1,
          scale: [
            [4, 1],
            [1, 2],
          ],
        },
      },
    });
    expect(Array.from(p.psi[0]!.scale)).toEqual([4, 0, 0, 2]);
  });

  it("matches an interaction group in either order", () => {
    expect(sameGroup("batch:cask", "cask:batch")).toBe(true);
    expect(sameGroup("batch", "cask")).toBe(false);
    const p = resolvePriors(MODELS.pastes(), { psi: { "batch:cask": { df: 3, scale: 2 } } });
    const entry = p.psi.find((e) => e.group === "cask:batch")!;
    expect(entry.df).toBe(3);
  });

  const bad: [string, unknown, string][] = [
    ["not an object", 3, "priors"],
    ["unknown top-level key", { sigma: {} }, "sigma"],
    ["unknown key in sigma2", { sigma2: { rate: 1 } }, "sigma2.rate"],
    ["negative shape", { sigma2: { shape: -1 } }, "sigma2.shape"],
    ["zero scale", { sigma2: { scale: 0 } }, "sigma2.scale"],
    ["string shape", { sigma2: { shape: "1" } }, "sigma2.shape"],
    ["beta mean wrong length", { beta: { mean: [1, 2, 3] } }, "beta.mean"],
    ["beta mean NaN", { beta: { mean: [1, Number.NaN] } }, "beta.mean[1]"],
    [
      "beta cov not PD",
      {
        beta: {
          cov: [
            [1, 2],
            [2, 1],
          ],
        },
      },
      "beta.cov",
    ],
    [
      "beta cov not symmetric",
      {
        beta: {
          cov: [
            [1, 0.5],
            [0.4, 1],
          ],
        },
      },
      "beta.cov",
    ],
    ["beta cov wrong size", { beta: { cov: [[1]] } }, "beta.cov"],
    ["beta cov negative number", { beta: { cov: -1 } }, "beta.cov"],
    ["unknown group", { psi: { Subjects: { df: 3 } } }, "psi.Subjects"],
    ["df <= q - 1", { psi: { Subject: { df: 1 } } }, "psi.Subject.df"],
    [
      "psi scale not PD",
      {
        psi: {
          Subject: {
            scale: [
              [1, 2],
              [2, 1],
            ],
          },
        },
      },
      "psi.Subject.scale",
    ],
    [
      "psi scale wrong size",
      {
        psi: {
          Subject: {
            scale: [
              [1, 0, 0],
              [0, 1, 0],
              [0, 0, 1],
            ],
          },
        },
      },
      "psi.Subject.scale",
    ],
    [
      "psi scale row not numbers",
      {
        psi: {
          Subject: {
            scale: [
              [1, "a"],
              [0, 1],
            ],
          },
        },
      },
      "psi.Subject.scale[0][1]",
    ],
    ["psi entry not an object", { psi: { Subject: 3 } }, "psi.Subject"],
    ["psi unknown key", { psi: { Subject: { nu: 3 } } }, "psi.Subject.nu"],
  ];
  for (const [what, spec, field] of bad)
    it(`rejects ${what} naming \`${field}\``, () => {
      let error: unknown;
      try {
        resolvePriors(model, spec);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PriorError);
      expect((error as PriorError).field).toBe(field);
      expect((error as PriorError).code).toBe("INVALID_PRIOR");
      expect((error as PriorError).message).toContain(`\`${field}\``);
    });

  it("df of an uncorrelated factor only needs > 0 (blocks of size 1)", () => {
    expect(resolvePriors(MODELS.sleep_uncor(), { psi: { Subject: { df: 0.5 } } }).psi[0]!.df).toBe(0.5);
    expect(() => resolvePriors(MODELS.sleep_uncor(), { psi: { Subject: { df: 0 } } })).toThrow(PriorError);
  });
});
