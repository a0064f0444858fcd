/**
 * The `bayes-lmm` command line, as a function tests can call: parses the subcommand and its flags, runs it, and maps failures to
 * exit statuses (CLI.md): 0 success, 1 the run failed, 2 bad input — with one line on standard
 * error naming what is wrong, never a stack trace (set BAYES_LMM_DEBUG=1 to see one).
 */
import { parseArgs } from "node:util";
import pkg from "../../package.json" with { type: "json" };
import { ArgumentError, LmmError } from "../errors";
import type { CliIO, Command } from "./command";
import { commands } from "./commands/index";

const NAME = "bayes-lmm";

function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const list = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n");
  return `${NAME} ${pkg.version} — Bayesian linear mixed-effects models

Usage: ${NAME} <command> [flags]

Commands:
${list}

Flags:
  --help, -h     show help (also: ${NAME} <command> --help)
  --version, -v  print the version

Exit status: 0 success, 1 the run failed, 2 bad input.
`;
}

/** Runs the CLI with `argv` (without `node` and the script) and returns the exit status. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === "--help" || first === "-h" || first === "help") {
      io.stdout(mainHelp());
      return first === undefined ? 2 : 0;
    }
    if (first === "--version" || first === "-v") {
      io.stdout(`${pkg.version}\n`);
      return 0;
    }
    const command: Command | undefined = commands.find((c) => c.name === first);
    if (command === undefined) {
      const known = commands.map((c) => c.name).join(", ");
      throw new ArgumentError("command", `must be one of ${known} (see \`${NAME} --help\`)`, first);
    }
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout(command.usage.endsWith("\n") ? command.usage : `${command.usage}\n`);
      return 0;
    }
    let flags: Record<string, string | boolean | undefined>;
    try {
      const parsed = parseArgs({
        args: joinNegativeValues(rest, command.options),
        options: command.options,
        strict: true,
        allowPositionals: false,
      });
      flags = parsed.values as Record<string, string | boolean | undefined>;
    } catch (error) {
      const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
      throw new ArgumentError(
        `${NAME} ${command.name}`,
        `got a flag it does not take (${message})`,
        rest.join(" "),
      );
    }
    await command.run(flags, io);
    return 0;
  } catch (error) {
    if (process.env["BAYES_LMM_DEBUG"])
      io.stderr(`${error instanceof Error ? (error.stack ?? "") : String(error)}\n`);
    const message = oneLine(error instanceof Error ? error.message : String(error));
    if (error instanceof LmmError) {
      io.stderr(`${NAME}: ${message}\n`);
      return error.code === "NUMERICAL" ? 1 : 2;
    }
    io.stderr(`${NAME}: the run failed: ${message}\n`);
    return 1;
  }
}

/**
 * `--seed -3` → `--seed=-3`: parseArgs reads a value that starts with `-` as another flag, but a
 * negative number after a flag that takes a value is that flag's value.
 */
function joinNegativeValues(args: readonly string[], options: Command["options"]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    const name = arg.startsWith("--") ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === "string" && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
