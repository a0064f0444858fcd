import { describe, expect, it } from "vitest";
import { stringComparator } from "../../src/data/collate";

const words = ["b", "A", "a", "B", "_x", "-1", "10", "9", "Z", "z", "\u00e9", "e", "f", "a b", "ab", "a-b"];

describe("string level order", () => {
  it("locale: the order R 4.2.2 (ICU collation, C.UTF-8 and en_US) gives levels(factor(x))", () => {
    expect(words.slice().sort(stringComparator("locale"))).toEqual([
      "_x",
      "-1",
      "10",
      "9",
      "a",
      "A",
      "a b",
      "a-b",
      "ab",
      "b",
      "B",
      "e",
      "\u00e9",
      "f",
      "z",
      "Z",
    ]);
  });

  it("codepoint: R's order in the C locale", () => {
    expect(["b", "A", "a", "B"].sort(stringComparator("codepoint"))).toEqual(["A", "B", "a", "b"]);
  });

  it("is a total order: strings ICU ranks equal are ordered by code point", () => {
    // U+00E9 and e + U+0301 are canonically equivalent: ICU compares them equal.
    const composed = "\u00e9";
    const decomposed = "e\u0301";
    const compare = stringComparator("locale");
    expect(compare(composed, decomposed)).not.toBe(0);
    expect(Math.sign(compare(composed, decomposed))).toBe(-Math.sign(compare(decomposed, composed)));
  });
});
