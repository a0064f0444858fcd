/**
 * Reading a data set of a few million rows (default 3,000,000; `BENCH_ROWS=...` to change) into a
 * `DataTable` with every column materialized: read time and peak resident memory of each reader,
 * each run in a fresh process (peak RSS is the process's, so one reader cannot inherit another's
 * heap; it includes Node and the reader's modules), median of 3 runs; the time is the read alone
 * (modules imported first). `npm run bench -- data-sources`.
 *
 * Data (made once with DuckDB in a temporary folder): y, x DOUBLE, g INTEGER (rows / 50 levels),
 * s VARCHAR (100 levels) — Parquet (snappy, DuckDB's default), the same as CSV, and as Arrow IPC.
 * Parquet readers: hyparquet (ours), parquet-wasm (Rust → WebAssembly; its Arrow output decoded by
 * flechette), DuckDB (native, `SELECT * FROM read_parquet`). Arrow IPC: flechette (ours) and
 * apache-arrow. CSV: parseCsv in memory (readCsvFile) and the streaming reader.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./timing";

type Reader =
  | "hyparquet"
  | "parquet-wasm"
  | "duckdb"
  | "flechette"
  | "apache-arrow"
  | "csv in memory"
  | "csv streaming";

type Table = { names: readonly string[]; nrows: number; column(n: string): unknown };

/** The reader's function, its modules already imported (so the timing is the read alone). */
async function load(reader: Reader): Promise<(path: string) => Table | Promise<Table>> {
  const { toDataTable } = await import("../src/data/table");
  switch (reader) {
    case "hyparquet": {
      const { readParquetFile } = await import("../src/node/parquet-file");
      return (path) => readParquetFile(path);
    }
    case "parquet-wasm": {
      const pw = await import("parquet-wasm/node");
      const { tableFromIPC } = await import("@uwdata/flechette");
      return (path) => toDataTable(tableFromIPC(pw.readParquet(readFileSync(path)).intoIPCStream()));
    }
    case "duckdb": {
      const { openDuckDb } = await import("../src/node/duckdb");
      return async (path) => {
        const db = await openDuckDb({ config: { threads: "2" } });
        const t = await db.query(`SELECT * FROM read_parquet('${path.replaceAll("'", "''")}')`);
        await db.close();
        return t;
      };
    }
    case "flechette": {
      const { readArrowFile } = await import("../src/node/arrow-file");
      return (path) => readArrowFile(path);
    }
    case "apache-arrow": {
      const arrow = await import("apache-arrow");
      return (path) => toDataTable(arrow.tableFromIPC(readFileSync(path)));
    }
    case "csv in memory": {
      const { readCsvFile } = await import("../src/node/data-file");
      return (path) => readCsvFile(path);
    }
    case "csv streaming": {
      const { readCsvFileStream } = await import("../src/node/csv-stream-file");
      return (path) => readCsvFileStream(path);
    }
  }
}

const self = fileURLToPath(import.meta.url);

if (process.argv[2] === "--child") {
  const [reader, path] = [process.argv[3] as Reader, process.argv[4]!];
  const read = await load(reader);
  const t0 = performance.now();
  const table = await read(path);
  for (const name of table.names) table.column(name);
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(
    JSON.stringify({ seconds, peakMB: process.resourceUsage().maxRSS / 1024, nrows: table.nrows }),
  );
  process.exit(0);
}

const rows = Number(process.env["BENCH_ROWS"] ?? 3_000_000);
const dir = mkdtempSync(join(tmpdir(), "bench-data-sources-"));
try {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
  const db = await instance.connect();
  const files = { parquet: join(dir, "d.parquet"), csv: join(dir, "d.csv"), arrow: join(dir, "d.arrow") };
  await db.run(
    `CREATE TABLE d AS SELECT (hash(range, 1) % 100000) / 1000.0 AS y, (hash(range, 2) % 1000) / 100.0 AS x,
            (range // 50)::INTEGER AS g, 'L' || (hash(range, 3) % 100) AS s FROM range(${rows})`,
  );
  await db.run(`COPY d TO '${files.parquet}' (FORMAT parquet)`);
  await db.run(`COPY d TO '${files.csv}' (FORMAT csv, HEADER)`);
  db.closeSync();
  instance.closeSync();
  {
    const { readParquetFile } = await import("../src/node/parquet-file");
    const { tableFromArrays, tableToIPC } = await import("@uwdata/flechette");
    const t = await readParquetFile(files.parquet);
    const arrays: Record<string, unknown> = {};
    for (const n of t.names) {
      const c = t.column(n)!;
      arrays[n] =
        c.type === "invalid" ? [] : c.type === "numeric" && n === "g" ? Int32Array.from(c.values) : c.values;
    }
    writeFileSync(files.arrow, tableToIPC(tableFromArrays(arrays as never), { format: "file" })!);
  }
  const mb = (p: string) => (statSync(p).size / 2 ** 20).toFixed(0);
  process.stdout.write(
    `${rows.toLocaleString("en-US")} rows × 4 columns; Parquet ${mb(files.parquet)} MB, CSV ${mb(files.csv)} MB, Arrow IPC ${mb(files.arrow)} MB\n\n`,
  );
  const cases: [Reader, string][] = [
    ["hyparquet", files.parquet],
    ["parquet-wasm", files.parquet],
    ["duckdb", files.parquet],
    ["flechette", files.arrow],
    ["apache-arrow", files.arrow],
    ["csv in memory", files.csv],
    ["csv streaming", files.csv],
  ];
  const results = new Map<Reader, { seconds: number; peakMB: number }>();
  process.stdout.write(
    "| reader | file | seconds (median of 3) | peak RSS MB (median) |\n|---|---|---:|---:|\n",
  );
  for (const [reader, path] of cases) {
    const runs: { seconds: number; peakMB: number }[] = [];
    for (let r = 0; r < 3; r++) {
      const out = spawnSync(process.execPath, ["--import", "tsx", self, "--child", reader, path], {
        encoding: "utf8",
        maxBuffer: 1 << 20,
      });
      if (out.status !== 0) throw new Error(`${reader}: ${out.stderr}`);
      const run = JSON.parse(out.stdout) as { seconds: number; peakMB: number; nrows: number };
      if (run.nrows !== rows) throw new Error(`${reader} read ${run.nrows} rows`);
      runs.push(run);
    }
    const m = { seconds: median(runs.map((x) => x.seconds)), peakMB: median(runs.map((x) => x.peakMB)) };
    results.set(reader, m);
    const kind = path.endsWith(".parquet") ? "Parquet" : path.endsWith(".arrow") ? "Arrow IPC" : "CSV";
    process.stdout.write(`| ${reader} | ${kind} | ${m.seconds.toFixed(2)} | ${m.peakMB.toFixed(0)} |\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
