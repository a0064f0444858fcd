/**
 * Issue 18: the defects a generated-input run found, one test each (each failed before its fix).
 * The generated-input suite (./generated.test.ts) runs these cases too, among its own.
 */
import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { rhat } from "../../diagnostics/rhat";
import { summarizeDraws } from "../../diagnostics/summarize";
import { gibbs, gibbsSync } from "../../samplers/gibbs";
import { commands } from "../../src/cli/commands/index";
import { runCli } from "../../src/cli/run";
import { streamIO } from "../../src/cli/streams";
import { parseCsv } from "../../src/data/csv";
import { formatDrawsCsv, parseDrawsCsv } from "../../src/draws/csv";
import { createDraws } from "../../src/draws/draws";
import { ArgumentError, DataError, LmmError } from "../../src/errors";
import { lmm } from "../../src/model/lmm";
import { resolvePriors } from "../../src/priors/resolve";
import { reml } from "../../src/reml/fit";
import { fitSummary } from "../../src/reml/summary";
import { cli } from "../helpers/cli";
import { dataPath } from "../helpers/fixtures";
import { expectBadInput, SLEEP, SLEEP_FORMULA, scratch, sleepVariant, writeCsv } from "./helpers";

const dir = scratch("issue18");
const sleep = dataPath("sleepstudy");
const root = fileURLToPath(new URL("../..", import.meta.url));
const fast = ["--iter", "20", "--warmup", "10", "--chains", "2"];

/** Runs the real executable (from sources) with stdout on `stdoutPath`; resolves with status and stderr. */
function runWithStdout(
  args: readonly string[],
  stdoutPath: string,
): Promise<{ status: number | null; stderr: string }> {
  const fd = openSync(stdoutPath, "w");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), ...args], {
      cwd: root,
      stdio: ["ignore", fd, "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("close", (status) => {
      closeSync(fd);
      resolve({ status, stderr });
    });
  });
}

describe("issue 18, CLI", () => {
  it("standard output that cannot be written is one line and exit 1 in all five commands", async () => {
    const draws = join(root, "test/fixtures/draws-interop/write_csv_draws_df.csv");
    for (const args of [
      ["model", "--data", sleep, "--formula", SLEEP_FORMULA],
      ["fit", "--data", sleep, "--formula", SLEEP_FORMULA],
      ["sample", "--data", sleep, "--formula", SLEEP_FORMULA, ...fast],
      ["diagnose", "--draws", draws],
      ["report", "--data", sleep, "--formula", SLEEP_FORMULA, ...fast, "--out", join(dir, "full.html")],
    ]) {
      // A stream that fails as a full disk does: the error event comes after the write.
      const stdout = new EventEmitter() as EventEmitter & { write(text: string): boolean };
      stdout.write = () => {
        queueMicrotask(() =>
          stdout.emit(
            "error",
            Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" }),
          ),
        );
        return false;
      };
      let stderr = "";
      const stderrStream = {
        write(t: string): boolean {
          stderr += t;
          return true;
        },
        on: () => undefined,
      };
      const exits: (number | undefined)[] = [];
      const { io, failed } = streamIO(stdout, stderrStream, (status) => exits.push(status));
      const status = await runCli(args, io);
      await new Promise((resolve) => setTimeout(resolve, 0));
      const lines = stderr.split("\n").filter((l) => l.length > 0 && !l.includes("warning:"));
      expect({ command: args[0], exits, failed: failed(), lines, status }).toEqual({
        command: args[0],
        exits: [1],
        failed: true,
        lines: ["bayes-lmm: cannot write standard output: no space left on the device."],
        status: 0,
      });
    }
  });
  it.runIf(existsSync("/dev/full"))(
    "the executable itself, with stdout on /dev/full: that line, exit 1, no stack trace",
    async () => {
      const r = await runWithStdout(["model", "--data", sleep, "--formula", SLEEP_FORMULA], "/dev/full");
      expect(r).toEqual({
        status: 1,
        stderr: "bayes-lmm: cannot write standard output: no space left on the device.\n",
      });
    },
    30_000,
  );

  // Each output check must come before the data are even read: the --data file does not exist, so
  // an error about the output path proves the order (and so that no sampling happened).
  const missingData = ["--data", join(dir, "no-such-data.csv"), "--formula", SLEEP_FORMULA];
  it("report --out naming a folder: exit 2 before any work, naming the path", async () => {
    expectBadInput(await cli("report", ...missingData, "--out", dir), /`.*` is a folder|it is a folder/);
  });
  it.runIf(existsSync("/sys"))(
    "report --out in a folder that cannot be written: exit 2 before any work",
    async () => {
      expectBadInput(
        await cli("report", ...missingData, "--out", "/sys/report.html"),
        /cannot be written to \(permission denied\)/,
      );
    },
  );
  it("report --plots naming a file, or empty: exit 2 before any work", async () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "x");
    expectBadInput(
      await cli("report", ...missingData, "--out", join(dir, "r.html"), "--plots", file),
      /pictures folder .* is a file, not a folder/,
    );
    expectBadInput(
      await cli("report", ...missingData, "--out", join(dir, "r.html"), "--plots", ""),
      /`--plots` must not be empty/,
    );
  });
  it.runIf(existsSync("/sys"))(
    "sample --draws to a place that cannot be written: exit 2 before sampling",
    async () => {
      expectBadInput(
        await cli("sample", ...missingData, "--draws", "/sys/draws.csv"),
        /draws file .*permission denied/,
      );
      expectBadInput(
        await cli("sample", ...missingData, "--draws", join(dir, "nope", "d.csv")),
        /does not exist/,
      );
    },
  );

  it("a warning before a prior error does not make two lines: exit 2 has exactly one", async () => {
    // x2 = 2 x is aliased (a model warning), and the prior is bad.
    const rows = SLEEP.map((r) => ({ ...r, x2: 2 * r.Days }));
    const data = writeCsv(dir, "aliased.csv", rows);
    const priors = join(dir, "bad-prior.json");
    writeFileSync(priors, '{"sigma2": {"shape": -1}}');
    const formula = "Reaction ~ Days + x2 + (1 | Subject)";
    const model = await cli("model", "--data", data, "--formula", formula);
    expect(model.stderr).toContain("warning"); // the warning exists...
    expectBadInput(
      await cli("sample", "--data", data, "--formula", formula, "--priors", priors),
      /sigma2\.shape/,
    ); // ...but is not printed
  });
  it("bare bayes-lmm: the usage on stdout, exit 2 with one line on stderr", async () => {
    const r = await cli();
    expect(r.status).toBe(2);
    expect(r.stdout).toContain("Usage: bayes-lmm <command>");
    expect(r.stderr.trim().split("\n")).toEqual([
      `bayes-lmm: a command is required (${commands.map((c) => c.name).join(", ")}); see the usage above.`,
    ]);
  });

  it("--iter 2147483647 and --thin 1000000000: refused at once with the size, not 'Invalid typed array length' or a hang", async () => {
    const started = performance.now();
    expectBadInput(
      await cli("sample", "--data", sleep, "--formula", SLEEP_FORMULA, "--iter", "2147483647"),
      /2,147,484,647 iterations/,
    );
    expectBadInput(
      await cli("sample", "--data", sleep, "--formula", SLEEP_FORMULA, "--thin", "1000000000"),
      /`--thin` asks each chain for/,
    );
    expectBadInput(
      await cli("sample", "--data", sleep, "--formula", SLEEP_FORMULA, "--iter", "300000000"),
      /numbers \(\d+(\.\d+)? GB\)|GB of memory/,
    );
    // Bounds, not speed: a run would take minutes to hours, the refusals take milliseconds.
    expect(performance.now() - started).toBeLessThan(20_000);
  });
  it("a 100,000-deep priors.json is refused by its depth, not 'Maximum call stack size exceeded'", async () => {
    const deep = join(dir, "deep.json");
    writeFileSync(deep, `${'{"beta":'.repeat(100_000)}1${"}".repeat(100_000)}`);
    const deepArray = join(dir, "deep-array.json");
    writeFileSync(deepArray, `{"beta":{"mean":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`);
    for (const file of [deep, deepArray])
      expectBadInput(
        await cli("sample", "--data", sleep, "--formula", SLEEP_FORMULA, "--priors", file),
        /nests 100,00\d levels deep/,
      );
  });

  it("a covariate scaled by 1e-160 or 1e160: a data error about the column, not about a prior never given", async () => {
    for (const factor of [1e-160, 1e160]) {
      const data = writeCsv(
        dir,
        `days-${factor}.csv`,
        sleepVariant(
          (v) => v,
          (d) => d * factor,
        ),
      );
      for (const command of ["sample", "fit"]) {
        const r = await cli(
          command,
          "--data",
          data,
          "--formula",
          SLEEP_FORMULA,
          ...(command === "sample" ? fast : []),
        );
        expectBadInput(r, /fixed-effects column `Days`/);
        expect(r.stderr).not.toContain("prior");
      }
    }
  });
  it("the default prior itself is computed safely: no Infinity where the data allow numbers", () => {
    // Days × 1e-100 is computable (sd 2.9e-100): its coefficient's prior variance is about 1e201.
    const model = lmm(
      SLEEP_FORMULA,
      sleepVariant(
        (v) => v,
        (d) => d * 1e-100,
      ),
    );
    const priors = resolvePriors(model);
    expect(Array.from(priors.beta.cov).every(Number.isFinite)).toBe(true);
    expect(priors.beta.cov[3]).toBeGreaterThan(1e200);
  });

  it("y × 1e-300 (variances underflow) and y + 1e17 (variation below the values' precision) are refused with the reason", async () => {
    const tiny = writeCsv(
      dir,
      "tiny.csv",
      sleepVariant((v) => v * 1e-300),
    );
    const shifted = writeCsv(
      dir,
      "shift17.csv",
      sleepVariant((v) => v + 1e17),
    );
    for (const command of ["fit", "sample"]) {
      expectBadInput(
        await cli(command, "--data", tiny, "--formula", SLEEP_FORMULA, ...(command === "sample" ? fast : [])),
        /variance underflows/,
      );
      expectBadInput(
        await cli(
          command,
          "--data",
          shifted,
          "--formula",
          SLEEP_FORMULA,
          ...(command === "sample" ? fast : []),
        ),
        /varies by less than its values' precision: its sd \(56\) spans only 3 steps of 16/,
      );
    }
  });
  it("y + 1e15 keeps its digits: not refused by the precision check, fitted and sampled", async () => {
    const shifted = writeCsv(
      dir,
      "shift15.csv",
      sleepVariant((v) => v + 1e15),
    );
    const sampled = await cli("sample", "--data", shifted, "--formula", SLEEP_FORMULA, ...fast);
    expect(sampled.status, sampled.stderr).toBe(0);
    const fit = await cli("fit", "--data", shifted, "--formula", SLEEP_FORMULA, "--json");
    expect(fit.stderr).not.toContain("rank deficient");
    // REML fits a centred copy (src/reml/center.ts): sleepstudy's sigma, 25.59, to rounding of the input
    expect(fit.status, fit.stderr).toBe(0);
    expect(JSON.parse(fit.stdout).sigma).toBeCloseTo(25.59, 1);
  });
  it("a perfect fit (y = 1 + 2x + 3g exactly) is refused, not sigma 2e-7 with a group variance of 8e7", async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({
      y: 1 + 2 * (i % 7) + 3 * (i % 6),
      x: i % 7,
      g: i % 6,
    }));
    const data = writeCsv(dir, "perfect.csv", rows);
    for (const command of ["fit", "fit --ml"]) {
      const r = await cli(...command.split(" "), "--data", data, "--formula", "y ~ x + (1 | g)");
      expectBadInput(r, /fits the response `y` exactly, or to within rounding/);
    }
  });

  it("a draws file cut short mid-iteration is rejected as such by diagnose; complete iterations read back", async () => {
    const d = createDraws(["mu"], 4, 100);
    for (let i = 0; i < d.values.length; i++) d.values[i] = Math.sin(i);
    const text = formatDrawsCsv(d);
    const lines = text.trimEnd().split("\n");
    // rows are written iteration by iteration: rows 2..5 are iteration 1 of chains 1..4
    expect(lines.slice(1, 5).map((l) => l.split(",").slice(0, 2).join(","))).toEqual([
      "1,1",
      "2,1",
      "3,1",
      "4,1",
    ]);
    const cut = join(dir, "cut.csv");
    writeFileSync(cut, `${lines.slice(0, 1 + 4 * 50 + 2).join("\n")}\n`); // 50 iterations and half of the 51st
    expectBadInput(
      await cli("diagnose", "--draws", cut),
      /last iteration is incomplete, so the file was probably cut short/,
    );
    const whole = join(dir, "whole-iterations.csv");
    writeFileSync(whole, `${lines.slice(0, 1 + 4 * 50).join("\n")}\n`);
    const ok = await cli("diagnose", "--draws", whole, "--json");
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ chains: 4, iterations: 50 });
    const unterminated = join(dir, "unterminated.csv");
    writeFileSync(unterminated, `${lines.slice(0, 1 + 4 * 50).join("\n")}`);
    const flagged = await cli("diagnose", "--draws", unterminated);
    expect(flagged.status).toBe(0);
    expect(flagged.stderr).toContain("does not end with a line break: if the file was cut short");
  });

  it("a quote that closes early warns with the row number; the rows it merged are named", async () => {
    const table = parseCsv('y,x,g\n1,2,"a\n3,4,b\n5,6,"c"\n7,8,d\n');
    expect(table.nrows).toBe(2);
    expect(table.warnings).toEqual([
      "data row 1 (line 2): a quoted field runs over 2 line breaks, to line 4, and text follows its closing quote: a quote is probably missing, which merges rows; check the file there",
    ]);
    const file = join(dir, "early-quote.csv");
    writeFileSync(
      file,
      `Reaction,Days,Subject\n${SLEEP.map((r, i) => `${r.Reaction},${r.Days},${i === 3 ? `"${r.Subject}` : `"${r.Subject}"`}`).join("\n")}\n`,
    );
    const r = await cli("model", "--data", file, "--formula", SLEEP_FORMULA);
    expect(r.stderr).toContain(
      "bayes-lmm: warning: data row 4 (line 5): a quoted field runs over 1 line break",
    );
  });
  it("priors.json with a UTF-8 byte-order mark is read, as data files are", async () => {
    const priors = join(dir, "bom.json");
    writeFileSync(priors, '\ufeff{"sigma2": {"shape": 1, "scale": 1}}');
    const r = await cli(
      "sample",
      "--data",
      sleep,
      "--formula",
      SLEEP_FORMULA,
      ...fast,
      "--priors",
      priors,
      "--json",
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).priors.sigma2).toEqual({ shape: 1, scale: 1 });
  });
});

describe("issue 18, numbers", () => {
  it("finite draws near 1e307 have a finite mean, sd and MCSE (not NA)", () => {
    const d = createDraws(["big"], 4, 5000);
    for (let i = 0; i < d.values.length; i++) d.values[i] = 1e307 * (1.5 + Math.sin(i * 0.7));
    const row = summarizeDraws(d, ["mean", "sd", "mcse_mean", "mcse_sd", "ess_mean", "rhat"]).rows[0]!.values;
    const small = createDraws(["small"], 4, 5000);
    small.values.set(d.values.map((v) => v / 1e307));
    const ref = summarizeDraws(small, ["mean", "sd", "mcse_mean", "mcse_sd", "ess_mean", "rhat"]).rows[0]!
      .values;
    for (const m of ["mean", "sd", "mcse_mean", "mcse_sd"]) expect(row[m]! / 1e307).toBeCloseTo(ref[m]!, 10);
    expect(row["ess_mean"]).toBeCloseTo(ref["ess_mean"]!, 8);
    expect(row["rhat"]).toBe(ref["rhat"]);
  });
  it("y × 1e80 and y × 1e-150: the printed correlation is 0.07 (true 0.066), not 0.00 or NaN", () => {
    for (const factor of [1e80, 1e-150]) {
      const text = fitSummary(
        reml(
          lmm(
            SLEEP_FORMULA,
            sleepVariant((v) => v * factor),
          ),
        ),
      );
      expect(text).toMatch(/ Days +\S+ +\S+ 0\.07\n/);
    }
  });
  it("y × 1e-8: variances printed with significant digits (6.549e-14), not 0.000000", () => {
    const text = fitSummary(
      reml(
        lmm(
          SLEEP_FORMULA,
          sleepVariant((v) => v * 1e-8),
        ),
      ),
    );
    expect(text).toMatch(/Residual +6\.549e-14 +2\.559e-07/);
    expect(text).not.toContain("0.000000");
  });
});

describe("issue 18, API arguments", () => {
  const model = lmm(SLEEP_FORMULA, SLEEP as unknown as Record<string, unknown>[]);
  const typed = (f: () => unknown, code: string) => {
    let thrown: unknown;
    try {
      f();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LmmError);
    expect((thrown as LmmError).code).toBe(code);
    return thrown as LmmError;
  };
  it("parseCsv(Buffer) reads the bytes; parseCsv(5) is an ArgumentError", () => {
    expect(parseCsv(Buffer.from("a,b\n1,2\n")).nrows).toBe(1);
    expect(typed(() => parseCsv(5 as unknown as string), "INVALID_ARGUMENT")).toBeInstanceOf(ArgumentError);
  });
  it("reml(null), gibbs({}), rhat(null), lmm({ response }, data): typed errors naming the argument", async () => {
    expect(typed(() => reml(null as never), "INVALID_ARGUMENT").message).toContain(
      "`model` must be a linear mixed model",
    );
    expect(typed(() => gibbsSync({} as never), "INVALID_ARGUMENT").message).toContain(
      "`model` must be a linear mixed model",
    );
    await expect(gibbs({} as never)).rejects.toBeInstanceOf(ArgumentError);
    expect(typed(() => rhat(null as never), "INVALID_ARGUMENT").message).toContain("`x` must be draws");
    expect(
      typed(() => lmm({ response: "Reaction" } as never, SLEEP as never), "INVALID_ARGUMENT").message,
    ).toContain("`formula` must be formula text or a FormulaSpec");
  });
  it("gibbs(m, { iter: 1e9 }) is refused up front with the size, not 'Array buffer allocation failed'", async () => {
    const e = typed(() => gibbsSync(model, { iter: 1e9 }), "INVALID_ARGUMENT");
    expect(e.message).toMatch(
      /4 chains × 1,000,000,000 draws × 6 parameters = 24,000,000,000 numbers \(192 GB\)/,
    );
    await expect(gibbs(model, { iter: 1e9 })).rejects.toThrow(/more than one array can hold/);
  });
  it("invalid parallel ('yes', -1, {}), init (5, 'x') and signal ('x', {}) are refused", async () => {
    for (const options of [
      { parallel: "yes" },
      { parallel: -1 },
      { parallel: {} },
      { init: 5 },
      { init: "x" },
      { signal: "x" },
      { signal: {} },
    ])
      await expect(gibbs(model, { iter: 10, warmup: 0, ...(options as object) })).rejects.toThrow(
        /`options\.(parallel|init|signal)`/,
      );
  });
  it("a draws CSV with a truncated last iteration is a DataError through the API too", () => {
    const text = ".chain,.iteration,mu\n1,1,0.1\n2,1,0.2\n1,2,0.3\n";
    expect(() => parseDrawsCsv(text)).toThrow(DataError);
    expect(() => parseDrawsCsv(text)).toThrow(/cut short/);
  });
  it("the cases above leave no temporary file behind", () => {
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(readFileSync(join(dir, "bom.json"), "utf8").startsWith("\ufeff")).toBe(true);
  });
});
