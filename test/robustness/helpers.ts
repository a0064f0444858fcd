/**
 * Shared by the robustness tests: sleepstudy and variants of it (scaled, shifted, perfect fits) as
 * rows and as CSV files, and the CLI contract as an assertion.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { readCsvFile } from "../../src/node/data-file";
import type { CliResult } from "../helpers/cli";
import { dataPath } from "../helpers/fixtures";

/** A fresh temporary folder for one test file. */
export function scratch(name: string): string {
  return mkdtempSync(join(tmpdir(), `bayes-lmm-${name}-`));
}

export type SleepRow = { Reaction: number; Days: number; Subject: string };

/** sleepstudy's 180 rows. */
export const SLEEP: readonly SleepRow[] = (() => {
  const t = readCsvFile(dataPath("sleepstudy"));
  const r = t.column("Reaction");
  const d = t.column("Days");
  const s = t.column("Subject");
  if (r?.type !== "numeric" || d?.type !== "numeric") throw new Error("sleepstudy columns");
  const subjects =
    s?.type === "numeric"
      ? Array.from(s.values, String)
      : (s as { values: readonly (string | null)[] }).values.map(String);
  return Array.from(r.values, (v, i) => ({ Reaction: v, Days: d.values[i]!, Subject: subjects[i]! }));
})();

export const SLEEP_FORMULA = "Reaction ~ Days + (Days | Subject)";

/** Rows as CSV text (numbers in shortest round-trip form). */
export function toCsv(rows: readonly Readonly<Record<string, number | string>>[]): string {
  const names = Object.keys(rows[0]!);
  return `${names.join(",")}\n${rows.map((r) => names.map((n) => String(r[n])).join(",")).join("\n")}\n`;
}

/** Writes `rows` as a CSV file in `dir` and returns its path. */
export function writeCsv(
  dir: string,
  name: string,
  rows: readonly Readonly<Record<string, number | string>>[],
): string {
  const path = join(dir, name);
  writeFileSync(path, toCsv(rows));
  return path;
}

/** sleepstudy with the response and Days transformed. */
export function sleepVariant(
  reaction: (v: number) => number,
  days: (v: number) => number = (v) => v,
): SleepRow[] {
  return SLEEP.map((r) => ({ Reaction: reaction(r.Reaction), Days: days(r.Days), Subject: r.Subject }));
}

/**
 * The CLI contract for bad input: exit 2, nothing on stdout, exactly one line on stderr that
 * starts with "bayes-lmm: " and holds `needle`, no stack trace, no internal "the run failed".
 */
export function expectBadInput(r: CliResult, needle?: string | RegExp): void {
  const lines = r.stderr.split("\n").filter((l) => l.length > 0);
  expect({ status: r.status, stdout: r.stdout, lines: lines.length }, r.stderr).toEqual({
    status: 2,
    stdout: "",
    lines: 1,
  });
  expect(lines[0]).toMatch(/^bayes-lmm: /);
  expect(r.stderr).not.toMatch(/\n\s+at |the run failed|TypeError|RangeError/);
  if (needle !== undefined) expect(lines[0]).toMatch(needle);
}
