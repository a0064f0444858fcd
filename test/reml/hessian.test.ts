import { describe, expect, it } from "vitest";
import { inverseSpd } from "../../src/linalg/spd";
import { Random } from "../../src/random/generator";
import { hessianFromGradient, newtonDecrement } from "../../src/reml/hessian";

// The convergence check's pieces. newtonDecrement against ½ g' H^-1 g with H^-1 from inverseSpd (a
// different route: potri); 1e-12 relative for these well-conditioned H (cond < 10).
describe("newtonDecrement and hessianFromGradient", () => {
  it("½ g' H^-1 g on seeded random positive definite H, n = 1..6", () => {
    const rng = Random.fromSeed(1401);
    for (let n = 1; n <= 6; n++) {
      const B = Array.from({ length: n }, () => Array.from({ length: n }, () => 2 * rng.uniform() - 1));
      const H = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          let v = i === j ? 1 : 0;
          for (let k = 0; k < n; k++) v += (B[i]![k]! * B[j]![k]!) / n;
          H[i * n + j] = v;
        }
      const g = Float64Array.from({ length: n }, () => 2 * rng.uniform() - 1);
      const Hinv = inverseSpd({ rows: n, cols: n, data: H }).data;
      let expected = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expected += g[i]! * Hinv[i * n + j]! * g[j]!;
      expected /= 2;
      expect(Math.abs(newtonDecrement(H, g) - expected)).toBeLessThan(1e-12 * expected);
    }
  });

  it("NaN when H is not positive definite; H and g unchanged", () => {
    const H = new Float64Array([1, 2, 2, 1]);
    const g = new Float64Array([1, 1]);
    expect(newtonDecrement(H, g)).toBeNaN();
    expect(Array.from(H)).toEqual([1, 2, 2, 1]);
    expect(Array.from(g)).toEqual([1, 1]);
  });

  it("the Hessian of a quadratic from its exact gradient, symmetric, over the free variables only", () => {
    // f = x0² + 3 x0 x1 + 5 x1² + 7 x2²: H = [[2, 3, 0], [3, 10, 0], [0, 0, 14]]; free = [0, 1].
    const grad = (x: Float64Array, out: Float64Array) => {
      out[0] = 2 * x[0]! + 3 * x[1]!;
      out[1] = 3 * x[0]! + 10 * x[1]!;
      out[2] = 14 * x[2]!;
    };
    const H = hessianFromGradient(grad, new Float64Array([0.5, 2, 1]), [0, 1]);
    const expected = [2, 3, 3, 10];
    for (let k = 0; k < 4; k++) expect(Math.abs(H[k]! - expected[k]!)).toBeLessThan(1e-9);
  });
});
