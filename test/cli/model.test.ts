/**
 * `bayes-lmm model` through the in-process runner: every lme4 fixture's X names and sums, Z size and
 * term names through `--json`; the text form; bad input → exit 2 with one line naming the problem.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataError } from "../../src/errors";
import { readCsvFile } from "../../src/node/data-file";
import { cli } from "../helpers/cli";
import { dataPath, LME4_MODELS, readJsonFixture } from "../helpers/fixtures";

interface Lme4Fixture {
  formula: string;
  data: string;
  nobs: number;
  X_colnames: string[];
  X_colsums: number[];
  Z_dim: [number, number];
  Z_colnames_per_term: Record<string, string[]>;
}

interface Summary {
  formula: string;
  response: string;
  nobs: number;
  dropped: number;
  fixed: string[];
  X_colsums: number[];
  terms: { group: string; label: string; levels: number; names: string[] }[];
  aliased: string[];
  warnings: string[];
}

const tmp = mkdtempSync(join(tmpdir(), "bayes-lmm-model-"));
function tmpFile(name: string, content: string | Uint8Array): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

describe("bayes-lmm model --json on every lme4 fixture", () => {
  it.each(LME4_MODELS)("%s: X names and sums, Z size and term names equal lme4's", async (name) => {
    const f = readJsonFixture<Lme4Fixture>(`lme4/${name}.json`);
    const r = await cli("model", "--data", dataPath(f.data), "--formula", f.formula, "--json");
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.formula).toBe(f.formula);
    expect(s.nobs).toBe(f.nobs);
    expect(s.dropped).toBe(0);
    expect(s.fixed).toEqual(f.X_colnames);
    s.X_colsums.forEach((v, j) => {
      const expected = f.X_colsums[j]!;
      expect(Math.abs(v - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
    });
    expect(s.terms.reduce((a, t) => a + t.levels * t.names.length, 0)).toBe(f.Z_dim[1]);
    expect(Object.fromEntries(s.terms.map((t) => [t.label, t.names]))).toEqual(f.Z_colnames_per_term);
  });

  it("gives both the grouping factor and lme4's label of a second term on it", async () => {
    const r = await cli(
      "model",
      "--data",
      dataPath("sleepstudy"),
      "--formula",
      "Reaction ~ Days + (Days || Subject)",
      "--json",
    );
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.terms.map((t) => [t.group, t.label])).toEqual([
      ["Subject", "Subject"],
      ["Subject", "Subject.1"],
    ]);
  });
});

describe("bayes-lmm model (text and data handling)", () => {
  it("prints a readable summary without --json", async () => {
    const r = await cli(
      "model",
      "--data",
      dataPath("Exam"),
      "--formula",
      "normexam ~ standLRT + sex + (standLRT | school)",
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("rows      4059 used");
    expect(r.stdout).toMatch(/sexM\s+1623/);
    expect(r.stdout).toMatch(/school\s+65\s+\(Intercept\), standLRT/);
    expect(r.stdout).toContain("Z: 4059 × 130");
  });

  it("counts dropped rows and warns about aliased columns on stderr, JSON alone on stdout", async () => {
    const path = tmpFile(
      "drop.csv",
      "y,x,w,g\n1,1,2,a\n2,NA,4,a\n3,3,6,b\n5,4,8,b\n4,,10,c\n6,6,12,c\n7,7,14,a\n",
    );
    const r = await cli("model", "--data", path, "--formula", "y ~ x + w + (1 | g)", "--json");
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.nobs).toBe(5);
    expect(s.dropped).toBe(2);
    expect(s.fixed).toEqual(["(Intercept)", "x"]);
    expect(s.aliased).toEqual(["w"]);
    expect(r.stderr).toMatch(/^bayes-lmm: warning: fixed-effect model matrix is rank deficient .*`w`\n$/);
  });
});

describe("bayes-lmm model: bad input exits 2 with one line", () => {
  const exam = dataPath("Exam");
  const cases: [string, () => string[], RegExp][] = [
    ["missing --data", () => ["--formula", "y ~ 1 + (1 | g)"], /--data/],
    ["missing --formula", () => ["--data", exam], /--formula/],
    [
      "a missing file",
      () => ["--data", join(tmp, "nope.csv"), "--formula", "y ~ 1 + (1 | g)"],
      /nope\.csv`: no such file/,
    ],
    ["a directory", () => ["--data", tmp, "--formula", "y ~ 1 + (1 | g)"], /is a directory/],
    [
      "a binary file",
      () => [
        "--data",
        tmpFile("bin.csv", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3])),
        "--formula",
        "y ~ 1 + (1 | g)",
      ],
      /bin\.csv`: it is not a text file/,
    ],
    [
      "text that is not CSV (ragged rows)",
      () => ["--data", tmpFile("ragged.csv", "a,b,c\n1,2,3\n4,5\n"), "--formula", "a ~ b + (1 | c)"],
      /ragged\.csv`: not CSV: row 2 \(line 3\) has 2 fields, but the header has 3/,
    ],
    [
      "an unterminated quote",
      () => ["--data", tmpFile("quote.csv", 'a,b\n1,"x\n2,y\n'), "--formula", "a ~ 1 + (1 | b)"],
      /quote\.csv`: not CSV: a quoted field starting on line 2 is never closed/,
    ],
    [
      "an unknown column, with a suggestion",
      () => ["--data", exam, "--formula", "normexam ~ standLRT + (1 | shcool)"],
      /unknown column.*`shcool`.*Did you mean `school`\?/,
    ],
    [
      "a bad formula",
      () => ["--data", exam, "--formula", "normexam ~ (1 | school"],
      /invalid formula.*column/,
    ],
    [
      "a non-numeric response",
      () => ["--data", exam, "--formula", "sex ~ standLRT + (1 | school)"],
      /response `sex` must be numeric/,
    ],
    [
      "a constant response",
      () => ["--data", tmpFile("const.csv", "y,g\n1,a\n1,a\n1,b\n1,b\n"), "--formula", "y ~ 1 + (1 | g)"],
      /response `y` is constant/,
    ],
    [
      "a grouping factor with one level",
      () => ["--data", tmpFile("one.csv", "y,g\n1,a\n2,a\n3,a\n"), "--formula", "y ~ 1 + (1 | g)"],
      /`g` has one level .*check\.nlev\.gtr\.1/,
    ],
    [
      "a grouping factor with as many levels as rows",
      () => [
        "--data",
        tmpFile("nlev.csv", "y,g,h\n1,a,x\n2,b,x\n3,c,y\n5,d,y\n"),
        "--formula",
        "y ~ 1 + (1 | g:h)",
      ],
      /`g:h` has 4 levels for 4 rows.*check\.nobs\.vs\.nlev/,
    ],
    [
      "more random effects than rows",
      () => [
        "--data",
        tmpFile("nre.csv", "y,x,g\n1,1,a\n2,2,a\n3,1,b\n4,5,b\n"),
        "--formula",
        "y ~ 1 + (x | g)",
      ],
      /has 4 random effects .* for 4 rows.*check\.nobs\.vs\.nRE/,
    ],
    [
      "NaN in a used column",
      () => [
        "--data",
        tmpFile("nan.csv", "y,x,g\n1,1,a\n2,NaN,a\n3,1,b\n4,5,b\n"),
        "--formula",
        "y ~ x + (1 | g)",
      ],
      /Column `x` has the non-finite value `NaN` in row 2/,
    ],
    [
      "Inf in a used column",
      () => [
        "--data",
        tmpFile("inf.csv", "y,x,g\n1,1,a\n2,2,a\n3,-Inf,b\n4,5,b\n"),
        "--formula",
        "y ~ x + (1 | g)",
      ],
      /Column `x` has the non-finite value `-Infinity` in row 3/,
    ],
    [
      "an empty file",
      () => ["--data", tmpFile("empty.csv", ""), "--formula", "y ~ 1 + (1 | g)"],
      /empty.csv`: not CSV: it is empty/,
    ],
    [
      "a header and no rows",
      () => ["--data", tmpFile("header.csv", "y,g\n"), "--formula", "y ~ 1 + (1 | g)"],
      /The data have no rows/,
    ],
    [
      "every row dropped",
      () => ["--data", tmpFile("allna.csv", "y,g\nNA,a\n2,\n"), "--formula", "y ~ 1 + (1 | g)"],
      /No rows left/,
    ],
    ["an unknown flag", () => ["--data", exam, "--formula", "y ~ 1", "--fast"], /flag/],
  ];
  it.each(cases)("%s", async (_, args, message) => {
    const r = await cli("model", ...args());
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});

describe("readCsvFile", () => {
  it("throws DataError code FILE naming the path, with the CSV problem's row", () => {
    const path = tmpFile("short.csv", "a,b\n1,2\n3\n");
    let error: unknown;
    try {
      readCsvFile(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect(error).toMatchObject({ code: "FILE", row: 2 });
    expect((error as Error).message).toContain(path);
    expect(() => readCsvFile(join(tmp, "missing.csv"))).toThrow(expect.objectContaining({ code: "FILE" }));
  });

  it("reads Latin-1 text that is not UTF-8", () => {
    const path = tmpFile("latin1.csv", Buffer.from("g,y\ncaf\xe9,1\n", "latin1"));
    expect(readCsvFile(path).column("g")).toEqual({ type: "string", values: ["café"] });
  });
});
