import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli";
import { dataPath } from "../helpers/fixtures";
import { parseSvg } from "../plots/helpers";

const dir = mkdtempSync(join(tmpdir(), "bayes-lmm-report-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const quick = ["--iter", "300", "--warmup", "100", "--chains", "2", "--seed", "5"];

describe("bayes-lmm report", () => {
  it("writes the HTML report and every picture, prints the comparison", async () => {
    const out = join(dir, "sleep.html");
    const plots = join(dir, "sleep-plots");
    const r = await cli(
      "report",
      "--data",
      dataPath("sleepstudy"),
      "--formula",
      "Reaction ~ Days + (Days | Subject)",
      ...quick,
      "--out",
      out,
      "--plots",
      plots,
    );
    expect(r.stderr.split("\n").filter((l) => l && !l.includes("warning:"))).toEqual([]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Posterior (mean, sd, 95% interval) beside REML (estimate, se)");
    expect(r.stdout).toContain(`wrote ${out}`);
    const html = readFileSync(out, "utf8");
    expect(html).toContain("<!DOCTYPE html>");
    const files = readdirSync(plots).sort();
    expect(files).toEqual([
      "autocorrelation.svg",
      "caterpillar.svg",
      "density.svg",
      "intervals.svg",
      "ppc-density.svg",
      "ppc-intervals.svg",
      "ppc-residuals.svg",
      "ppc-stat-grouped.svg",
      "ppc-stat.svg",
      "rank.svg",
      "shrinkage.svg",
      "trace-random-effects.svg",
      "trace.svg",
    ]);
    for (const f of files) parseSvg(readFileSync(join(plots, f), "utf8"));
  });

  it("compares with ML on request (Penicillin, crossed)", async () => {
    const out = join(dir, "pen.html");
    const r = await cli(
      "report",
      "--data",
      dataPath("Penicillin"),
      "--formula",
      "diameter ~ 1 + (1 | plate) + (1 | sample)",
      ...quick,
      "--ml",
      "--out",
      out,
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("beside ML (estimate, se)");
    expect(readFileSync(out, "utf8")).toContain("ML estimate");
  });

  it("bad input is exit 2 with one line: missing --out, a folder that does not exist, an unknown column", async () => {
    const base = [
      "report",
      "--data",
      dataPath("sleepstudy"),
      "--formula",
      "Reaction ~ Days + (1 | Subject)",
      ...quick,
    ];
    const noOut = await cli(...base);
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toContain("--out");
    const badDir = await cli(...base, "--out", join(dir, "missing", "r.html"));
    expect(badDir.status).toBe(2);
    expect(badDir.stderr).toContain("does not exist");
    const badColumn = await cli(
      "report",
      "--data",
      dataPath("sleepstudy"),
      "--formula",
      "Reaction ~ Nope + (1 | Subject)",
      "--out",
      join(dir, "x.html"),
    );
    expect(badColumn.status).toBe(2);
    expect(badColumn.stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(join(dir, "x.html"))).toBe(false);
  });
});
