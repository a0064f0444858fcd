/**
 * The rows a prediction is made for (src/predict/newdata.ts): which terms `re` selects, new levels
 * under each rule, and what new data must hold.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv";
import { ArgumentError, DataError } from "../../src/errors";
import { lmm } from "../../src/model/lmm";
import { predictionRows, selectTerms } from "../../src/predict/newdata";
import { dataPath } from "../helpers/fixtures";

const sleep = parseCsv(readFileSync(dataPath("sleepstudy"), "utf8"));
const uncor = lmm("Reaction ~ Days + (1 | Subject) + (0 + Days | Subject)", sleep);
const pastes = lmm("strength ~ 1 + (1 | batch/cask)", parseCsv(readFileSync(dataPath("Pastes"), "utf8")));

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("did not throw");
}

describe("selectTerms", () => {
  it("all, none, labels and grouping factors", () => {
    expect(selectTerms(uncor.terms, "all")).toEqual([true, true]);
    expect(selectTerms(uncor.terms, undefined)).toEqual([true, true]);
    expect(selectTerms(uncor.terms, "none")).toEqual([false, false]);
    // a label names its term alone
    expect(selectTerms(uncor.terms, ["Subject"])).toEqual([true, false]);
    expect(selectTerms(uncor.terms, ["Subject.1"])).toEqual([false, true]);
    expect(pastes.terms.map((t) => t.label)).toEqual(["cask:batch", "batch"]);
    expect(selectTerms(pastes.terms, ["batch"])).toEqual([false, true]);
    expect(selectTerms(pastes.terms, [])).toEqual([false, false]);
  });
  it("refuses unknown names and other values, naming the terms there are", () => {
    const e = thrown(() => selectTerms(pastes.terms, ["cask"])) as ArgumentError;
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toContain("`cask:batch`, `batch`");
    expect(e.argument).toBe("options.re");
    expect(thrown(() => selectTerms(pastes.terms, "some" as never))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => selectTerms(pastes.terms, [1] as never))).toBeInstanceOf(ArgumentError);
  });
});

describe("predictionRows", () => {
  const newdata = [
    { Days: 1, Subject: "308" },
    { Days: 2, Subject: "999" },
    { Days: 3, Subject: "999" },
  ];
  it("the model's own rows without newdata", () => {
    const rows = predictionRows(uncor, undefined);
    expect(rows.training).toBe(true);
    expect(rows.n).toBe(180);
    expect(rows.terms.map((t) => t.included)).toEqual([true, true]);
  });
  it('marks new levels -1 under "population" and "sample"', () => {
    for (const rule of ["population", "sample"] as const) {
      const rows = predictionRows(uncor, newdata, { newLevels: rule });
      expect(Array.from(rows.terms[0]!.refs)).toEqual([0, -1, -1]);
      expect(rows.terms[0]!.newLevels).toEqual(["999"]);
    }
  });
  it('a new level under "error" names the term, the level and its row', () => {
    const e = thrown(() => predictionRows(uncor, newdata)) as DataError;
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toContain("`999` in row 2");
    expect(e.message).toContain("`Subject`");
    expect(e.row).toBe(2);
  });
  it("ignores the levels of terms left out, whose columns need not be present", () => {
    const rows = predictionRows(uncor, [{ Days: 4 }], { re: "none" });
    expect(rows.terms).toEqual([]);
    expect(Array.from(rows.X)).toEqual([1, 4]);
    // a new level of the term left out is no error
    expect(predictionRows(uncor, newdata, { re: ["Subject.1"], newLevels: "population" }).terms.length).toBe(
      1,
    );
  });
  it("keeps the excluded terms when asked (their columns must then be there)", () => {
    const rows = predictionRows(uncor, newdata, { re: "none", keepExcluded: true });
    expect(rows.terms.map((t) => t.included)).toEqual([false, false]);
    expect(
      thrown(() => predictionRows(uncor, [{ Days: 4 }], { re: "none", keepExcluded: true })),
    ).toBeInstanceOf(DataError);
  });
  it("refuses a rule the caller does not allow, and a model without a recipe", () => {
    const e = thrown(() =>
      predictionRows(uncor, newdata, { newLevels: "sample", allowedNewLevels: ["error", "population"] }),
    ) as ArgumentError;
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.argument).toBe("options.newLevels");
    const { recipe: _, ...bare } = uncor;
    expect(thrown(() => predictionRows(bare, newdata))).toBeInstanceOf(ArgumentError);
  });
  it("drops rows missing a predictor and says which rows were used", () => {
    const rows = predictionRows(uncor, [
      { Days: null, Subject: "308" },
      { Days: 2, Subject: "309" },
    ]);
    expect(rows.n).toBe(1);
    expect(rows.dropped).toBe(1);
    expect(Array.from(rows.rows)).toEqual([1]);
  });
});
