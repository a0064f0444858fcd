/**
 * Parameter names (src/draws/names.ts): every structured name formats to CLI.md's text and parses
 * back to itself; text of no known form stays text.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  formatParameterName,
  isPopulationParameter,
  isVariance,
  type ParameterName,
  parseParameterName,
} from "../../src/draws/names";

describe("parameter names", () => {
  it("writes CLI.md's names", () => {
    expect(formatParameterName({ kind: "beta", coefficient: "(Intercept)" })).toBe("beta[(Intercept)]");
    expect(formatParameterName({ kind: "sigma2" })).toBe("sigma2");
    expect(formatParameterName({ kind: "Psi", group: "Subject", row: "(Intercept)", column: "Days" })).toBe(
      "Psi[Subject][(Intercept),Days]",
    );
    expect(
      formatParameterName({ kind: "b", group: "cask:batch", level: "a:1", coefficient: "(Intercept)" }),
    ).toBe("b[cask:batch][a:1,(Intercept)]");
    expect(formatParameterName({ kind: "sd", group: "g", coefficient: "x" })).toBe("sd[g][x]");
    expect(formatParameterName({ kind: "cor", group: "g", row: "a", column: "b" })).toBe("cor[g][a,b]");
    expect(formatParameterName({ kind: "sigma" })).toBe("sigma");
  });

  it("reads them back into parts", () => {
    expect(parseParameterName("beta[(Intercept)]")).toEqual({ kind: "beta", coefficient: "(Intercept)" });
    expect(parseParameterName("Psi[Subject][(Intercept),Days]")).toEqual({
      kind: "Psi",
      group: "Subject",
      row: "(Intercept)",
      column: "Days",
    });
    // A level with a comma: split at the last comma, or at a known column name.
    expect(parseParameterName("b[g][x,y,Days]")).toMatchObject({ level: "x,y", coefficient: "Days" });
    expect(parseParameterName("b[g][lvl,a,b]", ["a,b"])).toMatchObject({ level: "lvl", coefficient: "a,b" });
    expect(parseParameterName("lp__")).toEqual({ kind: "other", text: "lp__" });
    expect(parseParameterName("theta[1]")).toEqual({ kind: "other", text: "theta[1]" });
    expect(parseParameterName("b[g]")).toEqual({ kind: "other", text: "b[g]" });
  });

  it("classifies variances and population parameters", () => {
    expect(isVariance("Psi[g][a,a]")).toBe(true);
    expect(isVariance("Psi[g][a,b]")).toBe(false);
    expect(isVariance("sigma2")).toBe(true);
    expect(isPopulationParameter("b[g][1,a]")).toBe(false);
    expect(isPopulationParameter("beta[a]")).toBe(true);
  });

  const part = fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !/[[\],]/.test(s));
  const level = fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !/[[\]]/.test(s));
  const name: fc.Arbitrary<ParameterName> = fc.oneof(
    part.map((coefficient) => ({ kind: "beta", coefficient }) as const),
    fc.constant({ kind: "sigma2" } as const),
    fc.record({ group: part, row: part, column: part }).map((r) => ({ kind: "Psi", ...r }) as const),
    fc.record({ group: part, row: part, column: part }).map((r) => ({ kind: "cor", ...r }) as const),
    fc.record({ group: part, coefficient: part }).map((r) => ({ kind: "sd", ...r }) as const),
    fc.record({ group: part, level, coefficient: part }).map((r) => ({ kind: "b", ...r }) as const),
  );
  test.prop([name])("format then parse is the identity", (p) => {
    expect(parseParameterName(formatParameterName(p))).toEqual(p);
  });
});
