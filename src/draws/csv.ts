/**
 * Draws as CSV in the layout of the R package posterior's `draws_df` (CLI.md): columns `.chain`,
 * `.iteration`, `.draw`, then one column per parameter, one row per draw — so that
 * `posterior::as_draws_df(read.csv(file, check.names = FALSE))` reads what `formatDrawsCsv` writes,
 * and `parseDrawsCsv` reads what R's `write.csv(as_draws_df(x))` writes.
 *
 * Writing: numbers in JavaScript's shortest round-trip form (`String(x)`), so a file read back gives
 * the very same doubles; NaN as `NA`, ±Infinity as `Inf`/`-Inf` (R's spellings); names quoted only
 * when they must be (`"Psi[Subject][(Intercept),Days]"` has a comma).
 *
 * Reading (the rules):
 * - The first record is the header; names may be quoted (RFC 4180: `""` is a quote inside quotes).
 *   A leading column with an empty name (`write.csv`'s row names) and a `.log_weight` column are
 *   ignored. `.chain` and `.iteration` must be there; `.draw` may be. Every other column is a
 *   parameter; names must not repeat.
 * - Each data record has as many fields as the header. Values are numbers as R writes and reads them
 *   (`1.5`, `-2e-08`, `Inf`, `-Inf`, `NaN`, `NA` → NaN, quoted or not); an empty field is an error.
 *   `.chain` and `.iteration` are positive integers.
 * - Rows may come in any order: draws are placed by chain (sorted chain numbers become chains 1..M)
 *   and, within a chain, by iteration number (which need not start at 1 or be consecutive, e.g. after
 *   thinning). Every chain must have the same number of draws; a (chain, iteration) pair must not repeat.
 * - Line ends `\n` or `\r\n`; blank lines are skipped; a UTF-8 byte-order mark is ignored.
 * Every violation is a `DataError` (code FILE) naming the 1-based data row (the header is row 0)
 * and/or the column.
 *
 * Speed: a byte-level parser that turns digits into doubles without making strings, correctly
 * rounded: up to 15 significant digits exactly as Clinger's fast path (m·10^e with m < 2^53 and
 * |e| ≤ 22); 16–19 digits (JavaScript's own shortest output has up to 17) in double-double arithmetic
 * with a check for near-ties; anything else through `Number`. Measured in bench/diagnostics.bench.ts.
 * (The data reader, src/data/csv.ts, is a different job: R's `read.csv` typing of mixed text columns
 * from a string; draws files are all numbers, hundreds of MB, and read in byte chunks.)
 */

import { parseRNumber } from "../data/numbers";
import { ArgumentError, DataError } from "../errors";
import { checkDrawsArgument } from "../validate";
import { createDraws } from "./draws";
import type { Draws } from "./types";

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const LOWER_E = 101;
const UPPER_E = 69;

/** 10^0 .. 10^22, all exact doubles. */
const POW10 = /* @__PURE__ */ Float64Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Column roles in the header. */
const IGNORED = -1;
const CHAIN = -2;
const ITERATION = -3;
const DRAW = -4;
/** A leading column `X`: R's row names read back by `read.csv` (dropped if it holds 1, 2, ..., else a parameter). */
const ROW_NAME = -5;
const HASH = 35;

/** Which tool's layout a draws CSV is in. */
export type DrawsCsvFormat = "draws_df" | "cmdstan";

/**
 * A parameter name as posterior names it: CmdStan's `beta.1` / `Sigma.2.1` become `beta[1]` /
 * `Sigma[2,1]` (`cmdstan`), and R's `check.names` mangling of them, `beta.1.` / `Sigma.2.1.`, is
 * undone (any format). Other names are kept as written.
 *
 * @example parameterName("beta.1", true) // "beta[1]"
 * @example parameterName("Psi.1.2.", false) // "Psi[1,2]"
 */
export function parameterName(name: string, cmdstan: boolean): string {
  const mangled = /^([A-Za-z_][A-Za-z0-9_]*)((?:\.\d+)+)\.$/.exec(name);
  if (mangled !== null) return `${mangled[1]}[${mangled[2]!.slice(1).split(".").join(",")}]`;
  if (cmdstan) {
    const dotted = /^([A-Za-z_][A-Za-z0-9_]*)((?:\.\d+)+)$/.exec(name);
    if (dotted !== null) return `${dotted[1]}[${dotted[2]!.slice(1).split(".").join(",")}]`;
  }
  return name;
}

/**
 * An incremental reader of draws CSV: feed it bytes (whole text at once, or chunk by chunk from a
 * file) and take the `Draws` at the end. Used by {@link parseDrawsCsv} and `readDrawsCsv`.
 */
export class DrawsCsvReader {
  /** How the source is named in error messages, e.g. "draws file `run.csv`". */
  readonly source: string;
  private roles: Int32Array | null = null;
  private names: string[] = [];
  private rows = 0;
  private capacity = 0;
  private values = new Float64Array(0);
  private chainIds = new Float64Array(0);
  private iterationIds = new Float64Array(0);
  /** Scratch for the number parser: the value of the last field. */
  private field = 0;
  /** The chain these rows belong to when the file has no `.chain` column (CmdStan: one file per chain). */
  private readonly chain: number;
  private implicitChain = false;
  /** Values of a leading `X` column (R's row names), kept until `finish` decides what it is. */
  private rowNames = new Float64Array(0);
  private hasRowNames = false;
  /** Settings read from CmdStan's header comments. */
  private readonly config = new Map<string, string>();
  private commentCount = 0;
  /** Rows before CmdStan's "# Adaptation terminated" comment (the warmup, when it was saved), or −1. */
  private adaptationEnd = -1;
  /** Whether the last row ended at the end of the bytes, without a line break. */
  private unterminated = false;
  /** The layout the header showed (known once it is read). */
  format: DrawsCsvFormat = "draws_df";
  /** What reading noticed that the user should see (warmup rows dropped, a last row without a line break). */
  readonly warnings: string[] = [];
  private readonly latin1 = new TextDecoder("latin1");
  private readonly utf8 = new TextDecoder("utf-8");

  /**
   * @param source - how the source is named in messages
   * @param chain - the chain number of the rows when the file has no `.chain` column (CmdStan
   *   writes one file per chain), default 1
   */
  constructor(source = "draws CSV", chain = 1) {
    this.source = source;
    this.chain = chain;
  }

  /** Number of parameters (known once the header is read). */
  get parameterCount(): number {
    return this.names.length;
  }

  /**
   * Parses the complete records in bytes[start, end) and returns where the unparsed rest begins
   * (a record cut by the end of a chunk is left for the next call). With `final`, the end of the
   * bytes ends the last record and everything is parsed.
   *
   * @throws DataError (FILE) for a malformed header or record, naming the row and column
   */
  parse(bytes: Uint8Array, start: number, end: number, final: boolean): number {
    let pos = start;
    if (this.roles === null) {
      if (pos + 3 <= end && bytes[pos] === 0xef && bytes[pos + 1] === 0xbb && bytes[pos + 2] === 0xbf)
        pos += 3;
      while (true) {
        while (pos < end && (bytes[pos] === LF || bytes[pos] === CR)) pos++;
        if (pos >= end || bytes[pos] !== HASH) break;
        const lineEnd = findLineEnd(bytes, pos, end);
        if (lineEnd < 0 && !final) return pos;
        const stop = lineEnd < 0 ? end : lineEnd;
        this.readComment(this.latin1.decode(bytes.subarray(pos, stop)));
        pos = skipLineEnd(bytes, stop, end);
      }
      const recordEnd = findRecordEnd(bytes, pos, end);
      if (recordEnd < 0 && !final) return pos;
      const stop = recordEnd < 0 ? end : recordEnd;
      this.readHeader(this.utf8.decode(bytes.subarray(pos, stop)));
      pos = skipLineEnd(bytes, stop, end);
    }
    const roles = this.roles!;
    const columns = roles.length;
    const P = this.names.length;
    while (pos < end) {
      const first = bytes[pos];
      if (first === LF || first === CR) {
        pos++;
        continue;
      }
      if (first === HASH) {
        // A comment among the rows (CmdStan: "# Adaptation terminated", the step size, timing).
        const lineEnd = findLineEnd(bytes, pos, end);
        if (lineEnd < 0 && !final) return pos;
        const stop = lineEnd < 0 ? end : lineEnd;
        const text = this.latin1.decode(bytes.subarray(pos, Math.min(stop, pos + 200)));
        if (/^#\s*Adaptation terminated/.test(text) && this.adaptationEnd < 0) this.adaptationEnd = this.rows;
        pos = skipLineEnd(bytes, stop, end);
        continue;
      }
      const recordStart = pos;
      this.ensureRow();
      const rowOffset = this.rows * P;
      const row = this.rows + 1;
      let column = 0;
      let complete = false;
      while (true) {
        const next = this.parseField(bytes, pos, end, final, row, column);
        if (next < 0) break; // the record runs past this chunk
        const role = roles[column]!;
        const v = this.field;
        if (role >= 0) this.values[rowOffset + role] = v;
        else if (role === ROW_NAME) this.rowNames[this.rows] = v;
        else if (role === CHAIN) this.chainIds[this.rows] = this.positiveInteger(v, row, column);
        else if (role === ITERATION) this.iterationIds[this.rows] = this.positiveInteger(v, row, column);
        else if (role === DRAW && !Number.isInteger(v))
          this.fail(`\`.draw\` must be an integer, not ${v}`, row, column);
        column++;
        pos = next;
        const b = pos < end ? bytes[pos] : LF;
        if (b === COMMA) {
          pos++;
          if (column === columns)
            this.fail(`the row has more fields than the header's ${columns}`, row, undefined);
          continue;
        }
        if (column !== columns)
          this.fail(
            `the row has ${column} field${column === 1 ? "" : "s"}, the header has ${columns}`,
            row,
            undefined,
          );
        if (pos < end || final) {
          if (pos >= end) this.unterminated = true;
          pos = skipLineEnd(bytes, pos, end);
          complete = true;
        }
        break;
      }
      if (!complete) return recordStart;
      if (this.implicitChain) {
        this.chainIds[this.rows] = this.chain;
        this.iterationIds[this.rows] = this.rows + 1;
      }
      this.rows++;
    }
    return pos;
  }

  /** The draws read, placed by chain and iteration. @throws DataError for no rows or unequal chains */
  finish(): Draws {
    if (this.roles === null) throw new DataError("FILE", `${this.source}: it is empty (no header).`);
    this.settleRowNames();
    const skipped = this.dropWarmup();
    const rows = this.rows;
    const P = this.names.length;
    if (rows === 0)
      throw new DataError(
        "FILE",
        `${this.source}: it has a header but no draws${skipped > 0 ? ` after its ${skipped} warmup rows` : ""}.`,
        { row: 1 },
      );
    if (this.unterminated && this.format === "draws_df")
      this.warnings.push(
        `${this.source}: its last row (row ${rows}) does not end with a line break: if the file was cut short, that draw is incomplete.`,
      );
    // Chains: distinct .chain values in ascending order.
    const ids = [...new Set(this.chainIds.subarray(0, rows))].sort((a, b) => a - b);
    const chainOf = new Map(ids.map((id, c) => [id, c]));
    const counts = new Int32Array(ids.length);
    for (let r = 0; r < rows; r++) counts[chainOf.get(this.chainIds[r]!)!]!++;
    const N = counts[0]!;
    for (let c = 1; c < ids.length; c++)
      if (counts[c] !== N) {
        const fewest = Math.min(...counts);
        const cut =
          Math.max(...counts) - fewest === 1 &&
          this.iterationIds[rows - 1] === Math.max(...this.iterationIds.subarray(0, rows))
            ? ": the last iteration is incomplete, so the file was probably cut short (an interrupted run); remove its last rows, or rerun"
            : "";
        throw new DataError(
          "FILE",
          `${this.source}: chains must have equal numbers of draws, but chain ${ids[0]} has ${N} and chain ${ids[c]} has ${counts[c]}${cut}.`,
          { column: ".chain" },
        );
      }
    // Rows of each chain, ordered by iteration.
    const M = ids.length;
    const rowsByChain = new Int32Array(rows);
    const fill = new Int32Array(M);
    for (let r = 0; r < rows; r++) {
      const c = chainOf.get(this.chainIds[r]!)!;
      rowsByChain[c * N + fill[c]!++] = r;
    }
    for (let c = 0; c < M; c++) {
      const block = rowsByChain.subarray(c * N, (c + 1) * N);
      let ordered = true;
      for (let t = 1; t < N; t++)
        if (this.iterationIds[block[t]!]! <= this.iterationIds[block[t - 1]!]!) {
          ordered = false;
          break;
        }
      if (ordered) continue;
      block.sort((a, b) => this.iterationIds[a]! - this.iterationIds[b]! || a - b);
      for (let t = 1; t < N; t++)
        if (this.iterationIds[block[t]!] === this.iterationIds[block[t - 1]!])
          throw new DataError(
            "FILE",
            `${this.source}: row ${block[t]! + 1} repeats chain ${ids[c]}, iteration ${this.iterationIds[block[t]!]} (first at row ${block[t - 1]! + 1}).`,
            { row: block[t]! + 1, column: ".iteration" },
          );
    }
    const draws = createDraws(this.names, M, N);
    const out = draws.values;
    const source = this.values;
    for (let c = 0; c < M; c++)
      for (let t = 0; t < N; t++) {
        const from = rowsByChain[c * N + t]! * P;
        let to = c * N + t;
        const step = M * N;
        for (let k = 0; k < P; k++, to += step) out[to] = source[from + k]!;
      }
    return draws;
  }

  /** A leading `X` column: R's row names (1, 2, ..., dropped) or else a parameter named X (put first). */
  private settleRowNames(): void {
    if (!this.hasRowNames) return;
    this.hasRowNames = false;
    const rows = this.rows;
    let rowNumbers = true;
    for (let r = 0; r < rows && rowNumbers; r++) if (this.rowNames[r] !== r + 1) rowNumbers = false;
    if (rowNumbers) {
      if (this.names.length === 0)
        throw new DataError("FILE", `${this.source}: the header names no parameter column.`, { row: 0 });
      return;
    }
    if (this.names.includes("X"))
      throw new DataError("FILE", `${this.source}: column \`X\` appears twice in the header.`, {
        row: 0,
        column: "X",
      });
    const P = this.names.length;
    const values = new Float64Array(Math.max(this.capacity, rows) * (P + 1));
    for (let r = 0; r < rows; r++) {
      values[r * (P + 1)] = this.rowNames[r]!;
      values.set(this.values.subarray(r * P, (r + 1) * P), r * (P + 1) + 1);
    }
    this.values = values;
    this.names = ["X", ...this.names];
  }

  /**
   * CmdStan files saved with `save_warmup = 1` start with the warmup rows (before its "# Adaptation
   * terminated" comment, or `num_warmup / thin` of them): they are not draws of the posterior and
   * are dropped. Returns how many.
   */
  private dropWarmup(): number {
    if (this.format !== "cmdstan") return 0;
    const saved = this.config.get("save_warmup");
    if (saved !== "1" && saved !== "true") return 0;
    const warmup = Number(this.config.get("num_warmup") ?? this.config.get("warmup") ?? Number.NaN);
    const thin = Number(this.config.get("thin") ?? 1);
    const count =
      this.adaptationEnd >= 0
        ? this.adaptationEnd
        : Number.isFinite(warmup) && thin >= 1
          ? Math.ceil(warmup / thin)
          : 0;
    const drop = Math.min(count, this.rows);
    if (drop === 0) return 0;
    const P = this.names.length;
    this.values.copyWithin(0, drop * P, this.rows * P);
    this.chainIds.copyWithin(0, drop, this.rows);
    this.iterationIds.copyWithin(0, drop, this.rows);
    this.rows -= drop;
    return drop;
  }

  private readHeader(text: string): void {
    const names = splitRecord(text);
    if (names.length === 1 && names[0] === "")
      throw new DataError("FILE", `${this.source}: it is empty (no header).`, { row: 0 });
    const hasChain = names.includes(".chain");
    const hasIteration = names.includes(".iteration");
    // CmdStan (and rstan's sample_file): `#` comments, `lp__` and the sampler's `__` columns, no
    // .chain/.iteration — one file per chain, its rows in iteration order.
    const cmdstan =
      !hasChain && !hasIteration && (this.commentCount > 0 || names.some((n) => n.endsWith("__")));
    this.format = cmdstan ? "cmdstan" : "draws_df";
    const roles = new Int32Array(names.length);
    const parameters: string[] = [];
    const seen = new Map<string, number>();
    names.forEach((written, j) => {
      if (written === "" && j === 0) roles[j] = IGNORED;
      else if (written === "X" && j === 0 && hasChain) {
        roles[j] = ROW_NAME;
        this.hasRowNames = true;
      } else if (written === ".chain") roles[j] = CHAIN;
      else if (written === ".iteration") roles[j] = ITERATION;
      else if (written === ".draw") roles[j] = DRAW;
      else if (written === ".log_weight") roles[j] = IGNORED;
      else if (written.endsWith("__") && written !== "lp__")
        roles[j] = IGNORED; // Stan's sampler diagnostics (accept_stat__, treedepth__, ...): not parameters
      else if (written === "")
        throw new DataError("FILE", `${this.source}: column ${j + 1} of the header has no name.`, { row: 0 });
      else {
        const name = parameterName(written, cmdstan);
        const before = seen.get(name);
        if (before !== undefined)
          throw new DataError(
            "FILE",
            `${this.source}: column \`${name}\` appears twice in the header (columns ${before + 1} and ${j + 1}).`,
            { row: 0, column: name },
          );
        seen.set(name, j);
        roles[j] = parameters.length;
        parameters.push(name);
      }
    });
    if (!cmdstan)
      for (const [ok, name] of [
        [hasChain, ".chain"],
        [hasIteration, ".iteration"],
      ] as const)
        if (!ok)
          throw new DataError(
            "FILE",
            `${this.source}: the header has no \`${name}\` column; a draws CSV has columns .chain, .iteration, .draw, then one per parameter (posterior's draws_df), or is a CmdStan CSV (with lp__).`,
            { row: 0, column: name },
          );
    if (parameters.length === 0 && !this.hasRowNames)
      throw new DataError("FILE", `${this.source}: the header names no parameter column.`, { row: 0 });
    this.implicitChain = cmdstan;
    this.roles = roles;
    this.names = parameters;
  }

  /** A `#` line before the header: CmdStan's configuration (`save_warmup = 1`, `num_warmup = 1000`, `thin = 1`). */
  private readComment(text: string): void {
    this.commentCount++;
    const setting = /^#\s*([A-Za-z_]+)\s*=\s*([^\s(]+)/.exec(text);
    if (setting !== null && this.config.size < 200) this.config.set(setting[1]!, setting[2]!);
  }

  /**
   * Makes room for `rows` data rows at once (e.g. estimated from the file size), saving the copies of
   * growing by doubling. Only once the header has been read; a low estimate is harmless.
   */
  reserve(rows: number): void {
    if (this.roles !== null && rows > this.capacity) this.grow(Math.ceil(rows));
  }

  /** Data rows read so far. */
  get rowCount(): number {
    return this.rows;
  }

  private ensureRow(): void {
    if (this.rows < this.capacity) return;
    this.grow(Math.max(1024, this.capacity * 2));
  }

  private grow(capacity: number): void {
    const P = this.names.length;
    const values = new Float64Array(capacity * P);
    values.set(this.values);
    const chains = new Float64Array(capacity);
    chains.set(this.chainIds);
    const iterations = new Float64Array(capacity);
    iterations.set(this.iterationIds);
    if (this.hasRowNames) {
      const rowNames = new Float64Array(capacity);
      rowNames.set(this.rowNames);
      this.rowNames = rowNames;
    }
    this.values = values;
    this.chainIds = chains;
    this.iterationIds = iterations;
    this.capacity = capacity;
  }

  /**
   * Parses one field starting at `pos` into `this.field`; returns the position after it, or −1 when
   * the field may continue past `end` (not final).
   */
  private parseField(
    bytes: Uint8Array,
    pos: number,
    end: number,
    final: boolean,
    row: number,
    column: number,
  ): number {
    // Fast path: [sign] digits [. digits] [e [sign] digits], up to 19 significant digits: the first
    // 15 in `head`, the rest (≤ 4) in `tail`, so head·10^tailDigits + tail is the digit string.
    let i = pos;
    let b = i < end ? bytes[i]! : -1;
    const negative = b === MINUS;
    if (negative || b === PLUS) b = ++i < end ? bytes[i]! : -1;
    let head = 0;
    let tail = 0;
    let tailDigits = 0;
    let significant = 0;
    let digits = 0;
    let scale = 0;
    let inFraction = false;
    while (true) {
      if (b >= ZERO && b <= ZERO + 9) {
        if (significant > 0 || b !== ZERO) {
          if (significant < 15) head = head * 10 + (b - ZERO);
          else if (significant < 19) {
            tail = tail * 10 + (b - ZERO);
            tailDigits++;
          }
          significant++;
        }
        if (inFraction) scale--;
        digits++;
      } else if (b === DOT && !inFraction) inFraction = true;
      else break;
      b = ++i < end ? bytes[i]! : -1;
    }
    if (digits > 0 && (b === LOWER_E || b === UPPER_E)) {
      b = ++i < end ? bytes[i]! : -1;
      const negativeExponent = b === MINUS;
      if (negativeExponent || b === PLUS) b = ++i < end ? bytes[i]! : -1;
      let exponent = 0;
      let exponentDigits = 0;
      while (b >= ZERO && b <= ZERO + 9 && exponentDigits < 6) {
        exponent = exponent * 10 + (b - ZERO);
        exponentDigits++;
        b = ++i < end ? bytes[i]! : -1;
      }
      if (exponentDigits === 0) digits = 0; // "1e" or "1e+": not a number; the slow path says so
      scale += negativeExponent ? -exponent : exponent;
    }
    if (b === -1 && !final) return -1;
    const terminated = b === COMMA || b === LF || b === CR || b === -1;
    if (digits > 0 && terminated && significant <= 19) {
      const magnitude =
        significant <= 15 ? exactDecimal(head, scale) : exactLongDecimal(head, tail, tailDigits, scale);
      if (!Number.isNaN(magnitude)) {
        this.field = negative ? -magnitude : magnitude;
        return i;
      }
    }
    return this.parseFieldSlowly(bytes, pos, end, final, row, column);
  }

  /** Any other field: quoted, NA, Inf, NaN, long decimals — or not a number (an error). */
  private parseFieldSlowly(
    bytes: Uint8Array,
    pos: number,
    end: number,
    final: boolean,
    row: number,
    column: number,
  ): number {
    let text: string;
    let next: number;
    if (pos < end && bytes[pos] === QUOTE) {
      let i = pos + 1;
      let closed = -1;
      while (i < end) {
        if (bytes[i] === QUOTE) {
          if (i + 1 < end && bytes[i + 1] === QUOTE) i += 2;
          else if (i + 1 === end && !final) return -1;
          else {
            closed = i;
            break;
          }
        } else i++;
      }
      if (closed < 0) {
        if (!final) return -1;
        this.fail("a quoted field is not closed", row, column);
      }
      text = this.utf8.decode(bytes.subarray(pos + 1, closed)).replaceAll('""', '"');
      next = closed + 1;
      const b = next < end ? bytes[next] : -1;
      if (!(b === COMMA || b === LF || b === CR || b === -1))
        this.fail("a quoted field is followed by more text", row, column);
    } else {
      let i = pos;
      while (i < end && bytes[i] !== COMMA && bytes[i] !== LF && bytes[i] !== CR) i++;
      if (i === end && !final) return -1;
      text = this.latin1.decode(bytes.subarray(pos, i));
      next = i;
    }
    const trimmed = text.trim();
    let value: number | undefined;
    if (trimmed === "NA") value = Number.NaN;
    else if (trimmed !== "") value = parseRNumber(trimmed);
    if (value === undefined)
      this.fail(
        trimmed === "" ? "the value is empty" : `${JSON.stringify(text)} is not a number`,
        row,
        column,
      );
    this.field = value;
    return next;
  }

  private positiveInteger(v: number, row: number, column: number): number {
    if (!(Number.isInteger(v) && v >= 1)) this.fail(`must be a positive integer, not ${v}`, row, column);
    return v;
  }

  private columnName(column: number): string {
    const role = this.roles?.[column];
    if (role === undefined) return `column ${column + 1}`;
    if (role >= 0) return this.names[role]!;
    return role === CHAIN
      ? ".chain"
      : role === ITERATION
        ? ".iteration"
        : role === DRAW
          ? ".draw"
          : role === ROW_NAME
            ? "X"
            : `column ${column + 1}`;
  }

  private fail(reason: string, row: number, column: number | undefined): never {
    if (column === undefined) throw new DataError("FILE", `${this.source}, row ${row}: ${reason}.`, { row });
    const name = this.columnName(column);
    throw new DataError("FILE", `${this.source}, row ${row}, column \`${name}\`: ${reason}.`, {
      row,
      column: name,
    });
  }
}

/**
 * m·10^e correctly rounded, for an integer m < 10^15 (< 2^53, exact): one multiplication or division
 * of exact operands (Clinger 1990), or NaN when |e| > 22 (10^e not exact; the caller falls back).
 */
function exactDecimal(m: number, e: number): number {
  if (e >= 0) return e <= 22 ? m * POW10[e]! : Number.NaN;
  return e >= -22 ? m / POW10[-e]! : Number.NaN;
}

/** Dekker's splitter 2^27 + 1. */
const SPLITTER = 134217729;
/** Error terms of the last twoProduct (the exact product is hi + lo). */
let productLow = 0;

/** a·b = result + productLow exactly (Dekker 1971), for |a·b| far from overflow. */
function twoProduct(a: number, b: number): number {
  const p = a * b;
  let t = SPLITTER * a;
  const aHigh = t - (t - a);
  const aLow = a - aHigh;
  t = SPLITTER * b;
  const bHigh = t - (t - b);
  const bLow = b - bHigh;
  productLow = aHigh * bHigh - p + aHigh * bLow + aLow * bHigh + aLow * bLow;
  return p;
}

const TWO_POW_MINUS_90 = 2 ** -90;

/**
 * (head·10^k + tail)·10^e correctly rounded, for 16–19 significant digits (head < 10^15, tail < 10^k,
 * k ≤ 4, |e| ≤ 22): the digits and the scaling in double-double arithmetic (≈ 2^-100 relative error),
 * then one rounding — correct unless the exact value lies within 2^-90 (relative) of a midpoint
 * between two doubles, which is detected: NaN then, and the caller parses the text with `Number`.
 *
 * Reference: Dekker (1971) A floating-point technique for extending the available precision,
 * Numerische Mathematik 18:224–242, doi:10.1007/BF01397083; Clinger (1990) How to read floating point
 * numbers accurately, PLDI, doi:10.1145/93542.93557.
 */
function exactLongDecimal(head: number, tail: number, k: number, e: number): number {
  if (e > 22 || e < -22) return Number.NaN;
  // The digit string as a double-double (hi, lo): exact up to rounding of the lo part.
  let hi = twoProduct(head, POW10[k]!);
  let lo = productLow;
  const sum = hi + tail;
  const virtual = sum - hi;
  lo += hi - (sum - virtual) + (tail - virtual);
  hi = sum;
  // Scale by 10^e (exact double).
  let qHigh: number;
  let qLow: number;
  if (e >= 0) {
    const scale = POW10[e]!;
    qHigh = twoProduct(hi, scale);
    qLow = productLow + lo * scale;
  } else {
    const scale = POW10[-e]!;
    qHigh = hi / scale;
    const p = twoProduct(qHigh, scale);
    qLow = (hi - p - productLow + lo) / scale;
  }
  const result = qHigh + qLow;
  if (!Number.isFinite(result) || result < 2 ** -1000) return Number.NaN;
  // The exact value is within 2^-100 (relative) of qHigh + qLow: if both ends of a wider interval
  // round to the same double, so does it; otherwise it is (nearly) a tie and the caller decides.
  const tolerance = qHigh * TWO_POW_MINUS_90;
  if (qHigh + (qLow - tolerance) !== result || qHigh + (qLow + tolerance) !== result) return Number.NaN;
  return result;
}

/** The end of the record starting at `pos` (the position of its LF or CR), or −1 if not within [pos, end). */
function findRecordEnd(bytes: Uint8Array, pos: number, end: number): number {
  let quoted = false;
  for (let i = pos; i < end; i++) {
    const b = bytes[i];
    if (b === QUOTE) quoted = !quoted;
    else if (!quoted && (b === LF || b === CR)) return i;
  }
  return -1;
}

/** The position of the next LF or CR at or after `pos`, or −1 if none before `end` (no quoting: a comment line). */
function findLineEnd(bytes: Uint8Array, pos: number, end: number): number {
  for (let i = pos; i < end; i++) if (bytes[i] === LF || bytes[i] === CR) return i;
  return -1;
}

/** Skips one line end (`\n`, `\r\n` or `\r`) at pos. */
function skipLineEnd(bytes: Uint8Array, pos: number, end: number): number {
  if (pos < end && bytes[pos] === CR) pos++;
  if (pos < end && bytes[pos] === LF) pos++;
  return pos;
}

/** The fields of one CSV record (RFC 4180 quoting). */
function splitRecord(text: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (true) {
    let field = "";
    if (text[i] === '"') {
      i++;
      while (i < text.length) {
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else field += text[i++];
      }
      while (i < text.length && text[i] !== ",") field += text[i++];
    } else {
      const comma = text.indexOf(",", i);
      const stop = comma < 0 ? text.length : comma;
      field = text.slice(i, stop).trim();
      i = stop;
    }
    fields.push(field);
    if (i >= text.length) return fields;
    i++; // the comma
  }
}

/**
 * Parses draws CSV text (or its UTF-8 bytes); see this file's comment for the layout and rules.
 *
 * @param text - the whole file
 * @param source - how to name it in error messages
 * @returns the draws: parameters in column order, chains by ascending `.chain`, draws by `.iteration`
 * @throws DataError (FILE) naming the row and column of the first problem
 * @example parseDrawsCsv(".chain,.iteration,.draw,mu\n1,1,1,0.5\n1,2,2,0.7\n").values // Float64Array [0.5, 0.7]
 */
export function parseDrawsCsv(text: string | Uint8Array, source?: string): Draws {
  if (source !== undefined && typeof source !== "string")
    throw new ArgumentError("source", "must be a string", source);
  if (typeof text !== "string" && !(text instanceof Uint8Array))
    throw new ArgumentError("text", "must be CSV text (a string) or its bytes (a Uint8Array)", text);
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const reader = new DrawsCsvReader(source);
  reader.parse(bytes, 0, bytes.length, true);
  return reader.finish();
}

/** A header name as CSV: quoted when it holds a comma, quote, line break or edge space. */
function csvName(name: string): string {
  return /[",\r\n]|^\s|\s$/.test(name) ? `"${name.replaceAll('"', '""')}"` : name;
}

/** A number as R reads it back exactly: shortest round-trip digits; NA, Inf, -Inf. */
export function formatDrawValue(value: number): string {
  if (Number.isNaN(value)) return "NA";
  if (value === Number.POSITIVE_INFINITY) return "Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

/**
 * The draws as CSV bytes (UTF-8), in pieces of at most about `pieceBytes`, header first — for writing
 * big draws without building one huge string. Each piece is a view of one reused buffer: use it (e.g.
 * write it) before asking for the next.
 *
 * @param draws - the draws
 * @param pieceBytes - target piece size (default 1 MiB)
 * @returns a generator of byte pieces; their concatenation is the UTF-8 of {@link formatDrawsCsv}
 */
export function* drawsCsvPieces(draws: Draws, pieceBytes = 1 << 20): Generator<Uint8Array, void, undefined> {
  const { parameters, chains: M, iterations: N, values } = draws;
  yield new TextEncoder().encode(
    `${[".chain", ".iteration", ".draw", ...parameters.map(csvName)].join(",")}\n`,
  );
  const P = parameters.length;
  const step = M * N;
  // Longest field: "-1.2345678901234567e-308" is 24 characters; leave room for a whole row.
  const rowBytes = 3 * 16 + P * 26 + 1;
  let buffer = new Uint8Array(Math.max(pieceBytes, 2 * rowBytes));
  let at = 0;
  const put = (text: string): void => {
    for (let j = 0; j < text.length; j++) buffer[at++] = text.charCodeAt(j);
  };
  // Iteration by iteration, each over all chains: a file cut short (an interrupted run) then holds
  // complete iterations, and its chains stay of equal length but for the last row or rows.
  for (let t = 0; t < N; t++)
    for (let c = 0; c < M; c++) {
      if (at + rowBytes > buffer.length) {
        yield buffer.subarray(0, at);
        at = 0;
        if (rowBytes > buffer.length) buffer = new Uint8Array(2 * rowBytes);
      }
      put(`${c + 1},${t + 1},${c * N + t + 1}`);
      for (let k = 0, i = c * N + t; k < P; k++, i += step) {
        buffer[at++] = COMMA;
        put(formatDrawValue(values[i]!));
      }
      buffer[at++] = LF;
    }
  if (at > 0) yield buffer.subarray(0, at);
}

/**
 * The draws as CSV text in posterior's `draws_df` layout (see this file's comment).
 *
 * @param draws - the draws
 * @returns the CSV text: `.chain,.iteration,.draw,NAME...` then one row per draw: iteration 1 of
 *   every chain, then iteration 2, ... (posterior reads rows in any order)
 * @example formatDrawsCsv(createDraws(["mu"], 1, 0)) // ".chain,.iteration,.draw,mu\n"
 */
export function formatDrawsCsv(draws: Draws): string {
  checkDrawsArgument(draws);
  const decoder = new TextDecoder();
  let text = "";
  for (const piece of drawsCsvPieces(draws)) text += decoder.decode(piece, { stream: true });
  return text + decoder.decode();
}

/**
 * The chains of several draws files as one set of draws (CmdStan writes one file per chain): the
 * files' chains in order. Every file must have the same parameters, in the same order, and as many
 * draws per chain.
 *
 * @param parts - each file's draws and its name for messages
 * @returns the draws with all the files' chains
 * @throws DataError (FILE) naming the file that differs
 * @example combineChains([{ draws: a, source: "a.csv" }, { draws: b, source: "b.csv" }]).chains // a.chains + b.chains
 */
export function combineChains(parts: readonly { readonly draws: Draws; readonly source: string }[]): Draws {
  const first = parts[0];
  if (first === undefined) throw new DataError("FILE", "no draws file was given.");
  if (parts.length === 1) return first.draws;
  const { parameters, iterations } = first.draws;
  for (const { draws, source } of parts.slice(1)) {
    const k = parameters.findIndex((name, j) => draws.parameters[j] !== name);
    if (k >= 0 || draws.parameters.length !== parameters.length)
      throw new DataError(
        "FILE",
        `${source} does not have the parameters of ${first.source}: ${
          k >= 0
            ? `column ${k + 1} is \`${draws.parameters[k] ?? "(none)"}\`, not \`${parameters[k]}\``
            : `it has ${draws.parameters.length} parameters, not ${parameters.length}`
        }.`,
      );
    if (draws.iterations !== iterations)
      throw new DataError(
        "FILE",
        `${source} has ${draws.iterations} draws per chain and ${first.source} has ${iterations}: chains must have equal numbers of draws.`,
      );
  }
  const chains = parts.reduce((sum, p) => sum + p.draws.chains, 0);
  const out = createDraws(parameters, chains, iterations);
  for (let k = 0; k < parameters.length; k++) {
    let at = k * chains * iterations;
    for (const { draws } of parts) {
      const block = draws.chains * iterations;
      out.values.set(draws.values.subarray(k * block, (k + 1) * block), at);
      at += block;
    }
  }
  return out;
}
