/**
 * Oracle tests of the blocked factorization and the analytic gradient on seeded synthetic models
 * covering what the fixtures do not: a vector-valued first term, vector-valued terms among the rest,
 * three crossed terms, offsets.
 */
import { describe, expect, it } from "vitest";
import { ArgumentError, DataError } from "../../src/errors";
import { Random } from "../../src/random/generator";
import { devianceFunction, fitLmm } from "../../src/reml/fit";
import { criterionGradient } from "../../src/reml/gradient";
import { naiveConditionalVariances, naiveCriterion, type SyntheticSpec, syntheticModel } from "./synthetic";

const CASES: [string, SyntheticSpec][] = [
  ["one scalar term", { n: 60, p: 2, terms: [{ m: 7, q: 1 }], seed: 1 }],
  ["vector first term (q = 3)", { n: 120, p: 3, terms: [{ m: 9, q: 3 }], seed: 2 }],
  [
    "crossed scalar + vector rest term",
    {
      n: 150,
      p: 2,
      terms: [
        { m: 20, q: 1 },
        { m: 6, q: 2 },
      ],
      seed: 3,
    },
  ],
  [
    "q = 3 first term and a q = 3 rest term",
    {
      n: 240,
      p: 2,
      terms: [
        { m: 12, q: 3 },
        { m: 7, q: 3 },
      ],
      seed: 5,
    },
  ],
  [
    "three crossed terms, vector first, offset",
    {
      n: 200,
      p: 3,
      terms: [
        { m: 15, q: 2 },
        { m: 8, q: 2 },
        { m: 5, q: 1 },
      ],
      offset: true,
      seed: 4,
    },
  ],
];

function randomTheta(length: number, seed: number, diagonal: boolean[]): Float64Array {
  const rng = Random.fromSeed(seed);
  return Float64Array.from({ length }, (_, t) =>
    diagonal[t] ? 0.2 + 1.5 * rng.uniform() : rng.uniform() - 0.5,
  );
}

describe("blocked criterion equals the dense definition", () => {
  for (const [label, spec] of CASES)
    for (const method of ["REML", "ML"] as const)
      it(`${label}, ${method}`, () => {
        const model = syntheticModel(spec);
        const devfun = devianceFunction(model, method);
        const diag = Array.from(devfun.layout.row, (r, t) => r === devfun.layout.col[t]);
        for (let s = 0; s < 3; s++) {
          const theta = randomTheta(devfun.layout.length, 100 + s, diag);
          const blocked = devfun.value(theta);
          const naive = naiveCriterion(model, theta, method === "REML");
          expect(Math.abs(blocked - naive) / Math.abs(naive)).toBeLessThan(1e-11);
        }
      });
});

describe("analytic gradient equals central differences", () => {
  for (const [label, spec] of CASES)
    for (const method of ["REML", "ML"] as const)
      it(`${label}, ${method}`, () => {
        const devfun = devianceFunction(syntheticModel(spec), method);
        const n = devfun.layout.length;
        const diag = Array.from(devfun.layout.row, (r, t) => r === devfun.layout.col[t]);
        const theta = randomTheta(n, 7, diag);
        const g = new Float64Array(n);
        devfun.value(theta);
        devfun.gradient(theta, g);
        for (let t = 0; t < n; t++) {
          const h = 1e-5;
          const plus = theta.slice();
          const minus = theta.slice();
          plus[t]! += h;
          minus[t]! -= h;
          const fd = (devfun.value(plus) - devfun.value(minus)) / (2 * h);
          // Central differences carry O(h²) truncation and O(eps f / h) rounding error.
          expect(Math.abs(g[t]! - fd), `d/dtheta[${t}]`).toBeLessThan(1e-5 * (1 + Math.abs(fd)));
        }
      });
});

describe("fits of synthetic models", () => {
  it("reach a point where the gradient vanishes and the Hessian is positive definite", () => {
    const model = syntheticModel(CASES[4]![1]);
    for (const method of ["REML", "ML"] as const) {
      const fit = fitLmm(model, { method, checkHessian: true });
      expect(fit.optimizer.converged).toBe(true);
      expect(fit.optimizer.gradientNorm).toBeLessThan(1e-3);
      expect(fit.optimizer.hessianMinEigenvalue).toBeGreaterThan(0);
      expect(fit.optimizer.newtonDecrement).toBeLessThan(1e-8);
    }
  });

  it("respect the offset: y + c·offset with the offset declared gives the same fit as y", () => {
    const spec = CASES[2]![1];
    const base = syntheticModel(spec);
    const o = Float64Array.from({ length: base.n }, (_, i) => Math.sin(i));
    const shifted = { ...base, y: Float64Array.from(base.y, (v, i) => v + o[i]!), offset: o };
    const a = fitLmm(base, { method: "REML" });
    const b = fitLmm(shifted, { method: "REML" });
    expect(b.criterion).toBeCloseTo(a.criterion, 8);
    b.beta.forEach((v, i) => {
      expect(v).toBeCloseTo(a.beta[i]!, 8);
    });
    // Fitted values include the offset.
    expect(b.fitted[5]! - a.fitted[5]!).toBeCloseTo(o[5]!, 8);
  });
});

describe("conditional standard deviations of the random effects", () => {
  it("equal sigma² diag(Lambda (Lambda'Z'Z Lambda + I)^{-1} Lambda') from a dense inverse", () => {
    const model = syntheticModel(CASES[4]![1]);
    const fit = fitLmm(model, { method: "REML" });
    const naive = naiveConditionalVariances(model, Float64Array.from(fit.theta), fit.sigma ** 2);
    fit.ranef.forEach((term, k) => {
      term.condSd.forEach((row, l) => {
        row.forEach((sd, a) => {
          const ref = Math.sqrt(naive[k]![l * term.names.length + a]!);
          expect(Math.abs(sd - ref) / ref).toBeLessThan(1e-9);
        });
      });
    });
  });
});

describe("models that cannot be fitted", () => {
  const base = syntheticModel(CASES[0]![1]);
  it("a grouping factor with one level: DataError naming it", () => {
    const t = base.terms[0]!;
    const one = { ...base, terms: [{ ...t, m: 1, levels: ["L0"], refs: new Int32Array(base.n) }] };
    expect(() => fitLmm(one)).toThrow(DataError);
    expect(() => fitLmm(one)).toThrow(/g0/);
  });
  it("a non-finite response: DataError naming the row", () => {
    const y = base.y.slice();
    y[4] = Number.NaN;
    expect(() => fitLmm({ ...base, y })).toThrow(/row 5/);
  });
  it("no random-effects term: ArgumentError", () => {
    expect(() => fitLmm({ ...base, terms: [] })).toThrow(ArgumentError);
  });
  it("a rank-deficient X: a NUMERICAL LmmError, not a crash or NaN", () => {
    const X = new Float64Array(base.n * 2);
    for (let i = 0; i < base.n; i++) {
      X[2 * i] = 1;
      X[2 * i + 1] = 2;
    }
    expect(() => fitLmm({ ...base, X })).toThrow(expect.objectContaining({ code: "NUMERICAL" }));
  });
  it("an unknown method: ArgumentError", () => {
    expect(() => fitLmm(base, { method: "MAP" as "ML" })).toThrow(ArgumentError);
  });
});

describe("fits of varied synthetic designs converge without warnings", () => {
  const designs: Omit<SyntheticSpec, "seed">[] = [
    { n: 300, p: 3, terms: [{ m: 30, q: 4 }] },
    {
      n: 400,
      p: 2,
      terms: [
        { m: 40, q: 3 },
        { m: 10, q: 2 },
      ],
    },
    {
      n: 500,
      p: 4,
      terms: [
        { m: 60, q: 1 },
        { m: 25, q: 1 },
        { m: 8, q: 2 },
      ],
    },
    {
      n: 200,
      p: 2,
      terms: [
        { m: 50, q: 2 },
        { m: 5, q: 1 },
      ],
    },
    {
      n: 1000,
      p: 2,
      terms: [
        { m: 200, q: 1 },
        { m: 150, q: 1 },
      ],
    },
  ];
  designs.forEach((design, d) => {
    for (const method of ["REML", "ML"] as const)
      it(`design ${d} (${design.terms.map((t) => `${t.m}×q${t.q}`).join(" + ")}), ${method}`, () => {
        for (const seed of [11, 12]) {
          const fit = fitLmm(syntheticModel({ ...design, seed: 100 * d + seed }), {
            method,
            checkHessian: true,
          });
          expect(fit.optimizer.converged).toBe(true);
          expect(fit.optimizer.warnings).toEqual([]);
          expect(fit.optimizer.newtonDecrement!).toBeLessThan(1e-8);
        }
      });
  });
});

describe("criterion and gradient on 20 seeded random designs (q up to 4 in any position)", () => {
  it("match the dense definition and central differences", () => {
    for (let s = 0; s < 20; s++) {
      const K = 1 + (s % 3);
      const terms = Array.from({ length: K }, (_, k) => ({
        m: 3 + ((s * 7 + k * 5) % 12),
        q: 1 + ((s + k) % 4),
      }));
      terms.sort((a, b) => b.m - a.m);
      const n = 40 + terms.reduce((a, t) => a + t.m * t.q, 0) * 2;
      const model = syntheticModel({ n, p: 1 + (s % 3), terms, seed: s, offset: s % 2 === 0 });
      for (const method of ["REML", "ML"] as const) {
        const dev = devianceFunction(model, method);
        const L = dev.layout;
        const theta = Float64Array.from({ length: L.length }, (_, t) =>
          L.row[t] === L.col[t] ? 0.3 + ((t * 37) % 10) / 8 : ((t * 13) % 7) / 10 - 0.3,
        );
        const value = dev.value(theta);
        const naive = naiveCriterion(model, theta, method === "REML");
        expect(Math.abs(value - naive) / Math.abs(naive), `design ${s} ${method}`).toBeLessThan(1e-11);
        const g = new Float64Array(L.length);
        dev.gradient(theta, g);
        for (let t = 0; t < L.length; t++) {
          const plus = theta.slice();
          const minus = theta.slice();
          plus[t]! += 1e-5;
          minus[t]! -= 1e-5;
          const fd = (dev.value(plus) - dev.value(minus)) / 2e-5;
          expect(Math.abs(g[t]! - fd) / (1 + Math.abs(fd)), `design ${s} ${method} theta[${t}]`).toBeLessThan(
            1e-6,
          );
        }
      }
    }
  });
});

describe("the gradient's trace form (T_k invertible) equals its A-pattern form", () => {
  it("on 20 seeded random designs, REML and ML, and near a singular T_k the pattern form serves", () => {
    for (let s = 0; s < 20; s++) {
      const K = 1 + (s % 3);
      const terms = Array.from({ length: K }, (_, k) => ({
        m: 3 + ((s * 5 + k * 7) % 12),
        q: 1 + ((s + 2 * k) % 3),
      }));
      terms.sort((a, b) => b.m - a.m);
      const n = 40 + terms.reduce((a, t) => a + t.m * t.q, 0) * 2;
      const model = syntheticModel({ n, p: 1 + (s % 3), terms, seed: 100 + s });
      for (const method of ["REML", "ML"] as const) {
        const dev = devianceFunction(model, method);
        const L = dev.layout;
        const theta = Float64Array.from({ length: L.length }, (_, t) =>
          L.row[t] === L.col[t] ? 0.2 + ((t * 29) % 10) / 6 : ((t * 11) % 7) / 10 - 0.3,
        );
        const trace = new Float64Array(L.length);
        const pattern = new Float64Array(L.length);
        dev.value(theta);
        criterionGradient(dev.system, L, dev.factor, dev.inverse, method === "REML", trace);
        criterionGradient(dev.system, L, dev.factor, dev.inverse, method === "REML", pattern, "pattern");
        const scale = 1 + pattern.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        for (let t = 0; t < L.length; t++)
          expect(Math.abs(trace[t]! - pattern[t]!) / scale, `design ${s} ${method} theta[${t}]`).toBeLessThan(
            1e-10,
          );
        // A diagonal element of 1e-3: "auto" takes the pattern form, equal to central differences.
        const small = theta.slice();
        small[0] = 1e-3;
        const g = new Float64Array(L.length);
        dev.gradient(small, g);
        for (let t = 0; t < L.length; t++) {
          const plus = small.slice();
          const minus = small.slice();
          plus[t]! += 1e-6;
          minus[t]! -= 1e-6;
          const fd = (dev.value(plus) - dev.value(minus)) / 2e-6;
          expect(
            Math.abs(g[t]! - fd) / (1 + Math.abs(fd)),
            `design ${s} ${method} small theta[${t}]`,
          ).toBeLessThan(1e-5);
        }
      }
    }
  });
});
