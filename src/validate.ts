/**
 * Argument checks at the public entry points: each public function calls one of these first, so a
 * wrong argument — `reml(null)`, `gibbs({})`, `parseCsv(buffer)` — is an `ArgumentError` naming the
 * argument and saying what it must be, not a `TypeError` from deep inside. They check the shape
 * (types, lengths, index ranges), which is cheap next to the work that follows; the numbers
 * themselves are checked where they are used (src/limits.ts, the priors, the data).
 *
 * This module imports no other (the design, model and draws modules all call it): it checks
 * shapes against the contracts in src/model/types.ts and src/draws/types.ts by name.
 */
import { ArgumentError } from "./errors";

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isStrings(value: unknown, length?: number): boolean {
  return (
    Array.isArray(value) &&
    (length === undefined || value.length === length) &&
    value.every((s) => typeof s === "string")
  );
}

/** A function that throws "`argument` WHAT, but its `part` REQUIREMENT" for a part of `value`. */
function partFailure(
  argument: string,
  what: string,
  value: Readonly<Record<string, unknown>>,
): (part: string, requirement: string) => never {
  return (part, requirement) => {
    throw new ArgumentError(
      argument,
      `${what}, but its \`${part}\` ${requirement}`,
      value[part],
    ).withoutValue();
  };
}

/**
 * Checks that `value` is an `LmmModel` (from `lmm(formula, data)` or built to its contract).
 *
 * @param value - the argument
 * @param argument - its name in messages
 * @throws ArgumentError naming the part that is missing or malformed
 * @example checkModelArgument(null, "model") // throws: `model` must be a linear mixed model from lmm(formula, data)
 */
export function checkModelArgument(value: unknown, argument = "model"): void {
  const what = "must be a linear mixed model from lmm(formula, data)";
  if (!isObject(value)) throw new ArgumentError(argument, what, value);
  const fail = partFailure(argument, what, value);
  const { n, p, y, X, terms, fixedNames, offset } = value;
  if (!isCount(n) || n === 0) fail("n", "is not a positive row count");
  if (!isCount(p)) fail("p", "is not a column count");
  // A model from sufficient statistics (src/model/stats.ts) has no rows: its arrays are empty.
  const rows = value["statistics"] === undefined ? (n as number) : 0;
  const cols = p as number;
  if (!(y instanceof Float64Array) || y.length !== rows)
    fail("y", `is not a Float64Array of n = ${rows} values`);
  if (!(X instanceof Float64Array) || X.length !== rows * cols)
    fail("X", `is not a Float64Array of n × p = ${rows * cols} values`);
  if (!isStrings(fixedNames, cols)) fail("fixedNames", `is not an array of p = ${cols} names`);
  if (offset !== null && offset !== undefined && !(offset instanceof Float64Array && offset.length === rows))
    fail("offset", `is neither null nor a Float64Array of n = ${rows} values`);
  if (typeof value["formula"] !== "string") fail("formula", "is not a string");
  if (typeof value["response"] !== "string") fail("response", "is not a string");
  if (!Array.isArray(terms)) fail("terms", "is not an array of random-effects terms");
  (terms as unknown[]).forEach((term, k) => {
    const part = `terms[${k}]`;
    if (!isObject(term)) fail(part, "is not a random-effects term");
    const t = term as Readonly<Record<string, unknown>>;
    const { q, m, refs, values, names, levels } = t;
    if (typeof t["group"] !== "string") fail(`${part}.group`, "is not a string");
    if (typeof t["label"] !== "string") fail(`${part}.label`, "is not a string");
    if (!isCount(q) || q === 0) fail(`${part}.q`, "is not a positive column count");
    if (!isCount(m) || m === 0) fail(`${part}.m`, "is not a positive level count");
    if (!isStrings(names, q as number)) fail(`${part}.names`, `is not an array of q = ${String(q)} names`);
    if (!isStrings(levels, m as number)) fail(`${part}.levels`, `is not an array of m = ${String(m)} levels`);
    if (!(values instanceof Float64Array) || values.length !== rows * (q as number))
      fail(`${part}.values`, `is not a Float64Array of n × q = ${rows * (q as number)} values`);
    if (!(refs instanceof Int32Array) || refs.length !== rows)
      fail(`${part}.refs`, `is not an Int32Array of n = ${rows} level indices`);
    const r = refs as Int32Array;
    for (let i = 0; i < rows; i++)
      if (!(r[i]! >= 0 && r[i]! < (m as number)))
        fail(`${part}.refs`, `has level index ${r[i]} in row ${i + 1}, outside 0..${(m as number) - 1}`);
  });
}

/**
 * Checks that `value` is `Draws` (parameters × chains × iterations in one Float64Array).
 *
 * @throws ArgumentError naming the part that is malformed
 */
export function checkDrawsArgument(value: unknown, argument = "draws"): void {
  const what =
    "must be draws { parameters, chains, iterations, values } (a Posterior, or parseDrawsCsv's result)";
  if (!isObject(value)) throw new ArgumentError(argument, what, value);
  const { parameters, chains, iterations, values } = value;
  const fail = partFailure(argument, what, value);
  if (!isStrings(parameters)) fail("parameters", "is not an array of names");
  if (!isCount(chains)) fail("chains", "is not a count");
  if (!isCount(iterations)) fail("iterations", "is not a count");
  const size = (parameters as string[]).length * (chains as number) * (iterations as number);
  if (!(values instanceof Float64Array) || values.length !== size)
    fail("values", `is not a Float64Array of parameters × chains × iterations = ${size} values`);
}

/**
 * Checks that `value` is a plain object (an options argument) or undefined.
 *
 * @throws ArgumentError naming the argument
 */
export function checkOptionsArgument(value: unknown, argument = "options"): void {
  if (value !== undefined && !isObject(value)) throw new ArgumentError(argument, "must be an object", value);
}

/** Whether `value` is an array or typed array of numbers. */
export function isNumberArray(value: unknown): value is ArrayLike<number> {
  if (ArrayBuffer.isView(value)) return !(value instanceof DataView);
  return Array.isArray(value) && value.every((v) => typeof v === "number");
}

/**
 * Checks one parameter's draws as the diagnostics take them: an array (or typed array) of numbers —
 * one chain — or an array of such arrays, one per chain.
 *
 * @throws ArgumentError naming the argument (and the chain that is not an array of numbers)
 */
export function checkChainsArgument(value: unknown, argument = "x"): void {
  const what = "must be draws: an array of numbers (one chain) or an array of such arrays (one per chain)";
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return;
  if (!Array.isArray(value)) throw new ArgumentError(argument, what, value);
  if (value.length === 0 || typeof value[0] === "number") {
    const k = value.findIndex((v) => typeof v !== "number");
    if (k >= 0) throw new ArgumentError(`${argument}[${k}]`, "must be a number (a draw)", value[k]);
    return;
  }
  value.forEach((chain, c) => {
    if (!isNumberArray(chain))
      throw new ArgumentError(`${argument}[${c}]`, "must be an array of numbers (one chain's draws)", chain);
  });
}

/**
 * Checks that `value` is a `Posterior` (what `gibbs` returns): draws plus the model's names.
 *
 * @throws ArgumentError naming the part that is missing
 */
export function checkPosteriorArgument(value: unknown, argument = "posterior"): void {
  checkDrawsArgument(value, argument);
  const v = value as unknown as Readonly<Record<string, unknown>>;
  const what = "must be a Posterior from gibbs(model)";
  const fail = partFailure(argument, what, v);
  if (!isStrings(v["fixedNames"])) fail("fixedNames", "is not an array of names");
  if (!Array.isArray(v["factors"])) fail("factors", "is not an array of grouping factors");
  if (!isObject(v["settings"])) fail("settings", "is missing");
  if (!isObject(v["priors"])) fail("priors", "is missing");
  if (v["randomEffects"] !== "draws" && v["randomEffects"] !== "summary")
    fail("randomEffects", 'is not "draws" or "summary"');
  checkDrawsArgument(v["warmupDraws"], `${argument}.warmupDraws`);
}

/**
 * Checks that `value` is a `RemlFit` (what `reml`, `ml` and `fitLmm` return).
 *
 * @throws ArgumentError naming the part that is missing
 */
export function checkFitArgument(value: unknown, argument = "fit"): void {
  const what = "must be a REML or ML fit from reml(model) or ml(model)";
  if (!isObject(value)) throw new ArgumentError(argument, what, value);
  const fail = partFailure(argument, what, value);
  if (value["method"] !== "REML" && value["method"] !== "ML") fail("method", 'is not "REML" or "ML"');
  for (const part of ["beta", "se", "theta"])
    if (!isNumberArray(value[part])) fail(part, "is not an array of numbers");
  for (const part of ["vcov", "varcorr", "ranef"])
    if (!Array.isArray(value[part])) fail(part, "is not an array");
  if (!isStrings(value["fixedNames"])) fail("fixedNames", "is not an array of names");
  if (typeof value["sigma"] !== "number") fail("sigma", "is not a number");
  checkModelArgument(value["model"], `${argument}.model`);
}

/**
 * Checks that `value` is an object with the given keys (for the many plain-data arguments: a
 * comparison, a frame, priors, rows).
 *
 * @throws ArgumentError naming the argument and the first key missing
 */
export function checkObjectArgument(
  value: unknown,
  argument: string,
  what: string,
  keys: readonly string[] = [],
): void {
  if (!isObject(value)) throw new ArgumentError(argument, `must be ${what}`, value);
  for (const key of keys)
    if (!(key in value))
      throw new ArgumentError(argument, `must be ${what}, but it has no \`${key}\``, value).withoutValue();
}

/**
 * Checks that `value` is an array (of what `what` says) — of objects, unless `objects` is false.
 *
 * @throws ArgumentError naming the argument
 */
export function checkArrayArgument(value: unknown, argument: string, what: string, objects = true): void {
  if (!Array.isArray(value)) throw new ArgumentError(argument, `must be ${what}`, value);
  if (objects) {
    const k = value.findIndex((v) => !isObject(v));
    if (k >= 0)
      throw new ArgumentError(
        `${argument}[${k}]`,
        `must be an object (${argument} must be ${what})`,
        value[k],
      );
  }
}

/**
 * Checks that `value` is a string.
 *
 * @throws ArgumentError naming the argument
 */
export function checkStringArgument(
  value: unknown,
  argument: string,
  what = "a string",
): asserts value is string {
  if (typeof value !== "string") throw new ArgumentError(argument, `must be ${what}`, value);
}

/**
 * Checks that `value` is a number (or undefined, when `optional`).
 *
 * @throws ArgumentError naming the argument
 */
export function checkNumberArgument(
  value: unknown,
  argument: string,
  what = "a number",
  optional = true,
): void {
  if (value === undefined && optional) return;
  if (typeof value !== "number") throw new ArgumentError(argument, `must be ${what}`, value);
}

/**
 * Checks the options of a function that takes plain options: an object (or undefined) whose
 * named entries, when present, have the kinds given (`names`: an array of strings, `number`,
 * `string`, `boolean`, `object`, `draws`, `function`).
 *
 * @throws ArgumentError naming `options.KEY`
 */
export function checkOptionKinds(
  value: unknown,
  kinds: Readonly<
    Record<string, "names" | "number" | "string" | "boolean" | "object" | "draws" | "function">
  >,
  argument = "options",
): void {
  if (value === undefined) return;
  if (!isObject(value)) throw new ArgumentError(argument, "must be an object of options", value);
  for (const [key, kind] of Object.entries(kinds)) {
    const v = value[key];
    if (v === undefined) continue;
    const name = `${argument}.${key}`;
    if (kind === "names" && !isStrings(v)) throw new ArgumentError(name, "must be an array of names", v);
    if (kind === "number" && typeof v !== "number") throw new ArgumentError(name, "must be a number", v);
    if (kind === "string" && typeof v !== "string") throw new ArgumentError(name, "must be a string", v);
    if (kind === "boolean" && typeof v !== "boolean")
      throw new ArgumentError(name, "must be true or false", v);
    if (kind === "object" && !isObject(v)) throw new ArgumentError(name, "must be an object", v);
    if (kind === "function" && typeof v !== "function")
      throw new ArgumentError(name, "must be a function", v);
    if (kind === "draws") checkDrawsArgument(v, name);
  }
}
