/**
 * Diagnostic warnings are returned values, never console output (STYLE.md §7): each names the
 * parameter and the measure, carries the value and the threshold it crossed, and a message that says
 * what to do.
 */

/** What a warning is about. */
export type DiagnosticWarningKind =
  /** R-hat above its threshold (1.01): the chains disagree. */
  | "rhat"
  /** Bulk ESS below 100 per chain: means and medians are not yet reliable. */
  | "ess_bulk"
  /** Tail ESS below 100 per chain: the 5% and 95% quantiles are not yet reliable. */
  | "ess_tail"
  /** An ESS estimate was capped at S·log10(S) (posterior's cap, for strongly antithetic chains). */
  | "ess_capped";

/** One warning about one parameter's draws. */
export interface DiagnosticWarning {
  readonly kind: DiagnosticWarningKind;
  /** The parameter's name (undefined for anonymous draws). */
  readonly parameter: string | undefined;
  /** The measure concerned, e.g. `rhat`, `ess_bulk`, `ess_q5`. */
  readonly measure: string;
  /** The measure's value. */
  readonly value: number;
  /** The threshold it crossed (the cap itself for `ess_capped`). */
  readonly threshold: number;
  /** One line for people. */
  readonly message: string;
}

/** Default thresholds of the convergence warnings (Vehtari et al. 2021, §4.4). */
export const WARNING_THRESHOLDS = {
  /** R-hat above this warns. */
  rhat: 1.01,
  /** Bulk or tail ESS below this many per chain warns. */
  essPerChain: 100,
} as const;

function named(parameter: string | undefined): string {
  return parameter === undefined ? "the draws" : `\`${parameter}\``;
}

function round(value: number, digits: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(digits))) : String(value);
}

/**
 * `value` with at least `digits` significant digits and as many more as it takes for the text to be
 * on the same side of `threshold` as the value is (so a message never reads "is 1.01, above 1.01").
 *
 * @example beyond(1.01004, 1.01, 4) // "1.01004"
 */
export function beyond(value: number, threshold: number, digits: number): string {
  if (!Number.isFinite(value) || value === threshold) return round(value, digits);
  for (let d = digits; d <= 17; d++) {
    const shown = Number(value.toPrecision(d));
    if (value > threshold ? shown > threshold : shown < threshold) return String(shown);
  }
  return String(value);
}

/** The warning for an R-hat above `threshold`. */
export function rhatWarning(
  parameter: string | undefined,
  value: number,
  threshold: number,
): DiagnosticWarning {
  return {
    kind: "rhat",
    parameter,
    measure: "rhat",
    value,
    threshold,
    message: `R-hat of ${named(parameter)} is ${beyond(value, threshold, 4)}, above ${threshold}: the chains have not mixed; run longer chains (or reparametrize) before trusting the estimates.`,
  };
}

/** The warning for a bulk or tail ESS below `threshold`. */
export function essWarning(
  kind: "ess_bulk" | "ess_tail",
  parameter: string | undefined,
  value: number,
  threshold: number,
  chains: number,
): DiagnosticWarning {
  const what = kind === "ess_bulk" ? "Bulk ESS" : "Tail ESS";
  const unreliable = kind === "ess_bulk" ? "posterior means and medians" : "the 5% and 95% quantiles";
  return {
    kind,
    parameter,
    measure: kind,
    value,
    threshold,
    message: `${what} of ${named(parameter)} is ${beyond(value, threshold, 3)}, below ${threshold} (${round(threshold / chains, 6)} per chain × ${chains} chains): ${unreliable} are unreliable; run longer chains.`,
  };
}

/** The warning for an ESS estimate capped at S·log10(S). */
export function essCapWarning(
  parameter: string | undefined,
  measure: string,
  cap: number,
): DiagnosticWarning {
  return {
    kind: "ess_capped",
    parameter,
    measure,
    value: cap,
    threshold: cap,
    message: `The ESS (${measure}) of ${named(parameter)} has been capped at S·log10(S) = ${round(cap, 6)} to avoid unstable estimates (the chains are strongly antithetic).`,
  };
}

/** The warnings of one kind, counted, worst first. */
export interface WarningGroup {
  readonly kind: DiagnosticWarningKind;
  /** What they say, in words (e.g. "R-hat above 1.01"). */
  readonly title: string;
  readonly count: number;
  /** The warnings, worst first (highest R-hat, lowest ESS). */
  readonly warnings: readonly DiagnosticWarning[];
}

const KIND_ORDER: readonly DiagnosticWarningKind[] = ["rhat", "ess_bulk", "ess_tail", "ess_capped"];

/**
 * Warnings grouped by kind, for people: one group per kind with its count, the warnings sorted
 * worst first.
 *
 * @param warnings - e.g. `summarizeDraws(draws).warnings`
 * @returns groups in the order R-hat, bulk ESS, tail ESS, capped ESS (empty kinds left out)
 * @example groupWarnings(summary.warnings)[0] // { kind: "rhat", title: "R-hat above 1.01", count: 12, warnings: [...] }
 */
export function groupWarnings(warnings: readonly DiagnosticWarning[]): WarningGroup[] {
  return KIND_ORDER.flatMap((kind) => {
    const of = warnings.filter((w) => w.kind === kind);
    if (of.length === 0) return [];
    const sorted = [...of].sort((a, b) => (kind === "rhat" ? b.value - a.value : a.value - b.value));
    const threshold = sorted[0]!.threshold;
    const title =
      kind === "rhat"
        ? `R-hat above ${threshold}`
        : kind === "ess_bulk"
          ? `bulk ESS below ${threshold}`
          : kind === "ess_tail"
            ? `tail ESS below ${threshold}`
            : "ESS capped at S·log10(S)";
    return [{ kind, title, count: of.length, warnings: sorted }];
  });
}
