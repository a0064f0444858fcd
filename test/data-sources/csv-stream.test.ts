/**
 * The streaming CSV reader gives what `parseCsv` gives the whole text: on every fixture at many
 * chunk sizes, and on generated CSV (quotes, line breaks of three kinds, blank lines, row names,
 * NA, numbers in R's forms, logicals, text, ragged rows, unterminated quotes) cut into random
 * chunks — the same table, or the same error message.
 */
import { createReadStream, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv";
import { CsvStreamReader, readCsvStream } from "../../src/data/csv-stream";
import type { DataTable } from "../../src/data/table";
import { readCsvFileStream } from "../../src/node/csv-stream-file";
import { readCsvFile } from "../../src/node/data-file";
import { dataPath } from "../helpers/fixtures";
import { columnDifference, csvTable, DATA_SETS, expectSameTable } from "./helpers";

function streamed(text: string, cuts: readonly number[], options = {}): DataTable {
  const reader = new CsvStreamReader(options);
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    reader.write(text.slice(from, cut));
    from = cut;
  }
  reader.write(text.slice(from));
  return reader.end();
}

function outcome(read: () => DataTable): { table?: DataTable; error?: string } {
  try {
    return { table: read() };
  } catch (error) {
    return { error: `${(error as { code?: string }).code}: ${(error as Error).message}` };
  }
}

describe("CsvStreamReader equals parseCsv", () => {
  it.each(DATA_SETS)("%s at chunk sizes 1 to 1 MiB", (name) => {
    const text = readFileSync(dataPath(name), "utf8");
    const whole = parseCsv(text);
    for (const size of [1, 2, 3, 7, 64, 4096, 1 << 20]) {
      if (size < 64 && text.length > 200_000) continue;
      const cuts: number[] = [];
      for (let i = size; i < text.length; i += size) cuts.push(i);
      expectSameTable(streamed(text, cuts), whole);
    }
  });

  const field = fc.oneof(
    fc.constantFrom("1", "1.50", "-0", "007", "+3", "1e3", "0x1A", "Inf", "-inf", "NaN", " 4 ", ".5", "2"),
    fc.constantFrom("T", "F", "TRUE", "FALSE", "true"),
    fc.constantFrom("", "NA", '"NA"', '""'),
    fc.constantFrom(
      "a",
      "b",
      "é",
      "a b",
      '"x,y"',
      '"say ""hi"""',
      '"two\nlines"',
      '"cr\r\nlf"',
      '"1"',
      '"q"tail',
    ),
  );
  const eol = fc.constantFrom("\n", "\r\n", "\r");
  const csv = fc
    .record({
      bom: fc.boolean(),
      header: fc.array(fc.constantFrom("y", "x", "", "y", '"g"', "a b"), { minLength: 1, maxLength: 4 }),
      rows: fc.array(fc.array(field, { minLength: 0, maxLength: 5 }), { maxLength: 12 }),
      ends: fc.array(eol, { minLength: 14, maxLength: 14 }),
      blank: fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }),
      rowNames: fc.boolean(),
      lastEol: fc.boolean(),
      broken: fc.constantFrom("none", "none", "none", "quote"),
    })
    .map((r) => {
      const k = r.header.length;
      const lines = [r.header.join(",")];
      r.rows.forEach((row, i) => {
        // Mostly well-formed rows (k fields, or k + 1 with a row name), sometimes ragged.
        const fields: string[] =
          row.length === 0 ? [] : Array.from({ length: k }, (_, j) => row[j % row.length]!);
        if (r.rowNames && fields.length > 0) fields.unshift(`"${i + 1}"`);
        if (row.length === 5) fields.push("extra");
        lines.push(fields.join(","));
        if (r.blank[i]) lines.push("");
      });
      let text = lines
        .map((line, i) => line + (i < lines.length - 1 || r.lastEol ? r.ends[i % 14]! : ""))
        .join("");
      if (r.broken === "quote") text += '"never closed,';
      return (r.bom ? "\uFEFF" : "") + text;
    });

  fcTest.prop([csv, fc.array(fc.nat(), { maxLength: 6 })], { numRuns: 400 })(
    "generated CSV cut anywhere: the same table or the same error",
    (text, positions) => {
      const cuts = positions.map((p) => p % (text.length + 1));
      const whole = outcome(() => parseCsv(text));
      const stream = outcome(() => streamed(text, cuts));
      expect(stream.error).toBe(whole.error);
      if (whole.table !== undefined) {
        const a = stream.table!;
        expect(a.names).toEqual(whole.table.names);
        expect(a.nrows).toBe(whole.table.nrows);
        for (const name of a.names)
          expect(columnDifference(a.column(name), whole.table.column(name)), name).toBeUndefined();
      }
    },
  );

  it("a column that turns to text keeps the exact text of the numbers before it", () => {
    const text = "v\n1.50\n007\n2\n-0\nInf\nNA\nx\n";
    expectSameTable(streamed(text, [3, 9]), parseCsv(text));
    expect(streamed(text, []).column("v")).toEqual({
      type: "string",
      values: ["1.50", "007", "2", "-0", "Inf", null, "x"],
    });
  });

  it("past maxKeptTexts it asks for the column as text, and `text` reads it so", () => {
    const text = "v,w\n1.50,1\n2.50,2\nx,3\n";
    expect(() => streamed(text, [], { maxKeptTexts: 1 })).toThrow(
      expect.objectContaining({ name: "CsvTextColumnError", textColumn: "v", row: 3 }),
    );
    expectSameTable(streamed(text, [], { maxKeptTexts: 1, text: ["v"] }), parseCsv(text));
  });

  it("keeps only the columns asked for", () => {
    const t = streamed("a,b,c\n1,x,T\n2,y,F\n", [5], { columns: ["c", "a"] });
    expect(t.names).toEqual(["a", "c"]);
    expect(t.column("c")).toEqual({ type: "logical", values: [true, false] });
  });

  it("a NUL character is reported on its line, as parseCsv reports it", () => {
    const text = "y,x\n1,2\n3,\u00004\n";
    expect(outcome(() => streamed(text, [6])).error).toBe(outcome(() => parseCsv(text)).error);
    expect(outcome(() => streamed("", [])).error).toBe(outcome(() => parseCsv("")).error);
  });
});

describe("readCsvStream (bytes)", () => {
  it("decodes UTF-8 split inside a character, from a web ReadableStream and from a Node stream", async () => {
    const text = "g,y\né,1\nü,2\n";
    const bytes = new TextEncoder().encode(text);
    const chunks = [bytes.subarray(0, 5), bytes.subarray(5, 10), bytes.subarray(10)];
    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const c of chunks) controller.enqueue(c);
        controller.close();
      },
    });
    expectSameTable(await readCsvStream(web), parseCsv(text));
    const dir = mkdtempSync(join(tmpdir(), "csv-stream-"));
    writeFileSync(join(dir, "d.csv"), text);
    expectSameTable(
      await readCsvStream(createReadStream(join(dir, "d.csv"), { highWaterMark: 3 })),
      parseCsv(text),
    );
  });

  it("bytes that are not UTF-8 are a DataError (FILE)", async () => {
    await expect(readCsvStream([Uint8Array.from([0x67, 0x0a, 0xff, 0x0a])])).rejects.toMatchObject({
      code: "FILE",
    });
  });
});

describe("readCsvFileStream equals readCsvFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "csv-file-stream-"));

  it.each(DATA_SETS)("%s", (name) => {
    expectSameTable(readCsvFileStream(dataPath(name)), csvTable(name));
  });

  it("Latin-1 files, a byte-order mark, and the errors name the path", () => {
    const latin1 = join(dir, "latin1.csv");
    writeFileSync(latin1, Buffer.from("g,y\n\xe9,1\n", "latin1"));
    expectSameTable(readCsvFileStream(latin1), readCsvFile(latin1));
    const bom = join(dir, "bom.csv");
    writeFileSync(bom, "\uFEFFy,g\n1,a\n");
    expectSameTable(readCsvFileStream(bom), readCsvFile(bom));
    const ragged = join(dir, "ragged.csv");
    writeFileSync(ragged, "y,g\n1,a\n2\n");
    expect(() => readCsvFileStream(ragged)).toThrow(
      outcome(() => readCsvFile(ragged)).error!.replace(/^FILE: /, ""),
    );
    const binary = join(dir, "binary.csv");
    writeFileSync(binary, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x01]));
    expect(() => readCsvFileStream(binary)).toThrow(/it is not a text file/);
    expect(() => readCsvFileStream(join(dir, "none.csv"))).toThrow(/no such file/);
  });

  it("reads a column a second time as text when the kept texts run out", () => {
    const path = join(dir, "late-text.csv");
    writeFileSync(path, `v\n${Array.from({ length: 50 }, (_, i) => `${i}.50`).join("\n")}\nx\n`);
    // The default keeps 1,000,000 texts; the Node reader's second pass is what a smaller limit exercises.
    expectSameTable(readCsvFileStream(path, { maxKeptTexts: 10 }), readCsvFile(path));
  });
});
