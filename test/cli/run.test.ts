import { describe, expect, it } from "vitest";
import pkg from "../../package.json" with { type: "json" };
import { cli } from "../helpers/cli";

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
    expect(r.stderr).toContain('"frobnicate"');
  });
});
