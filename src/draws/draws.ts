/**
 * Building and reading `Draws` without copying.
 */
import { ArgumentError } from "../errors";
import { checkArrayArgument, checkDrawsArgument, checkStringArgument } from "../validate";
import type { Draws } from "./types";

/**
 * Allocates draws for `parameters` × `chains` × `iterations`, filled with NaN until written.
 *
 * @example createDraws(["mu", "sigma2"], 4, 1000).values.length // 8000
 */
export function createDraws(parameters: readonly string[], chains: number, iterations: number): Draws {
  checkArrayArgument(parameters, "parameters", "an array of parameter names", false);
  if (!Number.isInteger(chains) || chains < 1)
    throw new ArgumentError("chains", "must be a positive integer", chains);
  if (!Number.isInteger(iterations) || iterations < 0)
    throw new ArgumentError("iterations", "must be a non-negative integer", iterations);
  const seen = new Set<string>();
  for (const name of parameters) {
    if (seen.has(name)) throw new ArgumentError("parameters", "must not repeat a name", name);
    seen.add(name);
  }
  const values = new Float64Array(parameters.length * chains * iterations).fill(Number.NaN);
  return { parameters: [...parameters], chains, iterations, values };
}

/** The index of parameter `name`, or a typed error naming it (and the closest names). */
export function parameterIndex(draws: Draws, name: string): number {
  checkDrawsArgument(draws);
  checkStringArgument(name, "parameter", "a parameter name");
  const k = draws.parameters.indexOf(name);
  if (k < 0) {
    const near = draws.parameters.filter((p) => p.toLowerCase().includes(name.toLowerCase())).slice(0, 3);
    const hint = near.length > 0 ? ` (did you mean ${near.map((p) => `\`${p}\``).join(", ")}?)` : "";
    throw new ArgumentError("parameter", `must be one of the draws' parameters${hint}`, name);
  }
  return k;
}

/**
 * One parameter's draws, one subarray per chain (views into `draws.values`, not copies).
 *
 * @example chainsOf(draws, "sigma2").length // draws.chains
 */
export function chainsOf(draws: Draws, name: string | number): Float64Array[] {
  checkDrawsArgument(draws);
  if (typeof name === "number" && !(Number.isInteger(name) && name >= 0 && name < draws.parameters.length))
    throw new ArgumentError(
      "parameter",
      `must be a parameter name or an index from 0 to ${draws.parameters.length - 1}`,
      name,
    );
  const k = typeof name === "number" ? name : parameterIndex(draws, name);
  const { chains, iterations } = draws;
  const out: Float64Array[] = [];
  for (let c = 0; c < chains; c++) {
    const start = (k * chains + c) * iterations;
    out.push(draws.values.subarray(start, start + iterations));
  }
  return out;
}
