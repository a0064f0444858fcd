/**
 * `bayes-lmm diagnose` as CLI.md says: per parameter mean, sd, median, q5, q95, rhat, ess_bulk,
 * ess_tail, mcse_mean, mcse_sd (posterior's values, checked on a fixture case), a text table by
 * default, one JSON document with --json, exit 2 with one line for a missing or malformed file.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDraws } from "../../src/draws/draws";
import { writeDrawsCsv } from "../../src/node/draws-file";
import { chainsOfCase, expectedOf, relativeError } from "../diagnostics/helpers";
import { cli } from "../helpers/cli";

const dir = mkdtempSync(join(tmpdir(), "bayes-lmm-diagnose-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A draws file with three fixture cases and a constant parameter. */
function drawsFile(): string {
  const cases = ["iid_normal", "shifted_mean", "cauchy"];
  const d = createDraws([...cases, "Psi[g][(Intercept),x]"], 4, 1000);
  cases.forEach((name, k) => {
    chainsOfCase(name).forEach((chain, c) => {
      d.values.set(chain, (k * 4 + c) * 1000);
    });
  });
  d.values.fill(2.5, 3 * 4000);
  const path = join(dir, "draws.csv");
  writeDrawsCsv(d, path);
  return path;
}

const path = drawsFile();
const COLUMNS = ["mean", "sd", "median", "q5", "q95", "rhat", "ess_bulk", "ess_tail", "mcse_mean", "mcse_sd"];

describe("bayes-lmm diagnose", () => {
  it("--json: one JSON document with posterior's values per parameter; null for NA", async () => {
    const r = await cli("diagnose", "--draws", path, "--json");
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(["draws", "chains", "iterations", "parameters", "warnings"]);
    expect([report.draws, report.chains, report.iterations]).toEqual([path, 4, 1000]);
    const rows = report.parameters as Record<string, number | string | null>[];
    expect(rows.map((p) => p["name"])).toEqual([
      "iid_normal",
      "shifted_mean",
      "cauchy",
      "Psi[g][(Intercept),x]",
    ]);
    for (const row of rows.slice(0, 3)) {
      expect(Object.keys(row)).toEqual(["name", ...COLUMNS]);
      const e = expectedOf(row["name"] as string);
      for (const column of COLUMNS) {
        const key = column === "q5" ? "q05" : column;
        expect(relativeError(row[column] as number, e[key]!)).toBeLessThan(1e-9);
      }
    }
    expect(rows[3]).toMatchObject({
      mean: 2.5,
      sd: 0,
      median: 2.5,
      rhat: null,
      ess_bulk: null,
      mcse_sd: null,
    });
    // shifted_mean has R-hat above 1.01: warned on stderr and in the document.
    expect(
      report.warnings.some(
        (w: { kind: string; parameter: string }) => w.kind === "rhat" && w.parameter === "shifted_mean",
      ),
    ).toBe(true);
    expect(r.stderr).toMatch(/^bayes-lmm: warning: R-hat of `shifted_mean` is /m);
  });

  it("prints a text table by default", async () => {
    const r = await cli("diagnose", "--draws", path);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`draws ${path}: 4 chains × 1,000 draws, 4 parameters`);
    expect(lines[2]!.split(/\s+/)).toEqual(["parameter", ...COLUMNS]);
    const iid = lines[3]!.split(/\s+/);
    expect(iid[0]).toBe("iid_normal");
    expect(Number(iid[1])).toBeCloseTo(0.00406, 5); // mean, 4 significant digits
    expect(iid[6]).toBe("1.001"); // rhat, 3 decimals
    expect(iid[7]).toBe("3772"); // ess_bulk, whole draws
    expect(lines[6]!.split(/\s+/).slice(6)).toEqual(["NA", "NA", "NA", "NA", "NA"]);
  });

  it("a missing file: exit 2, one line naming it, nothing on stdout", async () => {
    const missing = join(dir, "nope.csv");
    const r = await cli("diagnose", "--draws", missing);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`bayes-lmm: cannot read draws file \`${missing}\`: no such file.\n`);
  });

  it("a malformed file: exit 2, one line naming row and column", async () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, ".chain,.iteration,.draw,mu\n1,1,1,0.5\n1,2,2,x\n");
    const r = await cli("diagnose", "--draws", bad, "--json");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("row 2, column `mu`");
  });

  it("without --draws: exit 2 naming the flag", async () => {
    const r = await cli("diagnose");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("`--draws` is required");
  });

  it("is listed in --help and has its own usage", async () => {
    expect((await cli("--help")).stdout).toMatch(/^ {2}diagnose /m);
    const r = await cli("diagnose", "--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^Usage: bayes-lmm diagnose --draws FILE\.csv \[--draws FILE2\.csv \.\.\.\] \[--json\]/,
    );
  });
});
