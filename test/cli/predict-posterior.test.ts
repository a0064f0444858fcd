/**
 * `bayes-lmm predict --method posterior` through the in-process runner: CLI.md's JSON keys, the
 * numbers equal to the API's (the same seed gives the same draws: gibbs, then posteriorLinpred or
 * posteriorPredict, then predictiveSummary), --interval none / confidence / prediction, --new-levels
 * sample (a new subject's interval wider than a known one's), --re none, --out's CSV, and bad input
 * → exit 2 with one line, before any sampling.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { predictiveSummary } from "../../diagnostics/predictive-summary";
import { gibbsSync } from "../../samplers/gibbs";
import { lmm } from "../../src/model/lmm";
import { readCsvFile } from "../../src/node/data-file";
import { posteriorLinpred, posteriorPredict } from "../../src/predict/posterior";
import { cli } from "../helpers/cli";
import { dataPath } from "../helpers/fixtures";

interface Doc {
  method: string;
  re: string | string[];
  new_levels: string;
  interval: string;
  level: number;
  dropped: number;
  predictions: { row: number; fit: number; lower: number | null; upper: number | null }[];
}

const formula = "Reaction ~ Days + (Days | Subject)";
const dir = mkdtempSync(join(tmpdir(), "bayes-lmm-predict-posterior-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const newCsv = join(dir, "new.csv");
writeFileSync(newCsv, "Days,Subject\n3,308\n3,new\n8,new\n,308\n");
const sampling = ["--iter", "300", "--warmup", "100", "--chains", "2", "--seed", "4", "--quiet"];
const base = ["predict", "--data", dataPath("sleepstudy"), "--formula", formula, "--method", "posterior"];
const model = lmm(formula, readCsvFile(dataPath("sleepstudy")));
const post = gibbsSync(model, { iter: 300, warmup: 100, chains: 2, seed: 4, randomEffects: "draws" });
const newdata = readCsvFile(newCsv);

describe("bayes-lmm predict --method posterior", () => {
  it("--json on the training rows: CLI.md's keys, the API's numbers (brms's fitted)", async () => {
    const r = await cli(...base, ...sampling, "--interval", "confidence", "--json");
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(Object.keys(doc)).toEqual([
      "method",
      "re",
      "new_levels",
      "interval",
      "level",
      "dropped",
      "predictions",
    ]);
    expect(doc.method).toBe("posterior");
    expect(doc.re).toBe("all");
    expect(doc.predictions.length).toBe(180);
    const s = predictiveSummary(posteriorLinpred(post), 0.95);
    doc.predictions.forEach((p, i) => {
      expect(p.row).toBe(i + 1);
      expect(p.fit).toBe(s.estimate[i]);
      expect(p.lower).toBe(s.lower[i]);
      expect(p.upper).toBe(s.upper[i]);
    });
  });

  it("--newdata --new-levels sample --interval prediction: a new subject's interval is wider", async () => {
    const r = await cli(
      ...base,
      ...sampling,
      "--newdata",
      newCsv,
      "--new-levels",
      "sample",
      "--interval",
      "prediction",
      "--level",
      "0.9",
      "--json",
    );
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.new_levels).toBe("sample");
    expect(doc.level).toBe(0.9);
    expect(doc.dropped).toBe(1);
    expect(doc.predictions.map((p) => p.row)).toEqual([1, 2, 3]);
    const s = predictiveSummary(posteriorPredict(post, { newdata, newLevels: "sample", seed: 4 }), 0.9);
    doc.predictions.forEach((p, i) => {
      expect(p.fit).toBe(s.estimate[i]);
      expect(p.lower).toBe(s.lower[i]);
    });
    const width = (i: number) => doc.predictions[i]!.upper! - doc.predictions[i]!.lower!;
    expect(width(1)).toBeGreaterThan(width(0) * 1.3);
    expect(width(2)).toBeGreaterThan(width(1));
  });

  it("--re none --interval none and --out: the population mean, no interval, CSV with a header", async () => {
    const out = join(dir, "p.csv");
    const r = await cli(...base, ...sampling, "--newdata", newCsv, "--re", "none", "--out", out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines[0]).toBe("row,fit,lower,upper");
    const s = predictiveSummary(posteriorLinpred(post, { newdata, re: "none" }));
    expect(lines[1]).toBe(`1,${s.estimate[0]},NA,NA`);
    expect(lines[2]).toBe(`2,${s.estimate[1]},NA,NA`);
  });

  it.each([
    [["--newdata", newCsv], /`new`.*population/],
    [["--new-levels", "gaussian"], /--new-levels/],
    [["--ml"], /--ml/],
    [["--iter", "0"], /--iter/],
    [["--re", "Days"], /re/],
  ])("bad input %j: exit 2, one line", async (extra, message) => {
    const r = await cli(...base, "--quiet", ...(extra as string[]));
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n").length).toBe(1);
    expect(r.stderr).toMatch(message as RegExp);
  });
});
