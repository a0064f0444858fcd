/**
 * What the command line says (issue 13's CLI part): did-you-mean for commands and flags, messages
 * that quote only what is wrong, a missing flag as missing, plurals, an example in every --help,
 * and the progress line (elapsed time, rate, ETA) on a terminal only, silenced by --quiet.
 */
import { describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/command";
import { commands } from "../../src/cli/commands/index";
import { formatDuration } from "../../src/cli/progress";
import { runCli } from "../../src/cli/run";
import { cli } from "../helpers/cli";
import { dataPath } from "../helpers/fixtures";

const sleep = dataPath("sleepstudy");
const formula = "Reaction ~ Days + (Days | Subject)";

function oneLine(r: { status: number; stdout: string; stderr: string }): string {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe("did you mean", () => {
  it("a misspelt command: `smaple` → sample", async () => {
    expect(oneLine(await cli("smaple"))).toBe(
      "bayes-lmm: invalid argument. `smaple` is not a command of bayes-lmm; did you mean `sample`?",
    );
  });
  it("a misspelt flag: `--dat` → --data, and the message does not echo the command line", async () => {
    const line = oneLine(await cli("sample", "--dat", sleep, "--formula", formula));
    expect(line).toBe(
      "bayes-lmm: invalid argument. `--dat` is not a flag of `bayes-lmm sample`; did you mean `--data`? (see `bayes-lmm sample --help`).",
    );
    expect(line).not.toContain(sleep);
    expect(oneLine(await cli("fit", "--data", sleep, "--formula", formula, "--jsno"))).toContain(
      "did you mean `--json`?",
    );
  });
  it("flags before the command: the command comes first", async () => {
    expect(oneLine(await cli("--data", sleep))).toContain("the command comes first");
  });
  it("nothing close: the list of commands", async () => {
    expect(oneLine(await cli("frobnicate"))).toContain(
      `(commands: ${commands.map((c) => c.name).join(", ")};`,
    );
  });
});

describe("messages quote only the offending value", () => {
  it('a missing flag reads as missing, without `Value: "missing"`', async () => {
    const line = oneLine(await cli("fit", "--data", sleep));
    expect(line).toBe("bayes-lmm: invalid argument. `--formula` is required.");
  });
  it("a flag without its value, or followed by another flag", async () => {
    expect(oneLine(await cli("model", "--data", sleep, "--formula"))).toContain("`--formula` needs a value");
    expect(oneLine(await cli("model", "--data", "--formula", formula))).toContain(
      "`--data` needs a value, but the next argument is the flag `--formula`",
    );
  });
  it("a switch given a value, a flag given twice, an argument that is not a flag", async () => {
    expect(oneLine(await cli("model", "--data", sleep, "--formula", formula, "--json=yes"))).toContain(
      '`--json` is a switch and takes no value. Value: `"yes"`',
    );
    expect(
      oneLine(await cli("sample", "--data", sleep, "--formula", formula, "--iter", "10", "--iter", "20")),
    ).toContain("`--iter` is given twice (`10` and `20`); give it once");
    expect(oneLine(await cli("model", sleep))).toContain("is not a flag: `bayes-lmm model` takes flags only");
  });
  it("an out-of-range number quotes that number", async () => {
    expect(oneLine(await cli("sample", "--data", sleep, "--formula", formula, "--chains", "0"))).toBe(
      'bayes-lmm: invalid argument. `--chains` must be an integer from 1 to 1,024. Value: `"0"`.',
    );
  });
});

describe("text", () => {
  it("1 chain, not 1 chains", async () => {
    const r = await cli(
      "sample",
      "--data",
      sleep,
      "--formula",
      formula,
      "--iter",
      "30",
      "--warmup",
      "10",
      "--chains",
      "1",
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("180 rows, 1 chain × 30 draws");
  });
  it("every command's --help ends with an example of it", async () => {
    for (const c of commands) {
      const r = await cli(c.name, "--help");
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`\\nExample:\\n  bayes-lmm ${c.name} --`));
    }
    expect((await cli("--help")).stdout).toContain("Example:\n  bayes-lmm sample --data");
  });
});

/** The CLI with standard error on a "terminal" and a clock that moves 150 ms per reading. */
async function onTerminal(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  let t = 0;
  const io: CliIO = {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    stderrIsTTY: true,
    now: () => (t += 150),
  };
  const status = await runCli(argv, io);
  return { status, stdout, stderr };
}

describe("the progress line", () => {
  it("sample on a terminal: percent, count, elapsed, rate and ETA, redrawn in place and erased at the end", async () => {
    const r = await onTerminal(
      "sample",
      "--data",
      sleep,
      "--formula",
      formula,
      "--iter",
      "2000",
      "--warmup",
      "200",
      "--chains",
      "2",
    );
    expect(r.status, r.stderr).toBe(0);
    const frames = r.stderr.split("\r\x1b[2K").filter((f) => f.startsWith("sampling"));
    expect(frames.length).toBeGreaterThan(3);
    expect(frames[1]).toMatch(
      /^sampling +\d+% +[\d,]+ \/ 4,400 iterations +elapsed \d+(\.\d)? s +[\d,.]+ it\/s +ETA \S+/,
    );
    expect(r.stderr.endsWith("\r\x1b[2K")).toBe(true); // nothing left on the line
    expect(r.stdout).not.toContain("\r");
  });
  it("fit shows the REML evaluations as they happen", async () => {
    const fit = await onTerminal("fit", "--data", sleep, "--formula", formula);
    expect(fit.stderr).toMatch(/fitting by REML +\d+ evaluations +elapsed/);
  });
  it("--quiet, or not a terminal: no progress at all", async () => {
    const quiet = await onTerminal(
      "sample",
      "--data",
      sleep,
      "--formula",
      formula,
      "--iter",
      "500",
      "--quiet",
    );
    expect(quiet.status).toBe(0);
    expect(quiet.stderr).not.toContain("sampling");
    const piped = await cli("sample", "--data", sleep, "--formula", formula, "--iter", "500");
    expect(piped.stderr).not.toContain("sampling");
  });
  it("durations read as people read them", () => {
    expect([formatDuration(8.25), formatDuration(42), formatDuration(185), formatDuration(3720)]).toEqual([
      "8.3 s",
      "42 s",
      "3 min 05 s",
      "1 h 02 min",
    ]);
  });
});
