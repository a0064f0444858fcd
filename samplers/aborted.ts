/**
 * `AbortedError`: what `gibbs` rejects with when its AbortSignal stops it — an LmmError of code
 * "ABORTED" carrying what the run had: the posterior of the draws kept so far (every chain stopped
 * at the same iteration, so complete rows only; null when no draw had been kept yet, in warmup) and
 * a checkpoint to continue it from (`gibbs(model, { ...options, resume })`).
 */
import type { Posterior } from "../src/draws/posterior";
import { LmmError } from "../src/errors";
import type { SamplerCheckpoint } from "./checkpoint";

/** The sampler was stopped by its AbortSignal; `posterior` and `checkpoint` hold what it had. */
export class AbortedError extends LmmError {
  /** The draws kept before the stop (a Posterior of `iterations` draws per chain), or null. */
  readonly posterior: Posterior | null;
  /** The run's state at the stop (null only for a signal already aborted before the run began). */
  readonly checkpoint: SamplerCheckpoint | null;
  /** Iterations each chain had done (warmup included), and what it was to do. */
  readonly done: number;
  readonly total: number;

  constructor(
    posterior: Posterior | null,
    checkpoint: SamplerCheckpoint | null,
    done: number,
    total: number,
  ) {
    super(
      "ABORTED",
      `the sampler was stopped by its AbortSignal after ${done.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} iterations per chain${posterior === null ? "" : ` (${posterior.iterations.toLocaleString("en-US")} draws per chain kept)`}.`,
    );
    this.name = "AbortedError";
    this.posterior = posterior;
    this.checkpoint = checkpoint;
    this.done = done;
    this.total = total;
  }
}
