/**
 * bayes-lmm/examples: its data are the examples/*.csv files byte for byte (the module is generated
 * by scripts/examples-module.ts), and each data set fits its own formula.
 */

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { currentTexts, examplesModule } from "../scripts/examples-module";
import { EXAMPLES } from "../src/examples/index";
import { lmm, parseCsv } from "../src/index";

describe("bayes-lmm/examples", () => {
  it("src/examples/data.ts is scripts/examples-module.ts's output for examples/*.csv", () => {
    expect(readFileSync("src/examples/data.ts", "utf8")).toBe(examplesModule(currentTexts()));
  });

  it("each data set makes the model of its formula", () => {
    const sizes = EXAMPLES.map((e) => {
      const model = lmm(e.formula, parseCsv(e.csv));
      return [e.name, model.n, model.terms.map((t) => `${t.group}:${t.levels.length}`).join(" ")];
    });
    expect(sizes).toEqual([
      ["sleepstudy", 180, "Subject:18"],
      ["Penicillin", 144, "plate:24 sample:6"],
    ]);
  });
});
