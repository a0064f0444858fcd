/**
 * The `bayes-lmm` command line, as a function tests can call: parses the subcommand and its flags, runs it, and maps failures to
 * exit statuses (CLI.md): 0 success, 1 the run failed, 2 bad input — with one line on standard
 * error naming what is wrong, never a stack trace (set BAYES_LMM_DEBUG=1 to see one).
 *
 * Warnings a command gives while it checks its input are held until it starts the long part of its
 * work (`io.startWork()`), so that bad input ends in exactly one line; a typed error after that is
 * a failed run (exit 1): the input was checked, the work itself failed (an output file that could
 * not be written after all, say).
 */
import pkg from "../../package.json" with { type: "json" };
import { closeNames } from "../data/suggest";
import { ArgumentError, LmmError } from "../errors";
import type { CliIO, Command, CommandIO } from "./command";
import { commands } from "./commands/index";
import { parseFlags } from "./flags";
import { progressLine, SILENT_PROGRESS } from "./progress";
import { InterruptedError } from "./sampling";

const NAME = "bayes-lmm";

function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const list = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n");
  return `${NAME} ${pkg.version} — Bayesian linear mixed-effects models

Usage: ${NAME} <command> [flags]

Commands:
${list}

Flags:
  --help, -h     show help (also: ${NAME} <command> --help, with an example)
  --version, -v  print the version

Example:
  ${NAME} sample --data sleepstudy.csv --formula "Reaction ~ Days + (Days | Subject)" --compare

Exit status: 0 success, 1 the run failed, 2 bad input (one line on standard error saying what).
`;
}

/** The command named `name`, or an error suggesting the closest names. */
function findCommand(name: string): Command {
  const command = commands.find((c) => c.name === name);
  if (command !== undefined) return command;
  const names = commands.map((c) => c.name);
  const close = closeNames(name.replace(/^-+/, ""), names, 2);
  const hint =
    close.length > 0
      ? `; did you mean \`${close.join("` or `")}\`?`
      : name.startsWith("-")
        ? `; the command comes first: \`${NAME} <command> [flags]\` (commands: ${names.join(", ")})`
        : ` (commands: ${names.join(", ")}; see \`${NAME} --help\`)`;
  throw new ArgumentError(name, `is not a command of ${NAME}${hint}`, name).withoutValue();
}

/** The IO a command runs with: warnings held until work starts, progress on a terminal. */
function commandIO(
  io: CliIO,
  quiet: boolean,
): CommandIO & { flush(): void; drop(): void; readonly started: boolean } {
  const held: string[] = [];
  let started = false;
  const warnLine = (message: string) => io.stderr(`${NAME}: warning: ${oneLine(message)}\n`);
  const now = io.now ?? (() => performance.now());
  return {
    stdout: io.stdout,
    stderr: io.stderr,
    stderrIsTTY: io.stderrIsTTY,
    now,
    warn(message) {
      if (started) warnLine(message);
      else held.push(message);
    },
    startWork() {
      started = true;
      this.flush();
    },
    progress(label, unit = "iterations") {
      return io.stderrIsTTY && !quiet ? progressLine(label, unit, io.stderr, now) : SILENT_PROGRESS;
    },
    flush() {
      for (const w of held.splice(0)) warnLine(w);
    },
    drop() {
      held.length = 0;
    },
    get started() {
      return started;
    },
  };
}

/** Runs the CLI with `argv` (without `node` and the script) and returns the exit status. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let cio: ReturnType<typeof commandIO> | undefined;
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      io.stdout(mainHelp());
      io.stderr(
        `${NAME}: a command is required (${commands.map((c) => c.name).join(", ")}); see the usage above.\n`,
      );
      return 2;
    }
    if (first === "--help" || first === "-h" || first === "help") {
      io.stdout(mainHelp());
      return 0;
    }
    if (first === "--version" || first === "-v") {
      io.stdout(`${pkg.version}\n`);
      return 0;
    }
    const command = findCommand(first);
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout(command.usage.endsWith("\n") ? command.usage : `${command.usage}\n`);
      return 0;
    }
    const flags = parseFlags(rest, command.options, `${NAME} ${command.name}`);
    cio = commandIO(io, flags["quiet"] === true);
    await command.run(flags, cio);
    cio.flush();
    return 0;
  } catch (error) {
    if (process.env["BAYES_LMM_DEBUG"])
      io.stderr(`${error instanceof Error ? (error.stack ?? "") : String(error)}\n`);
    // Bad input is found before the work starts; what fails after it is the run (exit 1).
    const status =
      error instanceof InterruptedError
        ? error.exitStatus
        : error instanceof LmmError && error.code !== "NUMERICAL" && cio?.started !== true
          ? 2
          : 1;
    if (status === 2) cio?.drop();
    else cio?.flush();
    io.stderr(`${NAME}: ${failureMessage(error)}\n`);
    return status;
  }
}

/** The one line printed for a failure. */
function failureMessage(error: unknown): string {
  const message = oneLine(error instanceof Error ? error.message : String(error));
  if (error instanceof LmmError) return message;
  if (
    error instanceof RangeError &&
    /allocation failed|Invalid typed array length|Invalid array length/i.test(message)
  )
    return `the run failed: it needs more memory than this process can have (${message}); ask for fewer draws, chains or parameters.`;
  return `the run failed: ${message}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
