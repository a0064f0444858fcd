import { describe, expect, it } from "vitest";
import { makeUnique } from "../../src/data/unique";
import { modelFrame } from "../../src/design/frame";
import { groupingFactor } from "../../src/design/grouping";
import { lme4Order, randomDesign } from "../../src/design/random";
import type { FormulaSpec } from "../../src/formula/types";

describe("lme4Order (mkReTrms: rev(order(nl)) when some count increases)", () => {
  it.each([
    [[18], [0]],
    [
      [18, 18],
      [0, 1],
    ],
    [
      [30, 10],
      [0, 1],
    ],
    [
      [10, 30],
      [1, 0],
    ],
    // R 4.2.2 + lme4 1.1-31: (1|a) + (1|g) + (x|a) + (1|h), 5/20/5/5 levels → g, h, (x|a), (1|a)
    [
      [5, 20, 5, 5],
      [1, 3, 2, 0],
    ],
  ])("%j → %j", (nl, order) => {
    expect(lme4Order(nl)).toEqual(order);
  });
});

describe("makeUnique (R's make.unique)", () => {
  it.each([
    [
      ["a", "a", "b", "a"],
      ["a", "a.1", "b", "a.2"],
    ],
    [
      ["a", "a", "a.1"],
      ["a", "a.2", "a.1"],
    ],
    [
      ["Subject", "Subject"],
      ["Subject", "Subject.1"],
    ],
  ])("%j → %j", (names, unique) => {
    expect(makeUnique(names)).toEqual(unique);
  });
});

describe("grouping factors", () => {
  const data = {
    y: [1, 2, 3, 4, 5, 6, 7],
    c: ["b", "a", "b", "a", "b", "a", "b"],
    n: [10, 9, 10, 9, 10, 9, 100],
    l: [true, false, true, true, false, false, true],
  };
  const frame = modelFrame({ variables: ["y", "c", "n", "l"] }, data);

  it("a numeric variable becomes a factor with levels sorted numerically, labelled as R writes them", () => {
    const f = groupingFactor(["n"], frame);
    expect(f.levels).toEqual(["9", "10", "100"]);
    expect(Array.from(f.codes)).toEqual([1, 0, 1, 0, 1, 0, 2]);
  });

  it("an interaction keeps observed combinations only, the first variable varying slowest", () => {
    const f = groupingFactor(["n", "c", "l"], frame);
    expect(f.name).toBe("n:c:l");
    // rows: 10:b:TRUE, 9:a:FALSE, 10:b:TRUE, 9:a:TRUE, 10:b:FALSE, 9:a:FALSE, 100:b:TRUE
    expect(f.levels).toEqual(["9:a:FALSE", "9:a:TRUE", "10:b:FALSE", "10:b:TRUE", "100:b:TRUE"]);
    expect(Array.from(f.codes)).toEqual([3, 0, 3, 1, 2, 0, 4]);
  });

  it("a logical grouping variable keeps only the levels that occur", () => {
    const frame2 = modelFrame({ variables: ["l"] }, { l: [true, true] });
    expect(groupingFactor(["l"], frame2).levels).toEqual(["TRUE"]);
  });
});

describe("randomDesign: storage", () => {
  it("(x | g): refs per row, values n × q row-major, lme4's names", () => {
    const spec: Pick<FormulaSpec, "random"> = {
      random: [{ intercept: true, terms: [{ variables: ["x"] }], group: ["g"], pos: 7 }],
    };
    const frame = modelFrame({ variables: ["x", "g"] }, { x: [0.5, 1, 2], g: ["b", "a", "b"] });
    const { terms } = randomDesign(spec.random, frame);
    expect(terms).toHaveLength(1);
    const t = terms[0]!;
    expect([t.group, t.label, t.names, t.levels, t.q, t.m]).toEqual([
      "g",
      "g",
      ["(Intercept)", "x"],
      ["a", "b"],
      2,
      2,
    ]);
    expect(Array.from(t.refs)).toEqual([1, 0, 1]);
    expect(Array.from(t.values)).toEqual([1, 0.5, 1, 1, 1, 2]);
  });
});
