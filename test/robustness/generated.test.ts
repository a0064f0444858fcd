/**
 * The generated-input suite (issue 17): seeded fast-check runs over the command line (in-process,
 * test/helpers/cli.ts) and the public API, asserting the contract on every case —
 *
 * - bad input: exit 2, nothing on stdout, exactly one line on stderr (`bayes-lmm: ...`), no stack
 *   trace, no internal error (TypeError, RangeError, "Cannot read properties", "the run failed");
 * - a failed run: exit 1 with one line that is not an internal error;
 * - success: exit 0, and no NaN, Infinity or null as an answer (estimates, standard errors,
 *   variance components; diagnostics may be NA where posterior's are), warnings as
 *   `bayes-lmm: warning:` lines;
 * - no hang: every case ends, within 20 s;
 * - the API: a typed LmmError (with a known code and a message naming the argument) or a result.
 *
 * Cases: CLI_RUNS + API_RUNS generated (2,000 by default; BAYES_LMM_GENERATED_RUNS scales them) plus
 * every case of issue 18, listed. Seeded: the same cases every run (BAYES_LMM_GENERATED_SEED picks
 * another seed; a failure prints the seed and the shrunk case).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LmmError, type LmmErrorCode } from "../../src/errors";
import * as api from "../../src/index";
import { type CliResult, cli } from "../helpers/cli";
import { dataPath } from "../helpers/fixtures";
import { SLEEP, SLEEP_FORMULA, scratch } from "./helpers";
import { type Pools, writePools } from "./inputs";

const SCALE = Number(process.env["BAYES_LMM_GENERATED_RUNS"] ?? 2000) / 2000;
const CLI_RUNS = Math.max(1, Math.round(1400 * SCALE));
const API_RUNS = Math.max(1, Math.round(600 * SCALE));
const SEED = Number(process.env["BAYES_LMM_GENERATED_SEED"] ?? 20261202);
const CASE_LIMIT_MS = 20_000;

const INTERNAL =
  /\n\s+at |the run failed|TypeError|RangeError|ReferenceError|SyntaxError|Cannot read propert|is not a function|is not iterable|undefined is|\[object Object\]|Maximum call stack|Invalid typed array|allocation failed/;

let pools: Pools;
// Generated calls may name relative output files ("x" for a path): they land in a scratch folder,
// never in the checkout.
const startDirectory = process.cwd();
beforeAll(() => {
  pools = writePools();
  process.chdir(scratch("cwd"));
});
afterAll(() => {
  process.chdir(startDirectory);
});

/** Lines of stderr that are not warnings. */
function errorLines(r: CliResult): string[] {
  return r.stderr.split("\n").filter((l) => l.length > 0 && !l.startsWith("bayes-lmm: warning: "));
}

/** Numbers that are answers (estimates) in a JSON document: any null or non-number among them is a violation. */
function answersOf(command: string, doc: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  if (command === "sample" || command === "report") {
    for (const p of (doc["parameters"] as Record<string, unknown>[] | undefined) ?? [])
      out.push(p["mean"], p["sd"], p["q2.5"], p["q50"], p["q97.5"]);
  }
  if (command === "fit") {
    out.push(...Object.values(doc["fixef"] as object), ...Object.values(doc["se"] as object));
    out.push(
      ...(doc["vcov"] as number[][]).flat(),
      doc["sigma"],
      ...(doc["theta"] as number[]),
      doc["logLik"],
    );
    for (const row of doc["varcorr"] as { vcov: unknown; sdcor: unknown; var2: unknown }[])
      out.push(row.vcov, ...(row.var2 === null ? [row.sdcor] : []));
  }
  if (command === "diagnose")
    for (const p of doc["parameters"] as Record<string, unknown>[])
      out.push(typeof p["mean"] === "number" || p["mean"] === null ? 0 : p["mean"]);
  return out;
}

/** The CLI contract for one run (see the file comment). Returns a description of the violation, or null. */
function violation(argv: readonly string[], r: CliResult, ms: number): string | null {
  if (ms > CASE_LIMIT_MS) return `took ${Math.round(ms)} ms`;
  const errors = errorLines(r);
  if (r.stderr.split("\n").some((l) => l.length > 0 && !l.startsWith("bayes-lmm: ") && !l.startsWith("\r")))
    return "a stderr line without the bayes-lmm: prefix";
  if (INTERNAL.test(r.stderr)) return "an internal error on stderr";
  if (r.status === 2) {
    if (r.stdout !== "" && !(argv.length === 0 && r.stdout.includes("Usage")))
      return "exit 2 with output on stdout";
    if (r.stderr.split("\n").filter((l) => l.length > 0).length !== 1)
      return "exit 2 without exactly one stderr line";
    return null;
  }
  if (r.status === 1) return errors.length === 1 ? null : "exit 1 without exactly one error line";
  if (r.status !== 0) return `exit status ${r.status}`;
  if (errors.length > 0) return "exit 0 with an error line";
  const command = argv[0] ?? "";
  const help =
    ["help", "--help", "-h", "--version", "-v"].includes(command) ||
    argv.includes("--help") ||
    argv.includes("-h");
  const json = argv.includes("--json") && !help;
  if (json) {
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(r.stdout) as Record<string, unknown>;
    } catch {
      return "--json output that is not one JSON document";
    }
    if (answersOf(command, doc).some((v) => typeof v !== "number" || !Number.isFinite(v)))
      return "a null or non-finite answer in the JSON";
  } else {
    if (/\bNaN\b|\bInfinity\b|\bundefined\b/.test(r.stdout))
      return "NaN, Infinity or undefined in the output";
    if (command === "fit" && /\bNA\b|\bInf\b/.test(r.stdout.split("Optimizer:")[0] ?? ""))
      return "NA or Inf in the fitted values";
  }
  return null;
}

/** Exit statuses seen, by command: the suite must exercise good runs as well as bad input. */
const tally = new Map<string, number>();

async function checkCli(argv: readonly string[]): Promise<void> {
  const start = performance.now();
  const r = await cli(...argv);
  const key = `${argv[0] ?? ""} ${r.status}`;
  tally.set(key, (tally.get(key) ?? 0) + 1);
  if (process.env["BAYES_LMM_GENERATED_TALLY"] && r.status === 1) console.log(JSON.stringify(argv), r.stderr);
  const problem = violation(argv, r, performance.now() - start);
  if (problem !== null)
    throw new Error(
      `${problem}\n  argv: ${JSON.stringify(argv)}\n  status: ${r.status}\n  stderr: ${r.stderr.slice(0, 600)}\n  stdout: ${r.stdout.slice(0, 300)}`,
    );
}

/** A short description of a value for a failure message (big objects abbreviated). */
function brief(value: unknown, depth = 0): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (typeof value !== "object" || value === null)
    return typeof value === "bigint" ? `${value}n` : String(value);
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (depth > 1) return Array.isArray(value) ? `[…${value.length}]` : "{…}";
  if (Array.isArray(value))
    return `[${value
      .slice(0, 8)
      .map((v) => brief(v, depth + 1))
      .join(", ")}${value.length > 8 ? ", …" : ""}]`;
  const keys = Object.keys(value);
  return `{${keys
    .slice(0, 6)
    .map((k) => `${k}: ${brief((value as Record<string, unknown>)[k], depth + 1)}`)
    .join(", ")}${keys.length > 6 ? ", …" : ""}}`;
}

/** fast-check's report, with the counterexample abbreviated. */
function report<T>(out: fc.RunDetails<T>): void {
  if (!out.failed) return;
  const error = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
  throw new Error(
    `contract violated after ${out.numRuns} cases (seed ${out.seed}, path ${out.counterexamplePath}):\n  case: ${brief(out.counterexample)}\n  ${error}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Generators

let outCounter = 0;
/** A path for an output: fresh, a folder, in a missing folder, unwritable, empty, a file as a folder. */
function outputPath(kind: number): string {
  outCounter++;
  switch (kind) {
    case 0:
      return `${pools.dir}/out-${outCounter}.html`;
    case 1:
      return pools.dir;
    case 2:
      return `${pools.dir}/missing-folder/out.html`;
    case 3:
      return "/sys/out.html";
    case 4:
      return "";
    default:
      return `${pools.draws[0]}/inside.csv`;
  }
}

const NUMBERS = [
  "1",
  "2",
  "5",
  "20",
  "0",
  "-5",
  "x",
  "",
  "3.5",
  "1e3",
  "2147483647",
  "99999999999999999999",
  "-0",
  "+7",
  "0x10",
  " 4",
];
const SEEDS = ["1", "-3", "42", "9007199254740993", "abc", "1.5", ""];

/** Extra flags for a command: valid ones with odd values, misspelt ones, duplicates, stray arguments. */
function extraFlags(command: string): fc.Arbitrary<string[][]> {
  const sampling = [
    fc.constantFrom(...NUMBERS).map((v) => ["--iter", v]),
    fc.constantFrom("0", "1", "5", "10", "-1", "x", "2147483647").map((v) => ["--warmup", v]),
    fc.constantFrom("1", "2", "0", "2000", "x", "1025").map((v) => ["--chains", v]),
    fc.constantFrom("1", "2", "0", "1000000000", "x").map((v) => ["--thin", v]),
    fc.constantFrom(...SEEDS).map((v) => ["--seed", v]),
    fc.integer({ min: 0, max: 22 }).map((k) => ["--priors", pools.priors[k % pools.priors.length]!]),
  ];
  const common = [
    fc.constantFrom("--json", "--quiet", "--help", "-h").map((f) => [f]),
    fc
      .constantFrom("--dat", "--formla", "--iterations", "--jsno", "-x", "--", "--=", "stray", "--data=")
      .map((f) => [f]),
    fc.constantFrom("--data", "--formula").map((f) => [f]),
  ];
  const byCommand: Record<string, fc.Arbitrary<string[]>[]> = {
    model: [],
    fit: [fc.constant(["--ml"]), fc.constant(["--compare"])],
    sample: [
      ...sampling,
      fc.integer({ min: 0, max: 5 }).map((k) => ["--draws", outputPath(k).replace(/\.html$/, ".csv")]),
      fc.constant(["--ranef"]),
      fc.constant(["--compare"]),
      // issue 17's run controls
      fc.constantFrom("1.01", "1", "0.9", "x", "1e400", "").map((v) => ["--until-rhat", v]),
      fc.constantFrom("50", "0", "-1", "x").map((v) => ["--until-ess", v]),
      fc.constantFrom("0", "0.5", "x").map((v) => ["--max-seconds", v]),
      fc.constantFrom("10", "100", "x").map((v) => ["--max-iter", v]),
      fc.constant(["--until-ranef"]),
      fc.integer({ min: 0, max: 5 }).map((k) => ["--checkpoint", outputPath(k).replace(/\.html$/, ".ckpt")]),
      fc.constantFrom("0", "1", "x").map((v) => ["--checkpoint-every", v]),
      fc
        .constantFrom(0, 1, 2)
        .map((k) => ["--resume", [pools.priors[0]!, pools.draws[0]!, outputPath(5)][k]!]),
    ],
    report: [
      ...sampling,
      fc.integer({ min: 0, max: 5 }).map((k) => ["--out", outputPath(k)]),
      fc.integer({ min: 0, max: 5 }).map((k) => ["--plots", outputPath(k).replace(/\.html$/, "")]),
      fc.constant(["--ml"]),
    ],
    diagnose: [],
    loo: [
      ...sampling,
      fc.constantFrom("rows", "Subject", "Nope", "").map((v) => ["--by", v]),
      fc.constantFrom("conditional", "marginal", "x").map((v) => ["--form", v]),
      fc.constant(["--marginal-likelihood"]),
    ],
  };
  const valid: Record<string, fc.Arbitrary<string[]>[]> = {
    sample: [
      fc.constantFrom("5", "20", "30").map((v) => ["--iter", v]),
      fc.constantFrom("1", "2").map((v) => ["--chains", v]),
      fc.constantFrom("1", "2").map((v) => ["--thin", v]),
      fc.constantFrom("1", "-3", "42").map((v) => ["--seed", v]),
      fc.constant(["--json"]),
      fc.constant(["--ranef"]),
      fc.integer({ min: 0, max: 3 }).map((k) => ["--priors", pools.priors[k]!]),
      fc.constant(null).map(() => ["--draws", outputPath(0).replace(/\.html$/, ".csv")]),
      fc.constant(["--until-ess", "50"]),
    ],
    report: [
      fc.constantFrom("5", "20").map((v) => ["--iter", v]),
      fc.constant(null).map(() => ["--plots", outputPath(0).replace(/\.html$/, "")]),
    ],
    fit: [fc.constant(["--json"]), fc.constant(["--ml"])],
    model: [fc.constant(["--json"])],
    diagnose: [fc.constant(["--json"])],
  };
  return fc.oneof(
    { arbitrary: fc.constant<string[][]>([]), weight: 3 },
    {
      arbitrary: fc.array(fc.oneof(...(valid[command] ?? [fc.constant(["--json"])])), { maxLength: 3 }),
      weight: 4,
    },
    {
      arbitrary: fc.array(fc.oneof(...[...(byCommand[command] ?? []), ...common]), {
        minLength: 1,
        maxLength: 3,
      }),
      weight: 4,
    },
  );
}

/** A formula: usually one of the good ones meant for the data, sometimes any, sometimes mutated by a few character edits. */
function formulaArb(formulas: readonly string[], valid: number): fc.Arbitrary<string> {
  const edit = fc.record({
    kind: fc.constantFrom("delete", "insert", "duplicate"),
    at: fc.nat(),
    char: fc.constantFrom(...'()|~+*:/-^. 01xyzg"`|,#'),
  });
  const base = fc.oneof(
    { arbitrary: fc.constantFrom(...formulas.slice(0, Math.max(1, valid))), weight: 3 },
    { arbitrary: fc.constantFrom(...formulas), weight: 1 },
  );
  return fc
    .tuple(base, fc.array(edit, { minLength: 1, maxLength: 2 }), fc.nat({ max: 2 }))
    .map(([text0, edits, keep]) => {
      if (keep > 0) return text0;
      let text = text0;
      for (const e of edits) {
        const at = text.length === 0 ? 0 : e.at % text.length;
        if (e.kind === "delete") text = text.slice(0, at) + text.slice(at + 1);
        else if (e.kind === "insert") text = text.slice(0, at) + e.char + text.slice(at);
        else text = `${text} + ${text.split("~")[1] ?? ""}`;
      }
      return text;
    });
}

/** One generated command line. */
function argvArb(): fc.Arbitrary<string[]> {
  return fc
    .record({
      command: fc.oneof(
        { arbitrary: fc.constantFrom("model", "fit", "sample", "diagnose", "report"), weight: 20 },
        { arbitrary: fc.constant("loo"), weight: 2 },
        {
          arbitrary: fc.constantFrom("smaple", "fitt", "", "help", "--help", "-v", "--data", "Sample"),
          weight: 1,
        },
      ),
      data: fc.nat(),
      formulaSeed: fc.nat(),
      draws: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }),
      drop: fc.constantFrom(
        "none",
        "none",
        "none",
        "none",
        "none",
        "none",
        "none",
        "none",
        "data",
        "formula",
      ),
      small: fc.boolean(),
    })
    .chain((c) => {
      const good = pools.data.filter((d) => d.good);
      const data =
        c.data % 2 === 0
          ? good[(c.data >> 1) % good.length]!
          : pools.data[(c.data >> 1) % pools.data.length]!;
      return fc.tuple(
        fc.constant(c),
        fc.constant(data),
        formulaArb(data.formulas, data.valid),
        extraFlags(c.command),
      );
    })
    .map(([c, data, formula, extras]) => {
      const argv: string[] = [c.command];
      if (c.command === "diagnose") {
        for (const k of c.draws) argv.push("--draws", pools.draws[k % pools.draws.length]!);
      } else {
        if (c.drop !== "data") argv.push("--data", data.path);
        if (c.drop !== "formula") argv.push("--formula", formula);
        // keep most valid runs short: the suite is about answers, not long chains
        if ((c.small && c.command === "sample") || c.command === "report")
          argv.push("--iter", "30", "--warmup", "10");
        if (c.command === "report" && !extras.some((e) => e[0] === "--out"))
          argv.push("--out", outputPath(0));
      }
      for (const e of extras) argv.push(...e);
      return argv;
    });
}

// ---------------------------------------------------------------------------------------------
// Issue 18's cases, listed (the generated ones cover their neighbourhoods)

function issue18Cases(): string[][] {
  const d = (name: string) => pools.data.find((x) => x.name === name)!.path;
  const sleep = d("sleep");
  const f = SLEEP_FORMULA;
  const tiny = ["--iter", "20", "--warmup", "5", "--chains", "2"];
  return [
    [],
    ["report", "--data", sleep, "--formula", f, "--out", pools.dir],
    ["report", "--data", sleep, "--formula", f, "--out", "/sys/x.html"],
    ["report", "--data", sleep, "--formula", f, "--out", `${pools.dir}/r.html`, "--plots", pools.draws[0]!],
    ["report", "--data", sleep, "--formula", f, "--out", `${pools.dir}/r.html`, "--plots", ""],
    ["sample", "--data", sleep, "--formula", f, "--draws", "/sys/d.csv"],
    [
      "sample",
      "--data",
      d("sleep-aliased"),
      "--formula",
      "Reaction ~ Days + Days2 + (1 | Subject)",
      "--priors",
      pools.priors[9]!,
    ],
    ["sample", "--data", sleep, "--formula", f, "--iter", "2147483647"],
    ["sample", "--data", sleep, "--formula", f, "--thin", "1000000000"],
    ["sample", "--data", sleep, "--formula", f, "--priors", pools.priors[19]!],
    ["sample", "--data", sleep, "--formula", f, "--priors", pools.priors[1]!, ...tiny],
    ...[
      "days-1e-160",
      "days-1e160",
      "y-1e-300",
      "y-plus-1e17",
      "y-1e80",
      "y-1e-150",
      "y-1e-8",
      "y-plus-1e15",
    ].flatMap((name) => [
      ["fit", "--data", d(name), "--formula", f],
      ["fit", "--data", d(name), "--formula", f, "--json"],
      ["sample", "--data", d(name), "--formula", f, ...tiny, "--json"],
    ]),
    ["fit", "--data", d("perfect"), "--formula", "y ~ x + (1 | g)"],
    ["diagnose", "--draws", pools.draws[1]!],
    ["diagnose", "--draws", pools.draws[4]!, "--json"],
    ["model", "--data", d("sleep-early-quote"), "--formula", f],
  ];
}

describe("the generated-input suite: the CLI", () => {
  it("issue 18's cases keep the contract", async () => {
    for (const argv of issue18Cases()) await checkCli(argv);
  }, 120_000);

  it(`${CLI_RUNS} generated command lines keep the contract (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(argvArb(), (argv) => checkCli(argv)),
      {
        seed: SEED,
        numRuns: CLI_RUNS,
        endOnFailure: true,
        reporter: report,
      },
    );
    const count = (status: number) =>
      [...tally].filter(([k]) => k.endsWith(` ${status}`)).reduce((a, [, n]) => a + n, 0);
    if (process.env["BAYES_LMM_GENERATED_TALLY"]) console.log([...tally].sort());
    // Not only refusals: a fair share of the cases run and give answers that are checked.
    expect(count(0)).toBeGreaterThan(0.15 * CLI_RUNS);
    expect(count(2)).toBeGreaterThan(0.3 * CLI_RUNS);
    for (const command of ["model", "fit", "sample", "diagnose", "report", "loo"])
      expect(tally.get(`${command} 0`) ?? 0, command).toBeGreaterThan(0.01 * CLI_RUNS);
  }, 600_000);
});

// ---------------------------------------------------------------------------------------------
// The API

const CODES: readonly LmmErrorCode[] = [
  "INVALID_ARGUMENT",
  "FORMULA_SYNTAX",
  "UNKNOWN_COLUMN",
  "INVALID_DATA",
  "FILE",
  "INVALID_PRIOR",
  "NOT_POSITIVE_DEFINITE",
  "ABORTED",
  "NUMERICAL",
];

describe("the generated-input suite: the API", () => {
  const model = api.lmm(SLEEP_FORMULA, SLEEP as unknown as Record<string, unknown>[]);
  const fit = api.reml(model);
  const posterior = api.gibbsSync(model, { iter: 40, warmup: 10, chains: 2, seed: 3 });
  const draws = api.parseDrawsCsv(api.formatDrawsCsv(posterior));
  const odd: readonly unknown[] = [
    undefined,
    null,
    {},
    [],
    "x",
    "",
    0,
    -1,
    2.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    1e9,
    true,
    [1, 2, 3],
    [[1, 2], [3]],
    [[Number.NaN, 1]],
    new Float64Array(3),
    Buffer.from("a,b\n1,2\n"),
    { response: "Reaction" },
    { parameters: ["a"], chains: 1, iterations: 2, values: new Float64Array(1) },
    () => 1,
    Symbol.for("x"),
    10n,
  ];
  const good: readonly unknown[] = [
    model,
    fit,
    posterior,
    draws,
    SLEEP_FORMULA,
    "Reaction",
    [
      [1, 2, 3],
      [2, 3, 4],
    ],
    Float64Array.of(1, 2, 3, 4),
  ];
  const optionValue = fc.constantFrom<unknown>(
    ...odd,
    1,
    5,
    20,
    "auto",
    "joint",
    "by-factor",
    "draws",
    "summary",
    false,
    { sigma2: 1 },
    { sigma2: -1 },
    { psi: { Subject: 5 } },
    { psi: { Nope: 1 } },
    new AbortController().signal,
  );
  const optionsArb = fc.dictionary(
    fc.constantFrom(
      "iter",
      "warmup",
      "thin",
      "chains",
      "seed",
      "priors",
      "init",
      "strategy",
      "randomEffects",
      "parallel",
      "signal",
      "onProgress",
      "method",
      "start",
      "checkHessian",
      "maxIterations",
      "bogus",
    ),
    optionValue,
    { maxKeys: 3 },
  );
  const functions = Object.entries(api).filter(
    ([name, f]) => typeof f === "function" && !/^[A-Z]/.test(name),
  ) as [string, (...args: unknown[]) => unknown][];
  const argument = fc.oneof(
    { arbitrary: fc.constantFrom(...odd), weight: 3 },
    { arbitrary: fc.constantFrom(...good), weight: 2 },
    { arbitrary: optionsArb, weight: 1 },
  );

  it(`${API_RUNS} generated calls of the ${functions.length} public functions: a result or a typed error (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(argument, { maxLength: 3 }), async (k, args) => {
        const [name, f] = functions[k % functions.length]!;
        // gibbs with workers starts threads: the serial path is the same code
        const safe =
          name === "gibbs" || name === "gibbsSync"
            ? args.map((a) =>
                typeof a === "object" &&
                a !== null &&
                "parallel" in a &&
                (a as { parallel: unknown }).parallel === true
                  ? { ...a, parallel: false }
                  : a,
              )
            : args;
        let result: unknown;
        try {
          result = f(...safe);
          if (result instanceof Promise) result = await result;
        } catch (error) {
          if (!(error instanceof LmmError))
            throw new Error(`${name}(${safe.map((a) => brief(a)).join(", ")}) threw ${String(error)}`);
          expect(CODES).toContain(error.code);
          expect(error.message).not.toMatch(INTERNAL);
          expect(error.message.length).toBeGreaterThan(10);
        }
        return result !== Symbol.for("never");
      }),
      { seed: SEED, numRuns: API_RUNS, endOnFailure: true, reporter: report },
    );
  }, 600_000);

  it("issue 18's API cases", async () => {
    const typed = async (f: () => unknown) => {
      try {
        const r = f();
        if (r instanceof Promise) await r;
      } catch (error) {
        expect(error).toBeInstanceOf(LmmError);
        return;
      }
    };
    await typed(() => api.parseCsv(Buffer.from("a,b\n1,2\n")));
    const calls: (() => unknown)[] = [
      () => api.reml(null as never),
      () => api.gibbs({} as never),
      () => api.rhat(null as never),
      () => api.lmm({ response: "Reaction" } as never, SLEEP as never),
      () => api.gibbs(model, { iter: 1e9 }),
      () => api.gibbs(model, { parallel: "yes" as never }),
      () => api.gibbs(model, { parallel: -1 }),
      () => api.gibbs(model, { parallel: {} as never }),
      () => api.gibbs(model, { init: 5 as never }),
      () => api.gibbs(model, { init: "x" as never }),
      () => api.gibbs(model, { signal: "x" as never }),
      () => api.gibbs(model, { signal: {} as never }),
    ];
    for (const f of calls) await expect(Promise.resolve().then(f)).rejects.toBeInstanceOf(LmmError);
    expect(
      api.summarizeDraws(
        api.parseDrawsCsv(`.chain,.iteration,big\n1,1,1e307\n1,2,1.5e307\n2,1,1.2e307\n2,2,1.7e307\n`),
      ).rows[0]!.values["mean"],
    ).toBeCloseTo(1.35e307, -300);
    expect(dataPath("sleepstudy")).toContain("sleepstudy");
  });
});
