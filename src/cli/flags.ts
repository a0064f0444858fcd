/**
 * Reading a subcommand's flags: `--name value`, `--name=value`, `--flag` (boolean), `-h`. Every
 * mistake is an `ArgumentError` that quotes only what is wrong — the flag or the value, never the
 * whole command line — and suggests the nearest flag the command takes (`--dat` → `--data`).
 *
 * Rules: a flag that takes a value gets the next argument, even when it starts with `-` if it is a
 * number (`--seed -3`) — otherwise a value that is itself one of the command's flags means the
 * value was forgotten (`--data --formula ...`). A boolean flag takes no value (`--json=yes` is an
 * error). A flag given twice is an error unless it is declared `multiple`. Arguments that are not
 * flags are errors (the commands take none).
 */

import { closeNames } from "../data/suggest";
import { ArgumentError } from "../errors";

/** How a command declares a flag (the shape of `node:util` parseArgs' options). */
export interface FlagSpec {
  readonly type: "string" | "boolean";
  readonly multiple?: boolean;
  readonly short?: string;
}

/** Flag values: a string, true, or the strings of a `multiple` flag; absent flags are absent. */
export type ParsedFlags = Record<string, string | boolean | string[]>;

/** `did you mean \`--data\`?` for an unknown flag, or "" when nothing is close. */
function suggestion(name: string, known: readonly string[]): string {
  const close = closeNames(name, known, 2);
  return close.length === 0 ? "" : `; did you mean ${close.map((c) => `\`--${c}\``).join(" or ")}?`;
}

/**
 * Parses a command's arguments.
 *
 * @param args - the arguments after the subcommand
 * @param options - the flags the command takes
 * @param command - e.g. "bayes-lmm sample", for the messages
 * @returns the values by flag name
 * @throws ArgumentError naming the flag or argument that is wrong
 * @example parseFlags(["--iter", "10", "--json"], { iter: { type: "string" }, json: { type: "boolean" } }, "x") // { iter: "10", json: true }
 */
export function parseFlags(
  args: readonly string[],
  options: Readonly<Record<string, FlagSpec>>,
  command: string,
): ParsedFlags {
  const known = Object.keys(options);
  const byShort = new Map<string, string>();
  for (const [name, spec] of Object.entries(options)) if (spec.short) byShort.set(spec.short, name);
  const help = `(see \`${command} --help\`)`;
  const out: ParsedFlags = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith("--") && arg.length > 2) {
      const eq = arg.indexOf("=");
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
    } else if (/^-[A-Za-z]$/.test(arg) && byShort.has(arg.slice(1))) {
      name = byShort.get(arg.slice(1))!;
    } else if (arg.startsWith("-") && arg.length > 1 && !/^-\d/.test(arg)) {
      const flag = arg.split("=")[0]!;
      throw new ArgumentError(
        flag,
        `is not a flag of \`${command}\`${suggestion(flag.replace(/^-+/, ""), known)} ${help}`,
        undefined,
      ).withoutValue();
    } else {
      throw new ArgumentError(
        arg,
        `is not a flag: \`${command}\` takes flags only, such as \`--data FILE\` ${help}`,
        undefined,
      ).withoutValue();
    }
    const spec = options[name];
    if (spec === undefined)
      throw new ArgumentError(
        `--${name}`,
        `is not a flag of \`${command}\`${suggestion(name, known)} ${help}`,
        undefined,
      ).withoutValue();
    let value: string | boolean;
    if (spec.type === "boolean") {
      if (inline !== undefined)
        throw new ArgumentError(`--${name}`, "is a switch and takes no value", inline);
      value = true;
    } else if (inline !== undefined) value = inline;
    else {
      const next = args[i + 1];
      if (next === undefined)
        throw new ArgumentError(`--${name}`, `needs a value ${help}`, undefined).withoutValue();
      if (next.startsWith("--")) {
        const other = next.slice(2).split("=")[0]!;
        if (other in options || other.length === 0)
          throw new ArgumentError(
            `--${name}`,
            `needs a value, but the next argument is the flag \`${next.split("=")[0]}\` ${help}`,
            undefined,
          ).withoutValue();
      }
      value = next;
      i++;
    }
    const before = out[name];
    if (spec.multiple) {
      const list = Array.isArray(before) ? before : [];
      list.push(String(value));
      out[name] = list;
    } else {
      if (before !== undefined)
        throw new ArgumentError(
          `--${name}`,
          `is given twice (${typeof before === "string" ? `\`${before}\` and \`${String(value)}\`` : "as a switch"}); give it once`,
          undefined,
        ).withoutValue();
      out[name] = value;
    }
  }
  return out;
}
