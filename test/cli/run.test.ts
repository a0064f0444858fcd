import { describe, expect, it } from "vitest";
import pkg from "../../package.json" with { type: "json" };
import { cli } from "../helpers/cli";
import { dataPath } from "../helpers/fixtures";

describe("bayes-lmm (top level)", () => {
  it("prints its version", async () => {
    const r = await cli("--version");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it("prints help listing the commands, exit 0", async () => {
    const r = await cli("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: bayes-lmm <command>/m);
    expect(r.stdout).toContain("Exit status");
  });

  it("without a command prints help and exits 2", async () => {
    const r = await cli();
    expect(r.status).toBe(2);
    expect(r.stdout).toContain("Usage");
  });

  it("an unknown command is bad input: exit 2, one line naming it", async () => {
    const r = await cli("frobnicate");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("`frobnicate` is not a command");
  });
});

describe("flag values that start with '-'", () => {
  it("a negative number after a flag is its value: --seed -3 samples, --iter -5 is named as out of range", async () => {
    const data = dataPath("sleepstudy");
    const formula = "Reaction ~ Days + (1 | Subject)";
    const ok = await cli(
      "sample",
      "--data",
      data,
      "--formula",
      formula,
      "--iter",
      "50",
      "--seed",
      "-3",
      "--json",
    );
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).seed).toBe(-3);
    const bad = await cli("sample", "--data", data, "--formula", formula, "--iter", "-5");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("`--iter` must be an integer from 1");
    expect(bad.stderr).toContain(`Value: \`"-5"\``);
  });
});
