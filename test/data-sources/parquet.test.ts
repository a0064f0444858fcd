/**
 * Parquet (hyparquet): every fixture's Parquet copy, written by DuckDB from the CSV (see
 * test/fixtures/data-sources/make.ts), reads as the CSV path's table — names, values, types,
 * factor levels, missing values — whatever the codec; the type mapping; the errors.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readParquet } from "../../src/data/parquet";
import { modelFrame } from "../../src/design/frame";
import { lmm } from "../../src/model/lmm";
import { readParquetFile } from "../../src/node/parquet-file";
import { reml } from "../../src/reml/fit";
import { csvTable, DATA_SETS, expectSameTable, SOURCES } from "./helpers";

const bytes = (file: string): Uint8Array => readFileSync(join(SOURCES, file));

describe("readParquet", () => {
  it.each(DATA_SETS)("%s.parquet gives the CSV path's table", async (name) => {
    expectSameTable(await readParquet(bytes(`${name}.parquet`)), csvTable(name));
  });

  it.each(["uncompressed", "gzip", "zstd", "brotli", "lz4_raw"])("reads %s pages", async (codec) => {
    expectSameTable(await readParquet(bytes(`sleepstudy-${codec}.parquet`)), csvTable("sleepstudy"));
  });

  it("InstEval's ten row groups land at their rows; its BIGINT column is numeric", async () => {
    const t = await readParquet(bytes("InstEval.parquet"));
    expect(t.column("d")).toEqual(csvTable("InstEval").column("d"));
  });

  it("gives the factor levels and dropped rows of the CSV path (design_cases: NA in a number, a factor, a logical)", async () => {
    const spec = { variables: ["y", "x", "a", "l", "s"] };
    const fromParquet = modelFrame(spec, await readParquet(bytes("design_cases.parquet")));
    const fromCsv = modelFrame(spec, csvTable("design_cases"));
    expect(fromParquet).toEqual(fromCsv);
    expect(fromCsv.dropped).toBeGreaterThan(0);
  });

  it("maps Parquet types: decimals to their nearest double, dates to ISO text, enums to text", async () => {
    const t = await readParquet(bytes("types.parquet"));
    const i = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(t.column("dec")).toEqual({
      type: "numeric",
      values: Float64Array.from(i.map((k) => Number((k * 1.15).toFixed(2)))),
      missing: null,
    });
    expect(t.column("wide")).toEqual({
      type: "numeric",
      values: Float64Array.from(i.map((k) => Number((k * 1.001 - 3).toFixed(3)))),
      missing: null,
    });
    expect(t.column("big")).toEqual({
      type: "numeric",
      values: Float64Array.from(i.map((k) => k * 12345678901)),
      missing: null,
    });
    expect(t.column("tiny")).toEqual({ type: "numeric", values: Float64Array.from(i), missing: null });
    expect(t.column("float")).toEqual({
      type: "numeric",
      values: Float64Array.from(i.map((k) => k * 1.25)),
      missing: null,
    });
    expect(t.column("day")).toEqual({
      type: "string",
      values: [
        "2024-01-30",
        "2024-01-31",
        "2024-02-01",
        "2024-02-02",
        "2024-02-03",
        "2024-02-04",
        "2024-02-05",
        "2024-02-06",
        "2024-02-07",
        "2024-02-08",
      ],
    });
    expect(t.column("mood")).toEqual({ type: "string", values: i.map((k) => ["sad", "ok", "happy"][k % 3]) });
    expect(t.column("text")).toEqual({
      type: "string",
      values: i.map((k) => (k % 4 === 0 ? null : `v${k}`)),
    });
    expect(t.column("flag")).toEqual({
      type: "logical",
      values: i.map((k) => (k % 3 === 0 ? null : k % 2 === 0)),
    });
  });

  it("timestamps and nested columns are not read, and fail only when a model uses them", async () => {
    const t = await readParquet(bytes("types.parquet"));
    for (const name of ["ts", "list", "struct"])
      expect(t.column(name)).toMatchObject({ type: "invalid", row: 1 });
    expect(lmm("float ~ tiny + (1 | mood)", t).n).toBe(10);
    expect(() => lmm("float ~ ts + (1 | mood)", t)).toThrow(/column `ts` holds Parquet times or timestamps/);
    expect(() => lmm("float ~ list + (1 | mood)", t)).toThrow(/column `list` is a nested Parquet column/);
  });

  it("reads only the columns asked for, and names an unknown one with close names", async () => {
    const t = await readParquet(bytes("sleepstudy.parquet"), { columns: ["Subject", "Reaction"] });
    expect(t.names).toEqual(["Reaction", "Subject"]);
    await expect(readParquet(bytes("sleepstudy.parquet"), { columns: ["Reacton"] })).rejects.toMatchObject({
      code: "UNKNOWN_COLUMN",
      message: expect.stringContaining("Did you mean `Reaction`?"),
    });
  });

  it("reads from an AsyncBuffer (byte ranges on demand), as in a browser over HTTP", async () => {
    const b = bytes("InstEval.parquet");
    const ranges: number[] = [];
    const file = {
      byteLength: b.byteLength,
      slice: async (start: number, end?: number) => {
        ranges.push((end ?? b.byteLength) - start);
        return new Uint8Array(b.subarray(start, end)).buffer;
      },
    };
    const t = await readParquet(file, { columns: ["y"] });
    expect(t.column("y")).toEqual(csvTable("InstEval").column("y"));
    expect(ranges.length).toBeGreaterThan(0); // (hyparquet fetches the last 512 KiB first: all of this small file)
  });

  it("bytes that are not Parquet are a DataError (FILE)", async () => {
    await expect(readParquet(new TextEncoder().encode("y,x\n1,2\n"))).rejects.toMatchObject({
      code: "FILE",
      message: expect.stringMatching(/^not Parquet: /),
    });
    const truncated = bytes("sleepstudy.parquet").slice(0, 1500);
    await expect(readParquet(truncated)).rejects.toMatchObject({ code: "FILE" });
    await expect(readParquet(42 as unknown as Uint8Array)).rejects.toMatchObject({ code: "INVALID_DATA" });
  });

  it("readParquetFile: the same table from a file, and REML gives the fit the CSV gives", async () => {
    const t = await readParquetFile(join(SOURCES, "sleepstudy.parquet"));
    const formula = "Reaction ~ Days + (Days | Subject)";
    expect(reml(lmm(formula, t)).theta).toEqual(reml(lmm(formula, csvTable("sleepstudy"))).theta);
    await expect(readParquetFile(join(SOURCES, "missing.parquet"))).rejects.toMatchObject({
      code: "FILE",
      message: expect.stringMatching(/^cannot read data file `.*missing\.parquet`: no such file\.$/),
    });
  });
});
