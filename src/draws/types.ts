/**
 * `Draws`: posterior draws of several parameters from several chains, in one Float64Array — the
 * contract between the sampler (which writes them), the diagnostics (which read one parameter's
 * chains at a time) and the CSV/JSON writers.
 *
 * Layout: parameter-major, then chain, then iteration:
 *     values[(k * chains + c) * iterations + t]   = draw t of chain c of parameter k
 * so one parameter's chains are one contiguous block, and each chain a contiguous subarray of it.
 */
export interface Draws {
  /** Parameter names as CLI.md gives them: `beta[Days]`, `sigma2`, `Psi[Subject][(Intercept),Days]`, ... */
  readonly parameters: readonly string[];
  /** Number of chains. */
  readonly chains: number;
  /** Number of draws kept per chain. */
  readonly iterations: number;
  /** parameters.length × chains × iterations values (see the file comment). */
  readonly values: Float64Array;
}
