/**
 * Large fixed-effect designs: the rank check runs on the distinct rows of X (exactly the same R factor)
 * or, past a size, on X'X formed from each row's non-zeros; a design past MAX_FIXED_COLUMNS or
 * MAX_FIXED_ENTRIES is refused before anything is built, with the size and the factor to blame.
 * (Times: `npm run bench -- design`.)
 */
import { describe, expect, it } from "vitest";
import { fixedDesign, MAX_FIXED_COLUMNS, QR_BUDGET } from "../../src/design/fixed";
import { modelFrame } from "../../src/design/frame";
import { DataError } from "../../src/errors";
import { formulaSpec } from "../../src/formula";
import { lmm } from "../../src/model/lmm";
import { Random } from "../../src/random/generator";

function data(n: number, levels: number, seed: number) {
  const rng = Random.fromSeed(seed);
  const f: string[] = [];
  const g: string[] = [];
  const h: string[] = [];
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    f.push(`L${i % levels}`);
    g.push(`G${Math.floor(rng.uniform() * 3)}`);
    h.push(`h${i % 17}`);
    x.push(rng.uniform());
    y.push(rng.uniform());
  }
  return { y, f, g, h, x, w: x.map((v, i) => v + (g[i] === "G1" ? 1 : 0)) };
}

describe("the rank check of large designs", () => {
  it("refuses a fixed factor of 10,000 levels up front, naming it and its size", () => {
    let error: unknown;
    try {
      lmm("y ~ f + (1 | h)", data(30_000, 10_000, 1));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toContain("10,000 columns");
    expect((error as DataError).message).toContain("`f` has 10,000 levels");
    expect((error as DataError).message).toContain(`at most ${MAX_FIXED_COLUMNS.toLocaleString("en-US")}`);
    expect((error as DataError).message).toContain("(1 | f)");
    expect((error as DataError).column).toBe("f");
  });

  it("the X'X path drops the same columns as the QR", () => {
    // 600 levels + x + g + w (w = x + [g = G1], aliased): rows × columns² is past the QR budget.
    const d = data(3000, 600, 2);
    const spec = formulaSpec("y ~ f + x + g + w + (1 | h)");
    const frame = modelFrame(spec, d);
    const large = fixedDesign(spec, frame);
    expect(3000 * large.names.length ** 2).toBeGreaterThan(QR_BUDGET);
    expect(large.aliased).toEqual(["w"]);
    expect(large.p).toBe(1 + 599 + 1 + 2);
    // The same design on fewer levels (QR path) drops the same kind of column.
    const small = fixedDesign(formulaSpec("y ~ f + x + g + w + (1 | h)"), modelFrame(spec, data(300, 20, 2)));
    expect(small.aliased).toEqual(["w"]);
  });

  it("distinct rows: a design of factors on many rows is checked on its few distinct rows", () => {
    const d = data(20_000, 5, 3);
    const model = lmm("y ~ f * g + (1 | h)", d);
    expect(model.p).toBe(15);
    expect(model.aliased).toEqual([]);
  });
});
