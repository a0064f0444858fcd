import { describe, expect, it } from "vitest";
import { closeNames, editDistance } from "../../src/data/suggest";

describe("editDistance", () => {
  it.each([
    ["", "", 0],
    ["abc", "", 3],
    ["kitten", "sitting", 3],
    ["school", "shcool", 2],
    ["Days", "Days", 0],
  ])("%j → %j is %d", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe("closeNames", () => {
  const names = ["Reaction", "Days", "Subject", "school", "standLRT"];
  it("finds a case-insensitive match first, then near misses", () => {
    expect(closeNames("days", names)).toEqual(["Days"]);
    expect(closeNames("Reacton", names)).toEqual(["Reaction"]);
    expect(closeNames("shcool", names)).toEqual(["school"]);
  });
  it("suggests nothing far away", () => {
    expect(closeNames("zzzzzz", names)).toEqual([]);
  });
});
