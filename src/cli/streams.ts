/**
 * The process's standard streams as the CLI's IO. Standard output that cannot be written (a full
 * disk, `> /dev/full`, a closed pipe) ends the run with one line on standard error and exit status
 * 1 — not Node's "Unhandled 'error' event" stack trace; a closed pipe (`bayes-lmm ... | head`) ends
 * it quietly with the status it had: whoever read the output wanted no more.
 */
import { fileErrorReason } from "../node/atomic";
import type { CliIO } from "./command";

/** A writable stream as the CLI uses it (process.stdout, process.stderr, or a test's stream). */
export interface OutputStream {
  write(text: string): unknown;
  on(event: "error", listener: (error: NodeJS.ErrnoException) => void): unknown;
  readonly isTTY?: boolean;
}

/**
 * The CLI's IO on two streams, and what happens when standard output fails: `exit(status)` is
 * called once (1, or the status so far for a closed pipe) after one line on standard error.
 *
 * @returns the IO, and whether standard output has failed
 */
export function streamIO(
  stdout: OutputStream,
  stderr: OutputStream,
  exit: (status: number | undefined) => void,
): { io: CliIO; failed(): boolean } {
  let failed = false;
  stdout.on("error", (error) => {
    if (failed) return;
    failed = true;
    if (error.code === "EPIPE") {
      exit(undefined);
      return;
    }
    try {
      stderr.write(`bayes-lmm: cannot write standard output: ${fileErrorReason(error)}.\n`);
    } catch {
      // standard error is gone too: the exit status still says it
    }
    exit(1);
  });
  stderr.on("error", () => {
    // nothing left to report to
  });
  return {
    io: {
      stdout: (text) => {
        if (!failed) stdout.write(text);
      },
      stderr: (text) => {
        stderr.write(text);
      },
      stderrIsTTY: stderr.isTTY === true,
    },
    failed: () => failed,
  };
}
