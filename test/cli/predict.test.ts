/**
 * `bayes-lmm predict` through the in-process runner: CLI.md's JSON keys, predictions against lme4's
 * (test/fixtures/predict; the CLI fits by its own optimizer, so to 1e-4 of the response's scale, as
 * the fit tests allow), --re, --new-levels, --interval, --level, --ml, --out's CSV, and bad input →
 * exit 2 with one line.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli";
import { dataPath, readJsonFixture } from "../helpers/fixtures";

interface Doc {
  method: string;
  re: string | string[];
  new_levels: string;
  interval: string;
  level: number;
  dropped: number;
  predictions: { row: number; fit: number; lower: number | null; upper: number | null }[];
}
interface Case {
  formula: string;
  newdata: { Days: number; Subject: string }[];
  train: { all: number[]; none: number[] };
  new: { all: number[]; none: number[]; se_all: { prediction: number[] } };
}
const fx = readJsonFixture<{ cases: Record<string, Case> }>("predict/predict.json").cases;
const sleep = fx["sleep_slope"]!;
const uncor = readJsonFixture<{ cases: Record<string, Case & { train: { subset: number[] } }> }>(
  "predict/predict.json",
).cases["sleep_uncor_ml"]!;

const dir = mkdtempSync(join(tmpdir(), "bayes-lmm-predict-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const newCsv = join(dir, "new.csv");
writeFileSync(newCsv, `Days,Subject\n${sleep.newdata.map((r) => `${r.Days},${r.Subject}`).join("\n")}\n`);
const base = ["predict", "--data", dataPath("sleepstudy"), "--formula", sleep.formula];

function close(actual: number[], expected: number[], tol = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++)
    expect(Math.abs(actual[i]! - expected[i]!) / 300, `row ${i + 1}`).toBeLessThan(tol);
}

describe("bayes-lmm predict", () => {
  it("--json on the training rows: CLI.md's keys, lme4's predictions (re all, none)", async () => {
    const r = await cli(...base, "--json");
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
    expect(doc.method).toBe("reml");
    expect(doc.re).toBe("all");
    expect(doc.new_levels).toBe("error");
    expect(doc.level).toBe(0.95);
    expect(doc.predictions[0]).toEqual({ row: 1, fit: doc.predictions[0]!.fit, lower: null, upper: null });
    close(
      doc.predictions.map((p) => p.fit),
      sleep.train.all,
    );
    const none = JSON.parse((await cli(...base, "--re", "none", "--json", "--method", "reml")).stdout) as Doc;
    close(
      none.predictions.map((p) => p.fit),
      sleep.train.none,
    );
  });

  it("--newdata with --new-levels population and --interval prediction --level", async () => {
    const r = await cli(
      ...base,
      "--newdata",
      newCsv,
      "--new-levels",
      "population",
      "--interval",
      "prediction",
      "--level",
      "0.9",
      "--json",
      "--quiet",
    );
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.interval).toBe("prediction");
    expect(doc.level).toBe(0.9);
    expect(doc.predictions.map((p) => p.row)).toEqual([1, 2, 3, 4, 5]);
    close(
      doc.predictions.map((p) => p.fit),
      sleep.new.all,
    );
    const z = 1.6448536269514722;
    close(
      doc.predictions.map((p) => (p.upper! - p.lower!) / (2 * z)),
      sleep.new.se_all.prediction,
      1e-3,
    );
  });

  it("--ml and --re with a term's label (lme4's re.form = ~(1 | Subject))", async () => {
    const r = await cli(
      "predict",
      "--data",
      dataPath("sleepstudy"),
      "--formula",
      uncor.formula,
      "--ml",
      "--re",
      "Subject",
      "--json",
    );
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(doc.re).toEqual(["Subject"]);
    close(
      doc.predictions.map((p) => p.fit),
      uncor.train.subset,
    );
  });

  it("--out writes CSV with a header; without --out or --json the CSV goes to stdout", async () => {
    const out = join(dir, "p.csv");
    const r = await cli(
      ...base,
      "--newdata",
      newCsv,
      "--re",
      "none",
      "--interval",
      "confidence",
      "--out",
      out,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines[0]).toBe("row,fit,lower,upper");
    expect(lines.length).toBe(6);
    const first = lines[1]!.split(",").map(Number);
    expect(first[0]).toBe(1);
    expect(Math.abs(first[1]! - sleep.new.none[0]!)).toBeLessThan(0.03);
    expect(first[2]!).toBeLessThan(first[1]!);
    const text = await cli(...base, "--newdata", newCsv, "--re", "none");
    expect(text.stdout.split("\n")[0]).toBe("row,fit,lower,upper");
    expect(text.stdout.split("\n")[1]).toMatch(/^1,[0-9.]+,NA,NA$/);
  });

  it.each([
    [["--method", "bayes"], /--method.*must be `reml` or `posterior`/],
    [["--iter", "100"], /--iter.*only with --method posterior/],
    [["--interval", "wide"], /--interval/],
    [["--level", "95"], /--level/],
    [["--new-levels", "sample"], /--new-levels/],
    [["--re", "Days"], /re/],
    [["--re", "Subject,"], /--re/],
    [["--newdata", newCsv], /`999`.*population/],
    [["--out", dir], /folder/],
  ])("bad input %j: exit 2, one line", async (extra, message) => {
    const r = await cli(...base, ...(extra as string[]));
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n").length).toBe(1);
    expect(r.stderr).toMatch(message as RegExp);
  });

  it("--help has an example", async () => {
    const r = await cli("predict", "--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Example:");
    expect(r.stdout).toContain("--new-levels");
  });
});
