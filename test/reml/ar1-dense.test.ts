/**
 * The AR(1) criterion (src/reml/ar1.ts: the whitened model's criterion plus log det R(phi)) against
 * the definition, with no whitening: V = sigma² H, H = Z Lambda Lambda' Z' + R(phi) built densely, and
 *
 *     ML:   log det H + n (1 + log(2 pi r² / n))
 *     REML: log det H + log det X'H⁻¹X + (n − p) (1 + log(2 pi r² / (n − p))),   r² = min_beta |y − X beta|²_{H⁻¹}
 *
 * on a small model with two nested factors, a random slope, gaps and unsorted times, at positive and
 * negative phi (1e-10 relative); and a fit of data simulated with phi = −0.6 finds phi < 0.
 */
import { describe, expect, it } from "vitest";
import { lmm } from "../../src/model/lmm";
import type { LmmModel } from "../../src/model/types";
import { ar1Criterion } from "../../src/reml/ar1";
import { devianceFunction, fitLmm } from "../../src/reml/fit";
import type { FitMethod } from "../../src/reml/types";
import { denseR, invertSpd, smallData } from "../model/ar1-helpers";

/** Each term's T (row-major q × q) from lme4's theta (lower triangles by columns, terms in order). */
function factors(model: LmmModel, theta: readonly number[]): number[][] {
  let o = 0;
  return model.terms.map((t) => {
    const T = new Array<number>(t.q * t.q).fill(0);
    for (let c = 0; c < t.q; c++) for (let r = c; r < t.q; r++) T[r * t.q + c] = theta[o++]!;
    return T;
  });
}

function denseCriterion(
  model: LmmModel,
  times: number[],
  groups: string[],
  theta: readonly number[],
  phi: number,
  method: FitMethod,
): number {
  const { n, p, X, y } = model;
  const H = denseR(model, times, groups, phi);
  const Ts = factors(model, theta);
  model.terms.forEach((t, k) => {
    const T = Ts[k]!;
    const q = t.q;
    // z' T T' z' for rows of one level.
    const tz = (i: number) =>
      Array.from({ length: q }, (_, a) => {
        let s = 0;
        for (let r = 0; r < q; r++) s += T[r * q + a]! * t.values[i * q + r]!;
        return s;
      });
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        if (t.refs[i] === t.refs[j]) {
          const a = tz(i);
          const b = tz(j);
          H[i]![j]! += a.reduce((s, v, r) => s + v * b[r]!, 0);
        }
  });
  const { inverse, logDet } = invertSpd(H);
  // GLS: X'H⁻¹X beta = X'H⁻¹y.
  const XtHX = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const XtHy = new Array<number>(p).fill(0);
  for (let a = 0; a < p; a++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const w = X[i * p + a]! * inverse[i]![j]!;
        XtHy[a]! += w * y[j]!;
        for (let b = 0; b < p; b++) XtHX[a]![b]! += w * X[j * p + b]!;
      }
  const { inverse: XtHXinv, logDet: logDetX } = invertSpd(XtHX);
  const beta = XtHXinv.map((row) => row.reduce((s, v, b) => s + v * XtHy[b]!, 0));
  const e = Array.from({ length: n }, (_, i) => y[i]! - beta.reduce((s, v, a) => s + v * X[i * p + a]!, 0));
  let r2 = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) r2 += e[i]! * inverse[i]![j]! * e[j]!;
  if (method === "ML") return logDet + n * (1 + Math.log((2 * Math.PI * r2) / n));
  return logDet + logDetX + (n - p) * (1 + Math.log((2 * Math.PI * r2) / (n - p)));
}

describe("the AR(1) criterion equals its dense definition", () => {
  const data = smallData();
  const model = lmm("y ~ x + (1 | site) + (x | subject)", data, { ar1: { time: "t", group: "subject" } });
  const times = data.map((r) => r["t"] as number);
  const groups = data.map((r) => r["subject"] as string);
  for (const method of ["REML", "ML"] as const)
    for (const [theta, phi] of [
      [[0.8, 0.3, 0.5, 1.2], 0.6],
      [[1.5, -0.4, 0.2, 0.3], -0.7],
      [[0.2, 0, 0, 0.9], 0.93],
    ] as const)
      it(`${method} at theta (${theta.join(", ")}), phi ${phi}`, () => {
        const ours = ar1Criterion(model, method, theta, phi, devianceFunction);
        const dense = denseCriterion(model, times, groups, theta, phi, method);
        expect(Math.abs(ours - dense)).toBeLessThan(1e-10 * Math.abs(dense));
      });
});

describe("a negative phi", () => {
  it("data simulated with phi = -0.6 give a negative estimate near it", () => {
    // A seeded linear congruential generator and Box–Muller: 40 subjects × 12 times.
    let state = 12345;
    const uniform = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return (state + 0.5) / 2 ** 31;
    };
    const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const rows: Record<string, unknown>[] = [];
    const phi = -0.6;
    for (let s = 0; s < 40; s++) {
      const b = 2 * normal();
      let e = normal();
      for (let t = 0; t < 12; t++) {
        if (t > 0) e = phi * e + Math.sqrt(1 - phi * phi) * normal();
        rows.push({ g: `s${s}`, t, y: 10 + 0.5 * t + b + e });
      }
    }
    const fit = fitLmm(lmm("y ~ t + (1 | g)", rows, { ar1: { time: "t", group: "g" } }));
    expect(fit.ar1!.phi).toBeLessThan(-0.45);
    expect(fit.ar1!.phi).toBeGreaterThan(-0.75);
    expect(fit.sigma).toBeGreaterThan(0.85);
    expect(fit.sigma).toBeLessThan(1.15);
  });
});
