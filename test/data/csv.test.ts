import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv";
import type { Column } from "../../src/data/types";
import { DataError } from "../../src/errors";

function col(text: string, name: string): Column {
  const c = parseCsv(text).column(name);
  if (c === undefined) throw new Error(`no column ${name}`);
  return c;
}

function numbers(c: Column): (number | null)[] {
  if (c.type !== "numeric") throw new Error(`expected numeric, got ${c.type}`);
  return Array.from(c.values, (v, i) => (c.missing?.[i] === 1 ? null : v));
}

function thrown(f: () => unknown): DataError {
  try {
    f();
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error("expected a DataError");
}

describe("parseCsv: the format", () => {
  it("reads quoted fields with embedded commas, quotes and line breaks", () => {
    const t = parseCsv('id,text\n1,"a, b"\n2,"say ""hi"""\n3,"two\nlines"\n4,plain\n');
    expect(t.nrows).toBe(4);
    expect(t.column("text")).toEqual({ type: "string", values: ["a, b", 'say "hi"', "two\nlines", "plain"] });
  });

  it("accepts CRLF and lone CR line ends, a byte-order mark, blank lines and no final newline", () => {
    const t = parseCsv("\uFEFFy,g\r\n1,a\r\n\r\n2,b\r3,c");
    expect(t.names).toEqual(["y", "g"]);
    expect(numbers(t.column("y")!)).toEqual([1, 2, 3]);
  });

  it("keeps a trailing empty field as missing", () => {
    expect(numbers(col("a,b\n1,\n2,3\n", "b"))).toEqual([null, 3]);
  });

  it("names an empty header field X and makes repeated names unique, as read.csv does", () => {
    expect(parseCsv('"",a,a,a.1\n1,2,3,4\n').names).toEqual(["X", "a", "a.2", "a.1"]);
  });

  it("drops a row-name column when rows have one field more than the header (write.table)", () => {
    const t = parseCsv('"y","g"\n"1",3.5,"a"\n"2",4,"b"\n');
    expect(t.names).toEqual(["y", "g"]);
    expect(numbers(t.column("y")!)).toEqual([3.5, 4]);
    expect(thrown(() => parseCsv("y,g\n1,2,3\n4,5\n")).message).toBe(
      "not CSV: row 2 (line 3) has 2 fields, but the rows before it have 3 (a row name and 2 fields).",
    );
  });

  it("rejects ragged rows, unterminated quotes, NUL characters and empty text with code FILE", () => {
    const ragged = thrown(() => parseCsv("a,b\n1,2\n3\n"));
    expect(ragged.code).toBe("FILE");
    expect(ragged.row).toBe(2);
    expect(ragged.message).toBe("not CSV: row 2 (line 3) has 1 field, but the header has 2.");
    expect(thrown(() => parseCsv('a,b\n1,"2\n')).message).toMatch(
      /quoted field starting on line 2 is never closed/,
    );
    expect(thrown(() => parseCsv("a,b\n1,\u00002\n")).message).toMatch(/NUL character \(line 2\)/);
    expect(thrown(() => parseCsv("")).message).toMatch(/empty/);
    expect(thrown(() => parseCsv("\n\n")).code).toBe("FILE");
  });

  it("counts lines inside quoted fields for later errors", () => {
    expect(thrown(() => parseCsv('a,b\n1,"x\ny"\n2\n')).message).toMatch(/row 2 \(line 4\)/);
  });
});

describe("parseCsv: column types as R's read.csv + type.convert", () => {
  // R 4.2.2: read.csv on this text gives a: num NA NA NA 3; b: num 1 2 NaN 26; c: chr "x" " y" NA "z";
  // d: chr (T and true do not mix); e: num NA NA Inf -Inf.
  const text =
    'a,b,c,d,e\n"NA",1,"x",T,\nNA,"2"," y",FALSE,NA\n"",NaN,"NA",NA,inf\n 3 ,0x1A,z,true, -Infinity\n';

  it("reads numbers, quoted or not, with R's NA, NaN, Inf and hexadecimal", () => {
    expect(numbers(col(text, "a"))).toEqual([null, null, null, 3]);
    expect(numbers(col(text, "b"))).toEqual([1, 2, Number.NaN, 26]);
    expect(numbers(col(text, "e"))).toEqual([null, null, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
  });

  it("keeps strings as written (spaces too), with NA missing", () => {
    expect(col(text, "c")).toEqual({ type: "string", values: ["x", " y", null, "z"] });
    expect(col(text, "d")).toEqual({ type: "string", values: ["T", "FALSE", null, "true"] });
  });

  it("reads T/F/TRUE/FALSE columns as logical", () => {
    expect(col("l,y\nT,1\nFALSE,2\n,3\nTRUE,4\n", "l")).toEqual({
      type: "logical",
      values: [true, false, null, true],
    });
  });

  it('reads quoted numbers as numbers (sleepstudy\'s "308")', () => {
    expect(numbers(col('Subject\n"308"\n"309"\n', "Subject"))).toEqual([308, 309]);
  });

  it("makes a column with one non-number a string column", () => {
    expect(col("x\n1\n2\n3a\n", "x")).toEqual({ type: "string", values: ["1", "2", "3a"] });
    expect(col("x\n1\n0b1\n", "x").type).toBe("string");
  });
});

describe("parseCsv: round trip of generated tables written as R's write.csv writes them", () => {
  const numberColumn = fc.array(
    fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: null }),
    {
      minLength: 1,
      maxLength: 8,
    },
  );
  const stringColumn = fc.array(
    fc.option(
      fc.string({ maxLength: 6 }).map((s) => `s${s}`),
      { nil: null },
    ),
    {
      minLength: 1,
      maxLength: 8,
    },
  );
  const table = fc
    .tuple(fc.integer({ min: 1, max: 8 }), fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }))
    .chain(([n, kinds]) =>
      fc.tuple(
        ...kinds.map((isNumber) =>
          (isNumber ? numberColumn : stringColumn).map((c) =>
            Array.from({ length: n }, (_, i) => c[i % c.length] ?? null),
          ),
        ),
      ),
    );

  fcTest.prop([table])("parses back the values written", (columns) => {
    const names = columns.map((_, j) => `v${j}`);
    const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const lines = [names.map(quote).join(",")];
    const n = columns[0]!.length;
    for (let i = 0; i < n; i++)
      lines.push(
        columns
          .map((c) => {
            const v = c[i];
            return v === null || v === undefined ? "NA" : typeof v === "number" ? String(v) : quote(v);
          })
          .join(","),
      );
    const t = parseCsv(`${lines.join("\n")}\n`);
    expect(t.nrows).toBe(n);
    columns.forEach((c, j) => {
      const parsed = t.column(names[j]!)!;
      const nonMissing = c.filter((v) => v !== null);
      if (nonMissing.length === 0) return; // an all-NA column has no type to check
      if (typeof nonMissing[0] === "number")
        expect(numbers(parsed)).toEqual(c.map((v) => (v === null ? null : v === 0 ? 0 : v)));
      else expect(parsed).toEqual({ type: "string", values: c });
    });
  });
});
