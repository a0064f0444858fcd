/**
 * `readDataFile` and the CLI's `--data`: Parquet, Arrow IPC and CSV files of the same data give the
 * same table and the same command output; the format comes from the file's first bytes.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tableFromArrays, tableToIPC } from "@uwdata/flechette";
import { describe, expect, it } from "vitest";
import { dataFileFormat, readDataFile } from "../../src/node/data-file";
import { cli } from "../helpers/cli";
import { dataPath } from "../helpers/fixtures";
import { csvTable, expectSameTable, SOURCES } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "data-file-"));

/** The fixture as an Arrow IPC file (numbers as float64, strings as dictionaries). */
function arrowFile(name: string): string {
  const t = csvTable(name);
  const arrays: Record<string, Float64Array | readonly unknown[]> = {};
  for (const n of t.names) {
    const c = t.column(n)!;
    if (c.type === "numeric") arrays[n] = c.values;
    else if (c.type !== "invalid") arrays[n] = c.values;
  }
  const path = join(dir, `${name}.arrow`);
  writeFileSync(
    path,
    tableToIPC(tableFromArrays(arrays as Parameters<typeof tableFromArrays>[0]), { format: "file" })!,
  );
  return path;
}

describe("readDataFile", () => {
  it("reads Parquet, Arrow IPC and CSV to the same table", async () => {
    for (const name of ["sleepstudy", "Penicillin"]) {
      const csv = csvTable(name);
      expectSameTable(await readDataFile(join(SOURCES, `${name}.parquet`)), csv);
      expectSameTable(await readDataFile(arrowFile(name)), csv);
      expectSameTable(await readDataFile(dataPath(name)), csv);
    }
  });

  it("tells the format from the bytes, not the name", async () => {
    const renamed = join(dir, "sleep.data");
    copyFileSync(join(SOURCES, "sleepstudy.parquet"), renamed);
    expect(dataFileFormat(renamed)).toBe("parquet");
    expect(dataFileFormat(arrowFile("Dyestuff"))).toBe("arrow");
    expect(dataFileFormat(dataPath("Dyestuff"))).toBe("csv");
    const fake = join(dir, "fake.parquet");
    copyFileSync(dataPath("Dyestuff"), fake);
    expect(() => dataFileFormat(fake)).toThrow(/`.*fake\.parquet`: it is not a Parquet file/);
    const tiny = join(dir, "tiny.csv");
    writeFileSync(tiny, "y");
    expect(dataFileFormat(tiny)).toBe("csv");
  });

  it("`columns` reads only those (CSV through the streaming reader)", async () => {
    for (const path of [
      dataPath("sleepstudy"),
      join(SOURCES, "sleepstudy.parquet"),
      arrowFile("sleepstudy"),
    ]) {
      const t = await readDataFile(path, { columns: ["Reaction", "Subject"] });
      expect(t.names).toEqual(["Reaction", "Subject"]);
      expect(t.column("Reaction")).toEqual(csvTable("sleepstudy").column("Reaction"));
    }
  });
});

describe("--data FILE.parquet | FILE.arrow | FILE.csv", () => {
  const formula = "Reaction ~ Days + (Days | Subject)";
  const files = () => [join(SOURCES, "sleepstudy.parquet"), arrowFile("sleepstudy"), dataPath("sleepstudy")];

  it("model --json and fit --json print the same document for each format", async () => {
    const outputs = await Promise.all(
      files().map(async (path) => {
        const model = await cli("model", "--data", path, "--formula", formula, "--json");
        const fit = await cli("fit", "--data", path, "--formula", formula, "--json");
        expect(model.status).toBe(0);
        expect(fit.status).toBe(0);
        const f = JSON.parse(fit.stdout) as { optimizer: { seconds: number } };
        f.optimizer.seconds = 0;
        return { model: model.stdout, fit: f };
      }),
    );
    expect(outputs[0]).toEqual(outputs[2]);
    expect(outputs[1]).toEqual(outputs[2]);
  });

  it("sample gives the same draws from Parquet as from CSV (same seed)", async () => {
    const args = ["--formula", formula, "--iter", "200", "--warmup", "100", "--chains", "2", "--json"];
    const fromParquet = await cli("sample", "--data", join(SOURCES, "sleepstudy.parquet"), ...args);
    const fromCsv = await cli("sample", "--data", dataPath("sleepstudy"), ...args);
    expect(fromParquet.status).toBe(0);
    const strip = (s: string) => JSON.stringify({ ...JSON.parse(s), seconds: undefined, timing: undefined });
    expect(strip(fromParquet.stdout)).toBe(strip(fromCsv.stdout));
  });

  it("a file that is not what its name says: exit 2, one line naming it", async () => {
    const fake = join(dir, "bad.parquet");
    writeFileSync(fake, "y,x\n1,2\n");
    const r = await cli("fit", "--data", fake, "--formula", "y ~ x");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^bayes-lmm: cannot read data file `.*bad\.parquet`: it is not a Parquet file/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
