/**
 * Test helpers for diagnostics: the posterior 1.4.0 reference cases (test/fixtures/diagnostics) and
 * seeded chains drawn from the project's generator.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Random } from "../../src/random/generator";
import { normalQuantile } from "../../src/stats/distributions";
import { FIXTURES, readJsonFixture } from "../helpers/fixtures";

/** One case's expected values (null is R's NA). */
export type Expected = Readonly<Record<string, number | null>>;

/** The case names of test/fixtures/diagnostics/expected.json. */
export function diagnosticCases(): string[] {
  return Object.keys(readJsonFixture<Record<string, unknown>>("diagnostics/expected.json")).filter(
    (k) => k !== "meta",
  );
}

/** The expected values of one case. */
export function expectedOf(name: string): Expected {
  return readJsonFixture<Record<string, Expected>>("diagnostics/expected.json")[name]!;
}

/** A case's draws: the CSV has one column per chain and one row per iteration. */
export function chainsOfCase(name: string): Float64Array[] {
  const lines = readFileSync(join(FIXTURES, "diagnostics", `${name}.csv`), "utf8")
    .trim()
    .split("\n");
  const rows = lines.slice(1).map((line) => line.split(",").map(Number));
  const M = rows[0]!.length;
  return Array.from({ length: M }, (_, c) => Float64Array.from(rows, (r) => r[c]!));
}

/** Relative difference |a − b| / |b| (absolute when b = 0). */
export function relativeError(actual: number, expected: number): number {
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}

/** Standard normal draws by inversion of the seeded generator's uniforms. */
export function normals(rng: Random, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = normalQuantile(rng.uniform());
  return out;
}

/** M chains of N draws of a stationary AR(1) process with coefficient phi and unit variance. */
export function ar1Chains(seed: number, M: number, N: number, phi: number): Float64Array[] {
  const rng = Random.fromSeed(seed);
  const scale = Math.sqrt(1 - phi * phi);
  return Array.from({ length: M }, () => {
    const e = normals(rng, N);
    const x = new Float64Array(N);
    let state = e[0]!;
    for (let t = 0; t < N; t++) {
      if (t > 0) state = phi * state + scale * e[t]!;
      x[t] = state;
    }
    return x;
  });
}
