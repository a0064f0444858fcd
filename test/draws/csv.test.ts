/**
 * Draws CSV (posterior's draws_df layout): exact round trips, files as R writes them, chunked
 * reading, the number parser against `Number`, and typed errors naming row and column.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DrawsCsvReader, formatDrawsCsv, parseDrawsCsv } from "../../src/draws/csv";
import { createDraws } from "../../src/draws/draws";
import type { Draws } from "../../src/draws/types";
import { DataError } from "../../src/errors";
import { readDrawsCsv, writeDrawsCsv } from "../../src/node/draws-file";
import { Random } from "../../src/random/generator";

const dir = mkdtempSync(join(tmpdir(), "bayes-lmm-csv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Seeded draws with awkward values: every magnitude, NaN, ±Infinity. */
function randomDraws(seed: number, names: string[], chains: number, iterations: number): Draws {
  const rng = Random.fromSeed(seed);
  const d = createDraws(names, chains, iterations);
  for (let i = 0; i < d.values.length; i++) {
    const u = rng.uniform();
    d.values[i] =
      u < 0.02
        ? [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, 5e-324][i % 5]!
        : (rng.uniform() - 0.5) * 10 ** Math.floor(rng.uniform() * 60 - 30);
  }
  return d;
}

function sameValues(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i] || (Number.isNaN(v) && Number.isNaN(b[i]!)));
}

function errorOf(f: () => unknown): DataError {
  try {
    f();
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error("expected a DataError");
}

describe("writing and reading back", () => {
  const names = ["beta[(Intercept)]", "sigma2", "Psi[Subject][(Intercept),Days]", 'odd "name"'];

  it("round-trips every double exactly (text)", () => {
    const d = randomDraws(71, names, 3, 200);
    const back = parseDrawsCsv(formatDrawsCsv(d));
    expect(back.parameters).toEqual(names);
    expect([back.chains, back.iterations]).toEqual([3, 200]);
    expect(sameValues(back.values, d.values)).toBe(true);
  });

  it("writes posterior's layout: .chain, .iteration, .draw, then parameters; R's NA and Inf; iteration by iteration over chains", () => {
    const d = createDraws(["mu", "a,b"], 2, 2);
    d.values.set([0.5, Number.NaN, 1, 2, Number.POSITIVE_INFINITY, -0.25, Number.NEGATIVE_INFINITY, 1e-7]);
    expect(formatDrawsCsv(d)).toBe(
      '.chain,.iteration,.draw,mu,"a,b"\n1,1,1,0.5,Inf\n2,1,3,1,-Inf\n1,2,2,NA,-0.25\n2,2,4,2,1e-7\n',
    );
  });

  it("round-trips through a file bigger than one read chunk (4 MiB)", () => {
    const d = randomDraws(
      72,
      Array.from({ length: 300 }, (_, k) => `theta[${k + 1}]`),
      2,
      700,
    );
    const path = join(dir, "big.csv");
    writeDrawsCsv(d, path);
    const back = readDrawsCsv(path);
    expect(back.parameters).toEqual(d.parameters);
    expect(sameValues(back.values, d.values)).toBe(true);
  });

  it("zero parameters' worth of rows is a header only", () => {
    expect(formatDrawsCsv(createDraws(["mu"], 1, 0))).toBe(".chain,.iteration,.draw,mu\n");
  });
});

describe("reading files as R writes them", () => {
  it("write.csv(as_draws_df(x)): quoted names, row-name column, 15 digits, NA, CRLF, BOM", () => {
    const text =
      '\uFEFF"","mu","tau",".chain",".iteration",".draw"\r\n' +
      '"1",1.23456789012345,NA,1,1,1\r\n' +
      '"2",-0.000123456789012345,Inf,1,2,2\r\n' +
      '"3",1e-300,-Inf,2,1,3\r\n' +
      '"4",6.02214076e+23,NaN,2,2,4\r\n';
    const d = parseDrawsCsv(text);
    expect(d.parameters).toEqual(["mu", "tau"]);
    expect([d.chains, d.iterations]).toEqual([2, 2]);
    expect([...d.values.subarray(0, 4)]).toEqual([
      1.23456789012345, -0.000123456789012345, 1e-300, 6.02214076e23,
    ]);
    expect(d.values[4]).toBeNaN();
    expect([d.values[5], d.values[6]]).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(d.values[7]).toBeNaN();
  });

  it("places rows by chain and iteration: any row order, thinned iterations, chain numbers with gaps", () => {
    const text = ".chain,.iteration,.draw,x\n5,20,4,4\n2,10,1,1\n5,10,3,3\n2,20,2,2\n";
    const d = parseDrawsCsv(text);
    expect([d.chains, d.iterations]).toEqual([2, 2]);
    expect([...d.values]).toEqual([1, 2, 3, 4]);
  });

  it("ignores .log_weight, accepts a missing .draw, skips blank lines, reads quoted numbers", () => {
    const d = parseDrawsCsv('x,.chain,.iteration,.log_weight\n\n"1.5",1,1,-0.7\n\n2.5,1,2,-0.1\n');
    expect(d.parameters).toEqual(["x"]);
    expect([...d.values]).toEqual([1.5, 2.5]);
  });

  it("a chunked read equals a whole read, wherever the chunks are cut", () => {
    const d = randomDraws(73, ["a", "b,c", "d"], 2, 40);
    const text = formatDrawsCsv(d).replaceAll("\n", "\r\n");
    const bytes = new TextEncoder().encode(text);
    const rng = Random.fromSeed(74);
    for (let trial = 0; trial < 20; trial++) {
      const reader = new DrawsCsvReader();
      let buffer = new Uint8Array(0);
      let at = 0;
      while (at < bytes.length) {
        const size = 1 + Math.floor(rng.uniform() * 40);
        const chunk = bytes.subarray(at, at + size);
        at += size;
        const joined = new Uint8Array(buffer.length + chunk.length);
        joined.set(buffer);
        joined.set(chunk, buffer.length);
        const used = reader.parse(joined, 0, joined.length, false);
        buffer = joined.slice(used);
      }
      reader.parse(buffer, 0, buffer.length, true);
      const back = reader.finish();
      expect(back.parameters).toEqual(["a", "b,c", "d"]);
      expect(sameValues(back.values, d.values)).toBe(true);
    }
  });
});

describe("the number parser agrees with Number on every kind of decimal", () => {
  it("200,000 seeded strings: shortest forms, 1–25 digits, exponents, near-ties, powers of two", () => {
    const rng = Random.fromSeed(75);
    const texts: string[] = [
      "9007199254740993",
      "9007199254740995",
      "0.1",
      "1e22",
      "1e23",
      "1e-22",
      "1e-23",
      "1.7976931348623157e308",
      "5e-324",
      "2.2250738585072014e-308",
      "-0",
      "123456789012345678901234",
      "1.00000000000000011102230246251565404",
      "0.30000000000000004",
      ".5",
      "5.",
      "+3",
      "00012",
      "1E5",
    ];
    for (let i = 0; i < 200_000; i++) {
      const kind = i % 6;
      let t: string;
      if (kind === 0) t = String((rng.uniform() - 0.5) * 10 ** Math.floor(rng.uniform() * 40 - 20));
      else if (kind === 1) {
        const n = 1 + Math.floor(rng.uniform() * 25);
        let digits = "";
        for (let k = 0; k < n; k++) digits += String(Math.floor(rng.uniform() * 10));
        const dot = Math.floor(rng.uniform() * (n + 1));
        t = `${digits.slice(0, dot)}.${digits.slice(dot)}`;
        if (rng.uniform() < 0.5) t += `e${Math.floor(rng.uniform() * 50 - 25)}`;
      } else if (kind === 2) {
        const x = 1 + rng.uniform();
        t = (x + x * 2 ** -53).toPrecision(17 + Math.floor(rng.uniform() * 4)); // near a tie
      } else if (kind === 3)
        t = String(
          2 ** Math.floor(rng.uniform() * 100 - 50) * (1 + (rng.uniform() < 0.5 ? 2 ** -52 : -(2 ** -53))),
        );
      else if (kind === 4) t = (rng.uniform() * 1000).toPrecision(1 + Math.floor(rng.uniform() * 21));
      else t = String(Math.floor(rng.uniform() * 2 ** 53) + 0.5 * Math.floor(rng.uniform() * 2));
      if (t.startsWith(".")) t = `0${t}`;
      texts.push(t === "." || t === "0." ? "0" : t);
    }
    const d = parseDrawsCsv(`.chain,.iteration,x\n${texts.map((t, i) => `1,${i + 1},${t}`).join("\n")}`);
    const mismatches = texts.filter((t, i) => !Object.is(d.values[i], Number(t)));
    expect(mismatches).toEqual([]);
  });
});

describe("malformed files are DataErrors (code FILE) naming row and column", () => {
  const cases: [string, string, RegExp, { row?: number; column?: string }][] = [
    [
      "a non-number",
      ".chain,.iteration,mu\n1,1,0.5\n1,2,abc\n",
      /row 2, column `mu`: "abc" is not a number/,
      { row: 2, column: "mu" },
    ],
    [
      "an empty value",
      ".chain,.iteration,mu\n1,1,\n",
      /row 1, column `mu`: the value is empty/,
      { row: 1, column: "mu" },
    ],
    ["a missing .chain column", ".iteration,mu\n1,2\n", /no `\.chain` column/, { row: 0, column: ".chain" }],
    ["a missing .iteration column", ".chain,mu\n1,2\n", /no `\.iteration` column/, { column: ".iteration" }],
    ["no parameter column", ".chain,.iteration,.draw\n1,1,1\n", /names no parameter column/, { row: 0 }],
    ["a repeated name", ".chain,.iteration,mu,mu\n", /`mu` appears twice/, { row: 0, column: "mu" }],
    [
      "a short row",
      ".chain,.iteration,mu\n1,1\n",
      /row 1: the row has 2 fields, the header has 3/,
      { row: 1 },
    ],
    ["a long row", ".chain,.iteration,mu\n1,1,2,3\n", /row 1: the row has more fields/, { row: 1 }],
    [
      "unequal chains",
      ".chain,.iteration,mu\n1,1,2\n2,1,3\n2,2,4\n",
      /chain 1 has 1 and chain 2 has 2/,
      { column: ".chain" },
    ],
    [
      "a repeated draw",
      ".chain,.iteration,mu\n1,1,2\n1,2,5\n1,1,3\n",
      /row 3 repeats chain 1, iteration 1 \(first at row 1\)/,
      { row: 3, column: ".iteration" },
    ],
    [
      "a fractional iteration",
      ".chain,.iteration,mu\n1,1.5,2\n",
      /column `\.iteration`: must be a positive integer/,
      { row: 1 },
    ],
    [
      "chain 0",
      ".chain,.iteration,mu\n0,1,2\n",
      /column `\.chain`: must be a positive integer, not 0/,
      { row: 1 },
    ],
    [
      "an open quote",
      '.chain,.iteration,mu\n1,1,"2\n',
      /a quoted field is not closed/,
      { row: 1, column: "mu" },
    ],
    ["an empty file", "", /it is empty/, {}],
    ["a header only", ".chain,.iteration,mu\n", /a header but no draws/, {}],
  ];

  it.each(cases)("%s", (_, text, message, where) => {
    const error = errorOf(() => parseDrawsCsv(text, "draws file `t.csv`"));
    expect(error.code).toBe("FILE");
    expect(error.message).toMatch(/^draws file `t\.csv`/);
    expect(error.message).toMatch(message);
    if (where.row !== undefined) expect(error.row).toBe(where.row);
    if (where.column !== undefined) expect(error.column).toBe(where.column);
  });

  it("a missing file or a directory names the path", () => {
    const missing = errorOf(() => readDrawsCsv(join(dir, "nope.csv")));
    expect(missing.code).toBe("FILE");
    expect(missing.message).toBe(`cannot read draws file \`${join(dir, "nope.csv")}\`: no such file.`);
    const folder = join(dir, "folder");
    mkdirSync(folder);
    expect(errorOf(() => readDrawsCsv(folder)).message).toMatch(/it is a directory/);
  });

  it("a malformed file names the path, row and column", () => {
    const path = join(dir, "bad.csv");
    writeFileSync(path, ".chain,.iteration,mu\n1,1,0.5\n1,2,oops\n");
    expect(errorOf(() => readDrawsCsv(path)).message).toBe(
      `draws file \`${path}\`, row 2, column \`mu\`: "oops" is not a number.`,
    );
  });
});
