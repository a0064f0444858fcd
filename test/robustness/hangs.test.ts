/**
 * Issue 17's hang and NaN classes, through the CLI (in-process): each answers in under a second —
 * with a one-line refusal (exit 2) or with an answer free of NaN and null.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli";
import { dataPath } from "../helpers/fixtures";
import { SLEEP, SLEEP_FORMULA, scratch, writeCsv } from "./helpers";

const dir = scratch("hangs");
const sleep = dataPath("sleepstudy");

async function timed(...argv: string[]) {
  const start = performance.now();
  const r = await cli(...argv);
  return { ...r, ms: performance.now() - start };
}

describe("issue 17: the hang classes answer in under a second", () => {
  it("sample --thin 1000000000", async () => {
    const r = await timed("sample", "--data", sleep, "--formula", SLEEP_FORMULA, "--thin", "1000000000");
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--thin/);
    expect(r.ms).toBeLessThan(1000);
  });

  it("model and fit with a fixed-effect factor of 10,000 levels", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({
      y: (i * 7919) % 101,
      f: `L${i % 10_000}`,
      h: `H${i % 50}`,
    }));
    const data = join(dir, "levels.csv");
    writeFileSync(data, `y,f,h\n${rows.map((r) => `${r.y},${r.f},${r.h}`).join("\n")}\n`);
    for (const command of ["model", "fit"]) {
      const r = await timed(command, "--data", data, "--formula", "y ~ f + (1 | h)");
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/`f` has 10,000 levels/);
      expect(r.ms).toBeLessThan(1000);
    }
  });

  it("a formula repeating (1 | Subject) 300 times", async () => {
    const formula = `Reaction ~ Days${" + (1 | Subject)".repeat(300)}`;
    for (const command of ["model", "fit"]) {
      const r = await timed(command, "--data", sleep, "--formula", formula);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/appears again/);
      expect(r.ms).toBeLessThan(1000);
    }
  });
});

describe("issue 17: the NaN classes", () => {
  it("fit Reaction ~ Days + (Days | Days): no NaN in the summary or the JSON", async () => {
    const text = await cli("fit", "--data", sleep, "--formula", "Reaction ~ Days + (Days | Days)");
    expect(text.status).toBe(0);
    expect(text.stdout).not.toMatch(/NaN|Infinity/);
    const json = await cli("fit", "--data", sleep, "--formula", "Reaction ~ Days + (Days | Days)", "--json");
    const doc = JSON.parse(json.stdout) as { se: Record<string, unknown>; sigma: unknown };
    for (const v of [...Object.values(doc.se), doc.sigma]) expect(Number.isFinite(v)).toBe(true);
  });

  it("fit --json with Days × 1e-6: finite SEs and vcov, converged, the rescaled answer", async () => {
    const data = writeCsv(
      dir,
      "days-1e-6",
      SLEEP.map((r) => ({ ...r, Days: r.Days * 1e-6 })),
    );
    const r = await cli("fit", "--data", data, "--formula", SLEEP_FORMULA, "--json");
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/did not converge/);
    const doc = JSON.parse(r.stdout) as {
      se: Record<string, number>;
      vcov: number[][];
      fixef: Record<string, number>;
    };
    expect(doc.vcov.flat().every(Number.isFinite)).toBe(true);
    expect(doc.se["Days"]! * 1e-6).toBeCloseTo(1.5458, 3);
    expect(doc.fixef["Days"]! * 1e-6).toBeCloseTo(10.4673, 3);
  });
});
