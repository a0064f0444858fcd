/**
 * Parameter names: the one place where a structured name (what a number is) is written as text and
 * read back. CLI.md fixes the text:
 *
 *     beta[COLNAME]            a fixed effect                       { kind: "beta", coefficient }
 *     sigma2                   the residual variance                { kind: "sigma2" }
 *     sigma2[GROUP][LEVEL]     varIdent: a level's residual variance (sigma2 is the first level's; read back as "other")
 *     phi                      AR(1) residuals: the correlation of consecutive rows (read back as "other")
 *     Psi[GROUP][ROW,COLUMN]   an entry of a factor's covariance    { kind: "Psi", group, row, column }
 *     b[GROUP][LEVEL,NAME]     a random effect                      { kind: "b", group, level, coefficient }
 *
 * and the quantities derived per draw from them (summaries, the comparison with REML):
 *
 *     sigma                    sqrt(sigma2)                         { kind: "sigma" }
 *     sd[GROUP][NAME]          sqrt(Psi[GROUP][NAME,NAME])          { kind: "sd", group, coefficient }
 *     cor[GROUP][ROW,COLUMN]   a correlation                        { kind: "cor", group, row, column }
 *
 * Producers (the sampler's layout, summaries, the comparison, pictures) build the structured form and
 * call `formatParameterName`; consumers that only have text (a draws CSV) call `parseParameterName`.
 */
import { checkObjectArgument, checkStringArgument } from "../validate";

/** What a parameter is, in parts. */
export type ParameterName =
  | { readonly kind: "beta"; readonly coefficient: string }
  | { readonly kind: "sigma2" }
  | { readonly kind: "sigma" }
  | { readonly kind: "Psi"; readonly group: string; readonly row: string; readonly column: string }
  | { readonly kind: "sd"; readonly group: string; readonly coefficient: string }
  | { readonly kind: "cor"; readonly group: string; readonly row: string; readonly column: string }
  | {
      readonly kind: "b";
      readonly group: string;
      readonly level: string;
      readonly coefficient: string;
    }
  /** Any other name (a draws CSV may hold anything): kept as it is. */
  | { readonly kind: "other"; readonly text: string };

/** The kinds of `ParameterName`. */
export type ParameterKind = ParameterName["kind"];

/**
 * The text of a parameter name (CLI.md).
 *
 * @example formatParameterName({ kind: "Psi", group: "Subject", row: "(Intercept)", column: "Days" }) // "Psi[Subject][(Intercept),Days]"
 */
export function formatParameterName(p: ParameterName): string {
  checkObjectArgument(p, "p", "a parameter name { kind, ... } (parseParameterName(text))", ["kind"]);
  switch (p.kind) {
    case "beta":
      return betaName(p.coefficient);
    case "sigma2":
      return "sigma2";
    case "sigma":
      return "sigma";
    case "Psi":
      return psiName(p.group, p.row, p.column);
    case "sd":
      return `sd[${p.group}][${p.coefficient}]`;
    case "cor":
      return `cor[${p.group}][${p.row},${p.column}]`;
    case "b":
      return randomEffectName(p.group, p.level, p.coefficient);
    case "other":
      return p.text;
  }
}

/** `beta[COLNAME]`. */
export function betaName(coefficient: string): string {
  checkStringArgument(coefficient, "coefficient", "a column name");
  return `beta[${coefficient}]`;
}

/** `phi`: the AR(1) residuals' correlation between a row and its chain's previous row one time step earlier. */
export const AR1_PHI_NAME = "phi";

/** `sigma2[GROUP][LEVEL]`: the residual variance of one level of a varIdent factor (not its first). */
export function residualVarianceName(group: string, level: string): string {
  checkStringArgument(group, "group", "a column name");
  checkStringArgument(level, "level", "a level");
  return `sigma2[${group}][${level}]`;
}

/** `Psi[GROUP][ROW,COLUMN]`. */
export function psiName(group: string, row: string, column: string): string {
  checkStringArgument(group, "group", "a grouping factor name");
  checkStringArgument(row, "row", "a column name");
  checkStringArgument(column, "column", "a column name");
  return `Psi[${group}][${row},${column}]`;
}

/** `b[GROUP][LEVEL,NAME]`. */
export function randomEffectName(group: string, level: string, coefficient: string): string {
  checkStringArgument(group, "group", "a grouping factor name");
  checkStringArgument(level, "level", "a level name");
  checkStringArgument(coefficient, "coefficient", "a column name");
  return `b[${group}][${level},${coefficient}]`;
}

/**
 * The parts of a parameter name (the inverse of `formatParameterName`). In `Psi[g][a,b]`,
 * `cor[g][a,b]` and `b[g][level,name]` the pair is split at the last comma, so a level may contain
 * commas; `knownCoefficients` (the factor's column names), when given, settles column names that
 * themselves contain a comma. A name of no known form is `{ kind: "other" }`.
 *
 * @example parseParameterName("b[Subject][308,Days]") // { kind: "b", group: "Subject", level: "308", coefficient: "Days" }
 */
export function parseParameterName(text: string, knownCoefficients?: readonly string[]): ParameterName {
  checkStringArgument(text, "text", "a parameter name");
  if (text === "sigma2") return { kind: "sigma2" };
  if (text === "sigma") return { kind: "sigma" };
  const other = { kind: "other", text } as const;
  const open = text.indexOf("[");
  if (open < 0 || !text.endsWith("]")) return other;
  const head = text.slice(0, open);
  if (head === "beta") return { kind: "beta", coefficient: text.slice(open + 1, -1) };
  if (head !== "Psi" && head !== "b" && head !== "sd" && head !== "cor") return other;
  const close = text.indexOf("][", open);
  if (close < 0) return other;
  const group = text.slice(open + 1, close);
  const inner = text.slice(close + 2, -1);
  if (head === "sd") return { kind: "sd", group, coefficient: inner };
  const pair = splitPair(inner, knownCoefficients);
  if (pair === null) return other;
  const [first, second] = pair;
  if (head === "b") return { kind: "b", group, level: first, coefficient: second };
  return { kind: head, group, row: first, column: second };
}

function splitPair(inner: string, known: readonly string[] | undefined): [string, string] | null {
  if (known !== undefined)
    for (const k of known) if (inner.endsWith(`,${k}`)) return [inner.slice(0, -k.length - 1), k];
  const cut = inner.lastIndexOf(",");
  return cut < 0 ? null : [inner.slice(0, cut), inner.slice(cut + 1)];
}

/** Whether a parameter is a variance (sigma2 or a diagonal entry of a Psi), so bounded below by 0. */
export function isVariance(name: string): boolean {
  checkStringArgument(name, "name", "a parameter name");
  const p = parseParameterName(name);
  return p.kind === "sigma2" || (p.kind === "Psi" && p.row === p.column);
}

/** The parameters that summaries show by default: all but the random effects. */
export function isPopulationParameter(name: string): boolean {
  checkStringArgument(name, "name", "a parameter name");
  return parseParameterName(name).kind !== "b";
}
