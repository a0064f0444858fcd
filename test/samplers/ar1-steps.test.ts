/**
 * The sampler's AR(1) pieces (samplers/ar1.ts), each against an independent computation:
 * - the whitened cross-products the location steps read (phi-free components combined at phi) equal
 *   those of the rows whitened one by one (src/model/ar1.ts's ar1Whiten), at positive and negative phi,
 *   on sleepstudy with gaps and reversed rows (lags 1–3), joint and by-factor blocks;
 * - Q(phi) = e'R⁻¹e and log |R(phi)| from the lag sums equal the whitened sum of squares and
 *   src/model/ar1.ts's log determinant, and Q against a dense R(phi)⁻¹;
 * - the posterior's log-likelihood (diagnostics) equals the dense multivariate normal density, and
 *   lp adds phi's Beta prior;
 * - replicated data (posteriorPredict) carry AR(1) noise: the lag-1 correlation of their residuals
 *   is phi;
 * - same seed, same draws (serial and on worker threads); phi's prior is read (PriorError for a bad one), and what is not
 *   implemented for AR(1) is refused with a typed error.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inferenceData } from "../../diagnostics/inference-data";
import { posteriorLogLik } from "../../diagnostics/linear-predictor";
import { logJointDensity } from "../../diagnostics/log-density";
import {
  type Ar1Residual,
  ar1Coefficients,
  ar1Components,
  ar1LogDet,
  ar1Quadratic,
  ar1Sums,
} from "../../samplers/ar1";
import { modelFingerprint } from "../../samplers/checkpoint";
import { compileModel } from "../../samplers/compile";
import { gibbs, gibbsSync } from "../../samplers/gibbs";
import { marginalLikelihood } from "../../samplers/marginalLikelihood";
import { crossProductsFromRows } from "../../src/blocked/crossproducts";
import { parseCsv } from "../../src/data/csv";
import { posteriorToJson } from "../../src/draws/posterior";
import { ArgumentError, PriorError } from "../../src/errors";
import { pointwiseLogLik } from "../../src/loglik/pointwise";
import { ar1LogDeterminant, ar1Whiten } from "../../src/model/ar1";
import { lmm } from "../../src/model/lmm";
import { posteriorEpred, posteriorPredict } from "../../src/predict/posterior";
import { describePriors } from "../../src/priors/describe";
import { resolvePriors } from "../../src/priors/resolve";
import { dataPath, FIXTURES } from "../helpers/fixtures";

const gaps = parseCsv(readFileSync(join(FIXTURES, "ar1", "sleepstudy_gaps.csv"), "utf8"));
const sleep = parseCsv(readFileSync(dataPath("sleepstudy"), "utf8"));
const PRIORS = {
  beta: { mean: [0, 0], cov: 1e6 },
  sigma2: { shape: 0.001, scale: 0.001 },
  psi: {
    Subject: {
      df: 4,
      scale: [
        [500, 0],
        [0, 25],
      ],
    },
  },
};

function gapsModel() {
  return lmm("Reaction ~ Days + (Days | Subject)", gaps, { ar1: { time: "Days", group: "Subject" } });
}

const close = (a: number, b: number, tol = 1e-9) =>
  expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

describe("AR(1) in the sampler", () => {
  it("has lags above 1 and rows out of time order in the test data", () => {
    const model = gapsModel();
    expect(Math.max(...model.ar1!.lags)).toBeGreaterThan(1);
    expect(Array.from(model.ar1!.order).some((r, j) => j > 0 && r < model.ar1!.order[j - 1]!)).toBe(true);
  });

  for (const phi of [0.63, -0.41, 0, 0.97])
    it(`the combined components are the whitened rows' cross-products (phi = ${phi})`, () => {
      const model = gapsModel();
      const compiled = compileModel(model, resolvePriors(model, PRIORS));
      const residual = compiled.residual as Ar1Residual;
      const c = new Float64Array(residual.components.length);
      ar1Coefficients(residual.lagValues, phi, c);
      const { n, p, X, ytilde, factors } = compiled;
      // Whiten every column of [Z X ytilde] row by row (src/model/ar1.ts), then cross-products.
      const col = new Float64Array(n);
      const out = new Float64Array(n);
      const whiten = (get: (i: number) => number, set: (i: number, v: number) => void) => {
        for (let i = 0; i < n; i++) col[i] = get(i);
        ar1Whiten(model.ar1!, phi, col, out);
        for (let i = 0; i < n; i++) set(i, out[i]!);
      };
      const wX = new Float64Array(n * p);
      for (let t = 0; t < p; t++)
        whiten(
          (i) => X[i * p + t]!,
          (i, v) => {
            wX[i * p + t] = v;
          },
        );
      const wy = new Float64Array(n);
      whiten(
        (i) => ytilde[i]!,
        (i, v) => {
          wy[i] = v;
        },
      );
      const wBlocks = factors.map((f) => {
        const values = new Float64Array(n * f.q);
        for (let a = 0; a < f.q; a++)
          whiten(
            (i) => f.values[i * f.q + a]!,
            (i, v) => {
              values[i * f.q + a] = v;
            },
          );
        return { ...f, values };
      });
      const expected = crossProductsFromRows(wBlocks, wX, p, wy, null);
      const parts = residual.components;
      const combined = (pick: (cp: (typeof parts)[number]) => ArrayLike<number>, t: number) =>
        parts.reduce((s, part, l) => s + c[l]! * pick(part)[t]!, 0);
      const scale = expected.yy + Math.max(...Array.from(expected.zz[0]!, Math.abs));
      for (let t = 0; t < expected.zz[0]!.length; t++)
        close(
          combined((cp) => cp.zz[0]!, t),
          expected.zz[0]![t]!,
          1e-9 * scale,
        );
      for (let t = 0; t < expected.zx[0]!.length; t++)
        close(
          combined((cp) => cp.zx[0]!, t),
          expected.zx[0]![t]!,
          1e-9 * scale,
        );
      for (let t = 0; t < expected.zy[0]!.length; t++)
        close(
          combined((cp) => cp.zy[0]!, t),
          expected.zy[0]![t]!,
          1e-9 * scale,
        );
      for (let t = 0; t < p * p; t++)
        close(
          combined((cp) => cp.xx, t),
          expected.xx[t]!,
          1e-9 * scale,
        );
      for (let t = 0; t < p; t++)
        close(
          combined((cp) => cp.xy, t),
          expected.xy[t]!,
          1e-9 * scale,
        );
      close(
        parts.reduce((s, part, l) => s + c[l]! * part.yy, 0),
        expected.yy,
        1e-9 * scale,
      );
      // The same components: a fresh computation from the compiled rows.
      expect(ar1Components(residual, factors, X, p, ytilde)[1]!.xx).toEqual(parts[1]!.xx);
    });

  it("Q(phi) and log |R(phi)| from the lag sums equal whitening and a dense R(phi)⁻¹", () => {
    const model = gapsModel();
    const compiled = compileModel(model, resolvePriors(model, PRIORS));
    const residual = compiled.residual as Ar1Residual;
    const n = compiled.n;
    const e = Float64Array.from(compiled.ytilde, (v, i) => v + 3 * Math.sin(i));
    const K = residual.lagValues.length;
    const sums = {
      start: 0,
      c: new Float64Array(K),
      p: new Float64Array(K),
      d: new Float64Array(K),
      u: new Float64Array(K),
    };
    ar1Sums(residual, e, sums);
    const white = new Float64Array(n);
    for (const phi of [-0.93, -0.2, 0, 0.5, 0.999]) {
      ar1Whiten(model.ar1!, phi, e, white);
      close(
        ar1Quadratic(residual.lagValues, sums, phi),
        white.reduce((s, v) => s + v * v, 0),
        1e-9,
      );
      close(ar1LogDet(residual.lagValues, residual.lagCounts, phi), ar1LogDeterminant(model.ar1!, phi), 1e-9);
    }
    // One subject's chain against its dense correlation matrix R_st = phi^|t_s - t_t|.
    const ar1 = model.ar1!;
    const rows: number[] = [];
    for (let j = 0; j < n && (j === 0 || ar1.lags[j]! > 0); j++) rows.push(ar1.order[j]!);
    const phi = 0.7;
    const m = rows.length;
    const times = [0];
    for (let j = 1; j < m; j++) times.push(times[j - 1]! + ar1.lags[j]!);
    const R = Array.from({ length: m }, (_, s) =>
      Array.from({ length: m }, (_, t) => phi ** Math.abs(times[s]! - times[t]!)),
    );
    // Solve R x = e_chain by Gaussian elimination.
    const A = R.map((r, s) => [...r, e[rows[s]!]!]);
    for (let k = 0; k < m; k++)
      for (let s = k + 1; s < m; s++) {
        const f = A[s]![k]! / A[k]![k]!;
        for (let t = k; t <= m; t++) A[s]![t]! -= f * A[k]![t]!;
      }
    const x = new Array<number>(m).fill(0);
    for (let s = m - 1; s >= 0; s--) {
      let v = A[s]![m]!;
      for (let t = s + 1; t < m; t++) v -= A[s]![t]! * x[t]!;
      x[s] = v / A[s]![s]!;
    }
    const dense = rows.reduce((s, i, k) => s + e[i]! * x[k]!, 0);
    const oneChain = { ...ar1, order: Int32Array.from(rows), lags: ar1.lags.slice(0, m) };
    const sub = Float64Array.from(rows, (i) => e[i]!);
    const subWhite = new Float64Array(m);
    ar1Whiten({ ...oneChain, order: Int32Array.from({ length: m }, (_, k) => k) }, phi, sub, subWhite);
    close(
      subWhite.reduce((s, v) => s + v * v, 0),
      dense,
      1e-9,
    );
    expect(m).toBeGreaterThan(5);
  });

  it("the posterior's log-likelihood is the dense Gaussian's, and lp adds phi's prior", () => {
    const model = lmm("Reaction ~ Days + (1 | Subject)", sleep, { ar1: { time: "Days", group: "Subject" } });
    const post = gibbsSync(model, {
      iter: 3,
      warmup: 20,
      chains: 1,
      seed: 4,
      priors: { phi: { a: 2, b: 3 } },
    });
    const ll = posteriorLogLik(post).values;
    const size = post.chains * post.iterations;
    const at = (name: string, d: number) => post.values[post.parameters.indexOf(name) * size + d]!;
    const n = model.n;
    for (let d = 0; d < size; d++) {
      const phi = at("phi", d);
      const s2 = at("sigma2", d);
      // Each subject's 10 rows (Days 0..9, in order): a dense 10 × 10 solve.
      let total = 0;
      for (let start = 0; start < n; start += 10) {
        const subject = model.terms[0]!.levels[model.terms[0]!.refs[start]!]!;
        const e = Array.from({ length: 10 }, (_, t) => {
          const i = start + t;
          return (
            model.y[i]! -
            at("beta[(Intercept)]", d) -
            at("beta[Days]", d) * model.X[i * 2 + 1]! -
            at(`b[Subject][${subject},(Intercept)]`, d)
          );
        });
        const A = Array.from({ length: 10 }, (_, s) => [
          ...Array.from({ length: 10 }, (_, t) => s2 * phi ** Math.abs(s - t)),
          e[s]!,
        ]);
        let logdet = 0;
        for (let k = 0; k < 10; k++) {
          logdet += Math.log(A[k]![k]!);
          for (let s = k + 1; s < 10; s++) {
            const f = A[s]![k]! / A[k]![k]!;
            for (let t = k; t <= 10; t++) A[s]![t]! -= f * A[k]![t]!;
          }
        }
        const x = new Array<number>(10).fill(0);
        for (let s = 9; s >= 0; s--) {
          let v = A[s]![10]!;
          for (let t = s + 1; t < 10; t++) v -= A[s]![t]! * x[t]!;
          x[s] = v / A[s]![s]!;
        }
        const quad = e.reduce((s, v, k) => s + v * x[k]!, 0);
        total += -0.5 * (10 * Math.log(2 * Math.PI) + logdet + quad);
      }
      close(ll[d]!, total, 1e-9);
    }
    // lp's phi term: the same posterior with another prior on phi differs by log p(phi) only.
    const other = { ...post, priors: { ...post.priors, phi: { a: 1, b: 1, isDefault: true } } };
    const lp = logJointDensity(post);
    const lp1 = logJointDensity(other);
    for (let d = 0; d < size; d++) {
      const phi = at("phi", d);
      // Beta(2, 3) on u = (phi + 1) / 2: 12 u (1 - u)², times 1/2; uniform: 1/2.
      const u = (phi + 1) / 2;
      close(lp[d]! - lp1[d]!, Math.log(12 * u * (1 - u) ** 2), 1e-9);
    }
  });

  it("replicated data carry AR(1) noise at each draw's phi", () => {
    const model = lmm("Reaction ~ Days + (Days | Subject)", sleep, {
      ar1: { time: "Days", group: "Subject" },
    });
    const post = gibbsSync(model, { iter: 400, warmup: 300, chains: 1, seed: 9, priors: PRIORS });
    const rep = posteriorPredict(post, { seed: 3 });
    const mean = posteriorEpred(post);
    const n = model.n;
    const D = post.chains * post.iterations;
    // Pooled lag-1 correlation of y_rep - mu along the chains (Days 0..9 by subject, in order).
    let num = 0;
    let den = 0;
    for (let d = 0; d < D; d++)
      for (let i = 0; i < n; i++) {
        const e = rep.values[d * n + i]! - mean.values[d * n + i]!;
        den += e * e;
        if (model.ar1!.lags[model.ar1!.order.indexOf(i)]! > 0) {
          const prev = model.ar1!.order[model.ar1!.order.indexOf(i) - 1]!;
          num += e * (rep.values[d * n + prev]! - mean.values[d * n + prev]!);
        }
      }
    const phiMean =
      post.values
        .subarray(post.parameters.indexOf("phi") * D, (post.parameters.indexOf("phi") + 1) * D)
        .reduce((s, v) => s + v, 0) / D;
    // sum over 162 of 180 rows: the correlation estimate scaled by 162/180.
    expect(Math.abs(num / den / (162 / 180) - phiMean)).toBeLessThan(0.03);
    expect(() => posteriorPredict(post, { newdata: sleep })).toThrow(ArgumentError);
  });

  it("same seed, same draws; the draws name phi after sigma2", () => {
    const model = gapsModel();
    const run = () => gibbsSync(model, { iter: 50, warmup: 20, chains: 2, seed: 11, priors: PRIORS });
    const a = run();
    const b = run();
    expect(a.parameters.slice(0, 4)).toEqual(["beta[(Intercept)]", "beta[Days]", "sigma2", "phi"]);
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    const phi = a.values.subarray(3 * 100, 4 * 100);
    expect(Math.min(...phi)).toBeGreaterThan(-1);
    expect(Math.max(...phi)).toBeLessThan(1);
  });

  it("InferenceData's posterior group and the posterior's JSON carry phi and its prior", () => {
    const model = gapsModel();
    const post = gibbsSync(model, {
      iter: 20,
      warmup: 10,
      chains: 2,
      seed: 2,
      priors: { ...PRIORS, phi: { a: 3 } },
    });
    const idata = inferenceData(post);
    const phi = idata.groups[0]!.variables.find((v) => v.name === "phi")!;
    expect(phi.dims).toEqual(["chain", "draw"]);
    expect(Array.from(phi.values)).toEqual(Array.from(post.values.subarray(3 * 40, 4 * 40)));
    expect(idata.groups.find((g) => g.name === "sample_stats")!.variables.map((v) => v.name)).toContain("lp");
    expect((posteriorToJson(post)["priors"] as { phi: unknown }).phi).toEqual({ a: 3, b: 1 });
  });

  it("a checkpoint's model fingerprint tells the AR(1) model from the same data without it", () => {
    const plain = lmm("Reaction ~ Days + (Days | Subject)", gaps);
    const reversed = lmm("Reaction ~ Days + (Days | Subject)", gaps, {
      ar1: { time: "1", group: "Subject" },
    });
    const fingerprints = new Set([
      modelFingerprint(plain),
      modelFingerprint(gapsModel()),
      modelFingerprint(reversed),
    ]);
    expect(fingerprints.size).toBe(3);
  });

  it("worker threads give the serial draws", async () => {
    const model = gapsModel();
    const options = { iter: 50, warmup: 20, chains: 2, seed: 11, priors: PRIORS };
    const serial = gibbsSync(model, options);
    const workers = await gibbs(model, { ...options, parallel: 2 });
    expect(Array.from(workers.values)).toEqual(Array.from(serial.values));
  }, 60_000);

  it("reads phi's prior; refuses a bad one and one for a model without AR(1)", () => {
    const model = gapsModel();
    expect(resolvePriors(model).phi).toEqual({ a: 1, b: 1, isDefault: true });
    expect(resolvePriors(model, { phi: { a: 2 } }).phi).toEqual({ a: 2, b: 1, isDefault: false });
    expect(describePriors(resolvePriors(model, { phi: { a: 2, b: 2 } })).at(-1)).toBe(
      "(phi + 1) / 2 ~ Beta(2, 2)",
    );
    expect(() => resolvePriors(model, { phi: { a: 0 } })).toThrow(PriorError);
    expect(() => resolvePriors(model, { phi: { shape: 1 } })).toThrow(PriorError);
    const plain = lmm("Reaction ~ Days + (Days | Subject)", sleep);
    expect(resolvePriors(plain).phi).toBeUndefined();
    expect(() => resolvePriors(plain, { phi: { a: 2 } })).toThrow(PriorError);
  });

  it("refuses what is not implemented for AR(1): pointwise log-likelihood (loo), Chib's marginal likelihood", () => {
    const model = gapsModel();
    const post = gibbsSync(model, { iter: 20, warmup: 10, chains: 1, seed: 1, priors: PRIORS });
    expect(() => pointwiseLogLik(model, post)).toThrow(/AR\(1\)/);
    expect(() => marginalLikelihood(model, post)).toThrow(/AR\(1\)/);
  });
});
