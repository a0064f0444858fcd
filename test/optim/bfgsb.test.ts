import { describe, expect, it } from "vitest";
import { minimizeBounded, type Objective } from "../../src/optim/bfgsb";

const rosenbrock: Objective = {
  value: (x) => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2,
  gradient: (x, g) => {
    g[0] = -400 * x[0]! * (x[1]! - x[0]! ** 2) - 2 * (1 - x[0]!);
    g[1] = 200 * (x[1]! - x[0]! ** 2);
  },
};

// Beale: minimum 0 at (3, 0.5).
const beale: Objective = {
  value: ([x = 0, y = 0]) =>
    (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2,
  gradient: ([x = 0, y = 0], g) => {
    const a = 1.5 - x + x * y;
    const b = 2.25 - x + x * y * y;
    const c = 2.625 - x + x * y ** 3;
    g[0] = 2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y ** 3 - 1);
    g[1] = 2 * a * x + 4 * b * x * y + 6 * c * x * y * y;
  },
};

/** f = ½ x'Ax - b'x for a seeded SPD A (n × n). */
function quadratic(n: number): { objective: Objective; A: Float64Array; b: Float64Array } {
  let s = 12345;
  const u = (): number => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647 - 0.5;
  };
  const M = Float64Array.from({ length: n * n }, u);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let v = i === j ? 0.5 : 0;
      for (let k = 0; k < n; k++) v += M[i * n + k]! * M[j * n + k]!;
      A[i * n + j] = v;
    }
  const b = Float64Array.from({ length: n }, () => 4 * u());
  const grad = (x: Float64Array, g: Float64Array): void => {
    for (let i = 0; i < n; i++) {
      let v = -b[i]!;
      for (let j = 0; j < n; j++) v += A[i * n + j]! * x[j]!;
      g[i] = v;
    }
  };
  return {
    A,
    b,
    objective: {
      value: (x) => {
        const g = new Float64Array(n);
        grad(x, g);
        let v = 0;
        for (let i = 0; i < n; i++) v += 0.5 * x[i]! * (g[i]! - b[i]!);
        return v;
      },
      gradient: grad,
    },
  };
}

describe("minimizeBounded", () => {
  it("finds the Rosenbrock minimum (1, 1) from (-1.2, 1) without bounds", () => {
    const r = minimizeBounded(rosenbrock, new Float64Array([-1.2, 1]));
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
    expect(r.value).toBeLessThan(1e-12);
    expect(r.evaluations).toBeLessThan(120);
  });

  it("stops on the bound x1 ≤ 0.5 of Rosenbrock at (0.5, 0.25) with the gradient pushing outwards", () => {
    const r = minimizeBounded(rosenbrock, new Float64Array([-1.2, 1]), {
      upper: new Float64Array([0.5, Number.POSITIVE_INFINITY]),
    });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBe(0.5);
    expect(r.x[1]).toBeCloseTo(0.25, 7);
    expect(r.value).toBeCloseTo(0.25, 10);
    expect(r.atBound).toEqual([0]);
    expect(r.gradient[0]).toBeLessThan(0); // it would go further up if it could
  });

  it("finds Beale's minimum (3, 0.5), and a lower bound y ≥ 0.6 moves it onto the bound", () => {
    const free = minimizeBounded(beale, new Float64Array([1, 1]));
    expect(free.x[0]).toBeCloseTo(3, 5);
    expect(free.x[1]).toBeCloseTo(0.5, 5);
    const bounded = minimizeBounded(beale, new Float64Array([1, 1]), {
      lower: new Float64Array([Number.NEGATIVE_INFINITY, 0.6]),
    });
    expect(bounded.converged).toBe(true);
    expect(bounded.x[1]).toBe(0.6);
    expect(bounded.gradient[1]).toBeGreaterThan(0);
    expect(Math.abs(bounded.gradient[0]!)).toBeLessThan(1e-6);
  });

  it("solves a 12-dimensional box-constrained quadratic: the KKT conditions hold", () => {
    const n = 12;
    const { objective } = quadratic(n);
    const lower = new Float64Array(n).fill(-0.3);
    const upper = new Float64Array(n).fill(0.4);
    const r = minimizeBounded(objective, new Float64Array(n), { lower, upper });
    expect(r.converged).toBe(true);
    let active = 0;
    for (let i = 0; i < n; i++) {
      const x = r.x[i]!;
      const g = r.gradient[i]!;
      expect(x).toBeGreaterThanOrEqual(-0.3);
      expect(x).toBeLessThanOrEqual(0.4);
      if (x === -0.3) {
        expect(g).toBeGreaterThanOrEqual(-1e-7);
        active++;
      } else if (x === 0.4) {
        expect(g).toBeLessThanOrEqual(1e-7);
        active++;
      } else expect(Math.abs(g)).toBeLessThan(1e-6);
    }
    expect(active).toBeGreaterThan(0); // the box really binds
  });

  it("matches the unconstrained quadratic's solution A^{-1} b", () => {
    const n = 6;
    const { objective, A, b } = quadratic(n);
    const r = minimizeBounded(objective, new Float64Array(n));
    const residual = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let v = -b[i]!;
      for (let j = 0; j < n; j++) v += A[i * n + j]! * r.x[j]!;
      residual[i] = v;
    }
    for (const v of residual) expect(Math.abs(v)).toBeLessThan(1e-6);
  });

  it("backs off where f is not finite (f = Infinity for x < 0.1 around a minimum at 0.2)", () => {
    const r = minimizeBounded(
      {
        value: (x) => (x[0]! < 0.1 ? Number.POSITIVE_INFINITY : (x[0]! - 0.2) ** 2),
        gradient: (x, g) => {
          g[0] = 2 * (x[0]! - 0.2);
        },
      },
      new Float64Array([5]),
    );
    expect(r.x[0]).toBeCloseTo(0.2, 8);
  });

  it("reports the evaluation limit instead of claiming convergence", () => {
    const r = minimizeBounded(rosenbrock, new Float64Array([-1.2, 1]), { maxEvaluations: 5 });
    expect(r.converged).toBe(false);
    expect(r.reason).toBe("max-evaluations");
    expect(r.evaluations).toBeLessThanOrEqual(5);
  });

  it("throws when f is not finite at the start", () => {
    expect(() =>
      minimizeBounded({ value: () => Number.NaN, gradient: () => {} }, new Float64Array([0])),
    ).toThrow(/not finite/);
  });
});

describe("minimizeBounded near the rounding level of f", () => {
  it("calls a noisy flat bottom converged instead of failing", () => {
    // f = 1e6 + (x - 1)² + noise of relative size 1e-13: the line search cannot resolve the last steps.
    let k = 0;
    const noisy: Objective = {
      value: (x) => 1e6 + (x[0]! - 1) ** 2 + 1e-7 * Math.sin(1e3 * k++),
      gradient: (x, g) => {
        g[0] = 2 * (x[0]! - 1);
      },
    };
    const r = minimizeBounded(noisy, new Float64Array([3]), { gradientTolerance: 0 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 3);
  });
});

describe("minimizeBounded stepLimit", () => {
  it("starts every line search at the limit it returns", () => {
    const seen: number[] = [];
    const r = minimizeBounded(
      {
        value: (x) => {
          seen.push(x[0]!);
          return (x[0]! + 3) ** 2;
        },
        gradient: (x, g) => {
          g[0] = 2 * (x[0]! + 3);
        },
      },
      new Float64Array([4]),
      // Never more than halve the distance to 0 from the positive side.
      { initialStep: 10, stepLimit: (x, d) => (x[0]! > 1e-3 && d[0]! < 0 ? (0.5 * x[0]!) / -d[0]! : 1) },
    );
    expect(seen[1]).toBe(2); // the first step (length 10) stopped halfway to 0
    expect(seen.filter((v) => v > 0).every((v, i, a) => i === 0 || v >= a[i - 1]! / 2 - 1e-12)).toBe(true);
    expect(r.x[0]).toBeCloseTo(-3, 6);
  });
});

describe("minimizeBounded predictedDecrease", () => {
  it("is the quasi-Newton model's remaining decrease, tiny at convergence", () => {
    const r = minimizeBounded(rosenbrock, new Float64Array([-1.2, 1]));
    expect(r.predictedDecrease).not.toBeNull();
    expect(r.predictedDecrease!).toBeGreaterThanOrEqual(0);
    expect(r.predictedDecrease!).toBeLessThan(1e-12);
  });
});
