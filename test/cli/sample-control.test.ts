/**
 * `bayes-lmm sample`'s run controls (issue 17): --until-rhat / --until-ess / --until-ranef /
 * --max-iter / --max-seconds, --checkpoint / --checkpoint-every / --resume, and SIGINT / SIGTERM —
 * the interrupts on the real executable, spawned (from sources, through tsx), and signalled.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run";
import { type CliResult, cli } from "../helpers/cli";
import { dataPath } from "../helpers/fixtures";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "bayes-lmm-sample-control-"));
const sleep = dataPath("sleepstudy");
const SLOPE = "Reaction ~ Days + (Days | Subject)";
const INTERCEPT = "Reaction ~ Days + (1 | Subject)";

/** The CLI in-process with standard error a terminal (the check lines are drawn there only). */
async function cliOnTerminal(...argv: string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const status = await runCli(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    stderrIsTTY: true,
  });
  return { status, stdout, stderr };
}

interface Spawned {
  status: number | null;
  stderr: string;
  /** Milliseconds from the signal to the process's exit (NaN when no signal was sent). */
  afterSignal: number;
}

/**
 * Runs the executable; once `ready()` holds (polled every 20 ms) sends `signal`, and resolves when it exits.
 */
function runAndSignal(
  args: readonly string[],
  signal: NodeJS.Signals | null,
  ready: () => boolean,
): Promise<Spawned> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), ...args], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    let stderr = "";
    let sentAt = Number.NaN;
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const poll =
      signal === null
        ? undefined
        : setInterval(() => {
            if (Number.isNaN(sentAt) && ready()) {
              sentAt = performance.now();
              child.kill(signal);
            }
          }, 20);
    // Never leave a process behind: a run the signal failed to stop is killed.
    const guard = setTimeout(() => child.kill("SIGKILL"), 45_000);
    child.on("close", (status) => {
      clearTimeout(guard);
      if (poll !== undefined) clearInterval(poll);
      resolve({ status, stderr, afterSignal: performance.now() - sentAt });
    });
  });
}

describe("sample --until-*", () => {
  it("extends the chains until the target is met and says so (text and JSON)", async () => {
    const args = [
      "sample",
      "--data",
      sleep,
      "--formula",
      SLOPE,
      "--iter",
      "150",
      "--warmup",
      "100",
      "--seed",
      "3",
    ];
    const r = await cliOnTerminal(...args, "--until-rhat", "1.01", "--until-ess", "400", "--json");
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      iter: number;
      target_met: boolean;
      target: { reason: string; checks: number };
    };
    expect(doc.target_met).toBe(true);
    expect(doc.target.reason).toBe("met");
    expect(doc.iter).toBeGreaterThan(150);
    expect(doc.iter % 150).toBe(0); // batches of --iter draws
    const checks = r.stderr
      .split(new RegExp(`\n|\r${String.fromCharCode(27)}\\[2K`))
      .filter((l) => l.startsWith("bayes-lmm: target ("));
    expect(checks.length).toBe(doc.target.checks);
    expect(checks.at(-1)).toMatch(/: met$/);
    expect(checks[0]).toMatch(/not met; going on to 300 draws per chain/);
    const text = await cli(...args, "--until-rhat", "1.01", "--until-ess", "400", "--quiet");
    expect(text.stdout).toMatch(/^target: met \(R-hat <= 1\.01, bulk ESS >= 400, tail ESS >= 400\)/m);
    expect(text.stderr).toBe(""); // not a terminal: no check lines
  }, 60_000);

  it("--max-iter and --until-ranef: stops at the limit, not met, random effects checked", async () => {
    const r = await cli(
      "sample",
      "--data",
      sleep,
      "--formula",
      INTERCEPT,
      "--iter",
      "50",
      "--warmup",
      "20",
      "--chains",
      "2",
      "--until-ess",
      "100000",
      "--until-ranef",
      "--max-iter",
      "100",
      "--json",
      "--ranef",
    );
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      iter: number;
      target_met: boolean;
      target: { reason: string; random_effects: boolean };
    };
    expect(doc).toMatchObject({
      iter: 100,
      target_met: false,
      target: { reason: "max-iter", random_effects: true },
    });
  }, 60_000);

  it("--max-seconds ends a run whose target is out of reach, with what it has", async () => {
    const r = await cli(
      "sample",
      "--data",
      sleep,
      "--formula",
      INTERCEPT,
      "--iter",
      "1000",
      "--warmup",
      "20",
      "--chains",
      "2",
      "--until-ess",
      "1000000000",
      "--max-iter",
      "10000000",
      "--max-seconds",
      "0.5",
      "--json",
    );
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { target_met: boolean; seconds: number; target: { reason: string } };
    expect(doc.target_met).toBe(false);
    expect(doc.target.reason).toBe("max-seconds");
    expect(doc.seconds).toBeLessThan(3);
  }, 60_000);

  it("bad control flags are bad input (exit 2, one line naming the flag)", async () => {
    const base = ["sample", "--data", sleep, "--formula", INTERCEPT];
    const cases: [string[], RegExp][] = [
      [["--max-seconds", "5"], /--max-seconds.*goes with a target/],
      [["--until-ranef"], /--until-ranef.*goes with a target/],
      [["--until-rhat", "0.5"], /--until-rhat/],
      [["--until-ess", "x"], /--until-ess/],
      [["--until-ess", "10", "--max-iter", "3"], /--max-iter/],
      [["--checkpoint-every", "5"], /--checkpoint-every.*goes with --checkpoint/],
      [["--checkpoint", join(dir, "no-such-folder", "c.json")], /checkpoint file/],
      [["--resume", join(dir, "missing.json")], /--iter|--data|--formula/],
    ];
    for (const [extra, message] of cases) {
      const r = await cli(...base, ...extra);
      expect(r.status, extra.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    const missing = await cli("sample", "--resume", join(dir, "missing.json"));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read checkpoint file .*missing\.json.*no such file/);
    const notOne = await cli("sample", "--resume", sleep);
    expect(notOne.status).toBe(2);
    expect(notOne.stderr).toMatch(/not JSON/);
  }, 60_000);
});

describe("sample --checkpoint / --resume and interrupts", () => {
  const args = (name: string) => [
    "sample",
    "--data",
    sleep,
    "--formula",
    SLOPE,
    "--iter",
    "1000",
    "--thin",
    "100",
    "--warmup",
    "200",
    "--seed",
    "17",
    "--draws",
    join(dir, `${name}.csv`),
    "--quiet",
  ];

  it("SIGINT stops within a second, keeps complete rows that diagnose reads; --resume then gives the uninterrupted draws byte for byte", async () => {
    const checkpoint = join(dir, "run.ckpt");
    const interrupted = await runAndSignal(
      [...args("resumed"), "--checkpoint", checkpoint, "--checkpoint-every", "0.1"],
      "SIGINT",
      // Signalled soon after the first checkpoint (sampling has begun): 100,200 iterations per chain
      // take several seconds even on an idle machine, so the run cannot end before the signal.
      sampling(checkpoint, 800),
    );
    expect(interrupted.status).toBe(130);
    expect(interrupted.afterSignal).toBeLessThan(1000);
    expect(interrupted.stderr).toMatch(
      /interrupted by SIGINT after [\d,]+ of 100,200 iterations per chain: 4 chains × [\d,]+ draws? \(complete iterations only\) written to .*resumed\.csv.*checkpoint written to/,
    );
    // The partial draws file reads back.
    const partial = await cli("diagnose", "--draws", join(dir, "resumed.csv"), "--json");
    expect(partial.status).toBe(0);
    const kept = Number(/4 chains × ([\d,]+) draws?/.exec(interrupted.stderr)![1]!.replace(/,/g, ""));
    const lines = readFileSync(join(dir, "resumed.csv"), "utf8").trimEnd().split("\n");
    expect(lines.length).toBe(1 + 4 * kept);
    // Resumed: the draws of a run never stopped.
    const resumed = await cli("sample", "--resume", checkpoint);
    expect(resumed.status, resumed.stderr).toBe(0);
    const whole = await cli(...args("whole"));
    expect(whole.status).toBe(0);
    const a = readFileSync(join(dir, "resumed.csv"));
    const b = readFileSync(join(dir, "whole.csv"));
    expect(a.length).toBe(b.length);
    expect(a.equals(b)).toBe(true);
    expect(resumed.stdout.split("\n").slice(4)).toEqual(whole.stdout.split("\n").slice(4)); // the summary, after the timed header
  }, 120_000);

  it("SIGTERM: exit 143, no temporary file left, the draws file reads back", async () => {
    const draws = join(dir, "term.csv");
    const checkpoint = join(dir, "term.ckpt");
    const r = await runAndSignal(
      [
        "sample",
        "--data",
        sleep,
        "--formula",
        INTERCEPT,
        "--iter",
        "1000000",
        "--thin",
        "10",
        "--warmup",
        "50",
        "--draws",
        draws,
        "--checkpoint",
        checkpoint,
        "--checkpoint-every",
        "0.1",
        "--quiet",
      ],
      "SIGTERM",
      sampling(checkpoint, 1000),
    );
    expect(r.status).toBe(143);
    expect(r.afterSignal).toBeLessThan(1000);
    expect(r.stderr).toMatch(/interrupted by SIGTERM/);
    const back = await cli("diagnose", "--draws", draws);
    expect(back.status).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  }, 60_000);
});

/** A readiness test: the first checkpoint was written (sampling has begun) at least `ms` ago. */
function sampling(checkpoint: string, ms: number): () => boolean {
  let seen = Number.NaN;
  return () => {
    if (Number.isNaN(seen) && existsSync(checkpoint)) seen = performance.now();
    return performance.now() - seen > ms;
  };
}
