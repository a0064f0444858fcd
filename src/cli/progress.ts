/**
 * The progress line on standard error: what is being done, how far, elapsed time, rate and the
 * estimated time left, redrawn in place on a terminal:
 *
 *     sampling  45%  121,500 / 270,000 iterations  elapsed 12.1 s  10,041 it/s  ETA 15 s
 *
 * It appears only on a terminal, only when the work has already taken half a second (short runs show
 * nothing), is redrawn at most every 200 ms, and is erased when the work ends — so the output a run
 * leaves behind is the same with and without it. Not on a terminal, or with `--quiet`, it is silent.
 */

/** A progress line. `update` may be called as often as wanted; it redraws at most every 200 ms. */
export interface Progress {
  /** `done` units of `total` (total unknown: no percentage and no ETA). */
  update(done: number, total?: number): void;
  /** Shows the label at once ("building the report …"), for work that reports no progress. */
  show(): void;
  /** Erases the line (if it was drawn). */
  done(): void;
}

/** A progress line that draws nothing. */
export const SILENT_PROGRESS: Progress = { update() {}, show() {}, done() {} };

/** Milliseconds before the line first appears, and between redraws. */
const DELAY_MS = 500;
const REDRAW_MS = 200;

/** Seconds as "8.2 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

function formatRate(perSecond: number, unit: string): string {
  const digits = perSecond >= 100 ? 0 : perSecond >= 10 ? 1 : 2;
  return `${perSecond.toLocaleString("en-US", { maximumFractionDigits: digits })} ${unit}/s`;
}

/**
 * A progress line written with `write` (a terminal's standard error).
 *
 * @param label - what is being done ("sampling", "fitting by REML")
 * @param unit - what is counted ("iterations"; the rate abbreviates it to its first two letters)
 * @param write - writes text to the terminal
 * @param now - a clock in milliseconds
 * @returns the progress line
 */
export function progressLine(
  label: string,
  unit: string,
  write: (text: string) => void,
  now: () => number,
): Progress {
  const start = now();
  let last = Number.NEGATIVE_INFINITY;
  let drawn = false;
  const short = unit.length > 2 ? unit.slice(0, 2) : unit;
  return {
    update(done, total) {
      const t = now();
      const elapsed = (t - start) / 1000;
      if (t - start < DELAY_MS || t - last < REDRAW_MS) return;
      last = t;
      const parts = [label];
      const count = done.toLocaleString("en-US");
      if (total !== undefined && total > 0) {
        parts.push(`${String(Math.floor((100 * Math.min(done, total)) / total)).padStart(3)}%`);
        parts.push(`${count} / ${total.toLocaleString("en-US")} ${unit}`);
      } else parts.push(`${count} ${unit}`);
      parts.push(`elapsed ${formatDuration(elapsed)}`);
      const rate = elapsed > 0 ? done / elapsed : 0;
      if (rate > 0) parts.push(formatRate(rate, short));
      if (total !== undefined && rate > 0 && done < total)
        parts.push(`ETA ${formatDuration((total - done) / rate)}`);
      write(`\r\x1b[2K${parts.join("  ")}`);
      drawn = true;
    },
    show() {
      write(`\r\x1b[2K${label} …`);
      drawn = true;
    },
    done() {
      if (drawn) write("\r\x1b[2K");
      drawn = false;
    },
  };
}
