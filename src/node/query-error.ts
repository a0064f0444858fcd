/** The one wording of a failed database call: `WHAT: the database's first line.` (`LmmError` QUERY). */
import { LmmError } from "../errors";

/** A QUERY error: `what`, then the first line of the database's message. */
export function queryError(what: string, error: unknown): LmmError {
  const message = (error instanceof Error ? error.message : String(error))
    .split("\n")[0]!
    .replace(/[.!]+$/, "");
  return new LmmError("QUERY", `${what}: ${message}.`);
}
