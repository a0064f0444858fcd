/**
 * Arrow: apache-arrow tables (the duck-typed path of `toDataTable`), and Arrow IPC bytes written by
 * apache-arrow (file and stream formats) read by `readArrowIpc` (flechette), give the CSV path's
 * tables for every fixture; dates, nulls, dictionaries, 64-bit integers; ZSTD buffers; errors.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as arrow from "apache-arrow";
import { describe, expect, it } from "vitest";
import { readArrowIpc } from "../../src/data/arrow";
import type { DataTable } from "../../src/data/table";
import { toDataTable } from "../../src/data/table";
import { lmm } from "../../src/model/lmm";
import { readArrowFile } from "../../src/node/arrow-file";
import { csvTable, DATA_SETS, expectSameTable, SOURCES } from "./helpers";

/** An apache-arrow table of a DataTable: numbers as Float64 (Int32 when whole), strings as dictionaries, booleans as Bool, with nulls. */
function arrowTable(table: DataTable): arrow.Table {
  const vectors: Record<string, arrow.Vector> = {};
  for (const name of table.names) {
    const c = table.column(name)!;
    if (c.type === "numeric") {
      const values = Array.from(c.values, (v, i) => (c.missing?.[i] === 1 ? null : v));
      const whole = values.every((v) => v === null || (Number.isInteger(v) && Math.abs(v) < 2 ** 31));
      vectors[name] = arrow.vectorFromArray(values, whole ? new arrow.Int32() : new arrow.Float64());
    } else if (c.type === "string")
      vectors[name] = arrow.vectorFromArray(
        c.values,
        new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
      );
    else if (c.type === "logical") vectors[name] = arrow.vectorFromArray(c.values, new arrow.Bool());
  }
  return new arrow.Table(vectors);
}

describe("Arrow JS tables (apache-arrow, duck-typed)", () => {
  it.each(DATA_SETS)("%s: an apache-arrow table gives the CSV path's table", (name) => {
    expectSameTable(toDataTable(arrowTable(csvTable(name))), csvTable(name));
  });

  it("64-bit integers, plain UTF-8 strings, dates and timestamps", () => {
    const t = toDataTable(
      new arrow.Table({
        big: arrow.vectorFromArray([1n, null, 2n ** 40n], new arrow.Int64()),
        s: arrow.vectorFromArray(["a", null, "é"], new arrow.Utf8()),
        day: arrow.vectorFromArray(
          [new Date("2024-01-30"), null, new Date("2024-02-29")],
          new arrow.DateDay(),
        ),
        ts: arrow.vectorFromArray([new Date("2024-01-30"), null, null], new arrow.TimestampMillisecond()),
      }),
    );
    expect(t.column("big")).toEqual({
      type: "numeric",
      values: Float64Array.from([1, 0, 2 ** 40]),
      missing: Uint8Array.from([0, 1, 0]),
    });
    expect(t.column("s")).toEqual({ type: "string", values: ["a", null, "é"] });
    expect(t.column("day")).toEqual({ type: "string", values: ["2024-01-30", null, "2024-02-29"] });
    expect(t.column("ts")).toMatchObject({ type: "invalid", reason: expect.stringContaining("timestamp") });
  });
});

describe("readArrowIpc (flechette)", () => {
  it.each(DATA_SETS.flatMap((name) => [[name, "file"] as const, [name, "stream"] as const]))(
    "%s, IPC %s format written by apache-arrow, gives the CSV path's table",
    (name, format) => {
      expectSameTable(readArrowIpc(arrow.tableToIPC(arrowTable(csvTable(name)), format)), csvTable(name));
    },
  );

  it("reads several record batches in order", () => {
    const table = csvTable("InstEval");
    const whole = arrowTable(table);
    const batches = [0, 20_000, 40_000, 60_000].map((start) => whole.slice(start, start + 20_000));
    const parts = new arrow.Table(batches.flatMap((b) => b.batches));
    expect(parts.batches.length).toBeGreaterThan(3);
    expectSameTable(readArrowIpc(arrow.tableToIPC(parts, "file")), table);
  });

  it("decompresses ZSTD buffers (a file whose buffers the zstd tool compressed)", () => {
    const t = readArrowIpc(readFileSync(join(SOURCES, "sleepstudy-zstd.arrow")));
    expectSameTable(t, csvTable("sleepstudy"));
  });

  it("refuses LZ4 buffers with a message saying how to write the file", () => {
    expect(() => readArrowIpc(readFileSync(join(SOURCES, "sleepstudy-lz4.arrow")))).toThrow(
      expect.objectContaining({
        code: "FILE",
        message: expect.stringMatching(/LZ4-compressed.*compression = "zstd"/),
      }),
    );
  });

  it("keeps only the columns asked for; an unknown one is UNKNOWN_COLUMN", () => {
    const bytes = arrow.tableToIPC(arrowTable(csvTable("sleepstudy")), "file");
    expect(readArrowIpc(bytes, { columns: ["Subject", "Days"] }).names).toEqual(["Days", "Subject"]);
    expect(() => readArrowIpc(bytes, { columns: ["day"] })).toThrow(
      expect.objectContaining({
        code: "UNKNOWN_COLUMN",
        message: expect.stringContaining("Did you mean `Days`?"),
      }),
    );
  });

  it("bytes that are not Arrow IPC are a DataError (FILE)", () => {
    expect(() => readArrowIpc(new TextEncoder().encode("y,x\n1,2\n"))).toThrow(
      expect.objectContaining({ code: "FILE", message: expect.stringMatching(/^not Arrow IPC: /) }),
    );
  });

  it("readArrowFile: a model from an .arrow file fits as from the CSV", async () => {
    const t = await readArrowFile(join(SOURCES, "sleepstudy-zstd.arrow"));
    expect(lmm("Reaction ~ Days + (Days | Subject)", t).n).toBe(180);
    await expect(readArrowFile(join(SOURCES, "none.arrow"))).rejects.toMatchObject({ code: "FILE" });
  });
});
