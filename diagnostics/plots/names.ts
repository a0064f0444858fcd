/**
 * Reading the parameter names of CLI.md (`beta[Days]`, `sigma2`, `Psi[Subject][(Intercept),Days]`,
 * `b[Subject][308,Days]`) back into their parts, so that pictures can group parameters by kind
 * without knowing the model.
 */

/** A parameter name's parts. */
export type ParameterName =
  | { readonly kind: "beta"; readonly name: string; readonly coefficient: string }
  | { readonly kind: "sigma2"; readonly name: string }
  | {
      readonly kind: "Psi";
      readonly name: string;
      readonly group: string;
      readonly row: string;
      readonly column: string;
    }
  | {
      readonly kind: "b";
      readonly name: string;
      readonly group: string;
      readonly level: string;
      readonly coefficient: string;
    }
  | { readonly kind: "other"; readonly name: string };

/**
 * The parts of a parameter name. `Psi[g][a,b]` and `b[g][level,name]` are split at the last comma,
 * so a level may contain commas; `knownCoefficients` (the term's column names), when given, settles
 * names that themselves contain a comma.
 *
 * @example parseParameterName("b[Subject][308,Days]") // { kind: "b", group: "Subject", level: "308", coefficient: "Days", ... }
 */
export function parseParameterName(name: string, knownCoefficients?: readonly string[]): ParameterName {
  if (name === "sigma2") return { kind: "sigma2", name };
  const beta = /^beta\[(.*)\]$/s.exec(name); // s: a level may hold a line break
  if (beta !== null) return { kind: "beta", name, coefficient: beta[1] as string };
  const grouped = /^(Psi|b)\[([^\]]*)\]\[(.*)\]$/s.exec(name);
  if (grouped !== null) {
    const [first, second] = splitPair(grouped[3] as string, knownCoefficients);
    if (first === undefined || second === undefined) return { kind: "other", name };
    const group = grouped[2] as string;
    if (grouped[1] === "Psi") return { kind: "Psi", name, group, row: first, column: second };
    return { kind: "b", name, group, level: first, coefficient: second };
  }
  return { kind: "other", name };
}

function splitPair(inner: string, known: readonly string[] | undefined): [string?, string?] {
  if (known !== undefined)
    for (const k of known) if (inner.endsWith(`,${k}`)) return [inner.slice(0, -k.length - 1), k];
  const cut = inner.lastIndexOf(",");
  if (cut < 0) return [];
  return [inner.slice(0, cut), inner.slice(cut + 1)];
}

/** Whether a parameter is a variance (sigma2 or a diagonal element of a Psi), so bounded below by 0. */
export function isVariance(name: string): boolean {
  const p = parseParameterName(name);
  return p.kind === "sigma2" || (p.kind === "Psi" && p.row === p.column);
}

/** The parameters that summaries show by default: fixed effects, sigma2 and Psi (not random effects). */
export function isPopulationParameter(name: string): boolean {
  return parseParameterName(name).kind !== "b";
}
