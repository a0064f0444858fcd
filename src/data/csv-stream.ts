/**
 * CSV read in one streaming pass: text arrives in chunks of any size and is never held whole, and
 * each column is typed as it grows, so memory is that of the typed columns (8 bytes a row for a
 * number), not of the text. The result is what `parseCsv` (./csv.ts) gives the whole text — the same
 * `read.csv` rules, names, values, types, missing values and error messages (test/data-sources
 * checks the equality on the fixtures and on generated CSV cut into random chunks).
 *
 * Typing while streaming: a column is "all missing" until its first value, then logical (`T`, `F`,
 * `TRUE`, `FALSE`), numeric (R's `type.convert`, see ./numbers.ts) or string, and can only move on to
 * string (a logical or numeric column that meets text becomes text, as `read.csv` types it). To give
 * the exact text of the numbers seen before, a numeric column keeps the text of each number whose
 * shortest JavaScript form differs from it (`1.50`, `007`, `1e3`); past `maxKeptTexts` such numbers
 * it stops keeping them, and if the column then turns to text the reader throws a `DataError` asking
 * for the column in `text` (Node's `readCsvFileStream` then reads the file again by itself).
 *
 * The one difference from `parseCsv`: a file with several faults reports the first one met in
 * reading order (`parseCsv` reports a NUL character anywhere before a ragged row).
 */
import { ArgumentError, DataError } from "../errors";
import { parseRNumber } from "./numbers";
import { selectColumns } from "./select";
import { DataTable } from "./table";
import type { Column } from "./types";
import { makeUnique } from "./unique";

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** Options of `CsvStreamReader` and `readCsvStream`. */
export interface CsvStreamOptions {
  /** The columns to keep (the others are parsed but not stored); all when left out. */
  readonly columns?: readonly string[];
  /** Columns read as text whatever they hold (needed only after the `maxKeptTexts` error). */
  readonly text?: readonly string[];
  /**
   * Per numeric column, how many numbers written in a non-shortest form (`1.50`) keep their text in
   * case the column turns out to be text.
   * @default 1000000
   */
  readonly maxKeptTexts?: number;
}

/** The error code-and-property a reader throws when a column needs a second pass as text. */
export class CsvTextColumnError extends DataError {
  /** The column that must be read as text. */
  readonly textColumn: string;

  constructor(column: string, row: number, kept: number) {
    super(
      "INVALID_DATA",
      `invalid data. Column \`${column}\` held numbers up to row ${row - 1} and text in row ${row}, so it is a text column, but more than ${kept} of its numbers were written in a form whose text was not kept (such as \`1.50\`): read it again with \`text: ["${column}"]\`.`,
      { column, row },
    );
    this.name = "CsvTextColumnError";
    this.textColumn = column;
  }
}

function notCsv(reason: string, row?: number): DataError {
  return new DataError("FILE", `not CSV: ${reason}.`, row === undefined ? {} : { row });
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf("\n", from); i >= 0 && i < to; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

/**
 * Reads CSV text chunk by chunk into a `DataTable`: `write(chunk)` as text arrives, `end()` for
 * the table.
 *
 * @example const r = new CsvStreamReader(); r.write("y,g\n1.5,a\n2,"); r.write("b\n"); r.end().nrows // 2
 */
export class CsvStreamReader {
  readonly #options: CsvStreamOptions;
  #buffer = "";
  #started = false;
  /** Number of "\n" characters before the buffer's first character. */
  #newlinesBefore = 0;
  /** 1-based line where the next record starts (counted as parseCsv counts it). */
  #line = 1;
  #names: string[] | null = null;
  #width = 0;
  #rowNames: boolean | undefined;
  #nrows = 0;
  #keep: (ColumnTyper | null)[] = [];
  #typers: ColumnTyper[] = [];
  #kept: string[] = [];
  readonly #record: string[] = [];
  #ended = false;

  constructor(options: CsvStreamOptions = {}) {
    this.#options = options;
  }

  /** Parses the next chunk of text. */
  write(chunk: string): void {
    if (this.#ended) throw new Error("CsvStreamReader: write() after end()");
    if (chunk.length === 0) return;
    if (!this.#started) {
      this.#started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    const carried = this.#buffer.length;
    this.#buffer = carried === 0 ? chunk : this.#buffer + chunk;
    const nul = chunk.indexOf("\u0000");
    if (nul >= 0) {
      const line = this.#newlinesBefore + countNewlines(this.#buffer, 0, carried + nul) + 1;
      throw notCsv(`it contains a NUL character (line ${line}): a binary file?`);
    }
    this.#parse(false);
  }

  /** Ends the input and returns the table. */
  end(): DataTable {
    if (this.#ended) throw new Error("CsvStreamReader: end() twice");
    this.#parse(true);
    this.#ended = true;
    if (this.#names === null) throw notCsv("it is empty: no header row");
    const columns = new Map<string, Column>();
    this.#typers.forEach((typer, j) => {
      columns.set(this.#kept[j]!, typer.finish(this.#nrows));
    });
    return new DataTable(this.#kept, this.#nrows, columns);
  }

  #parse(final: boolean): void {
    const text = this.#buffer;
    const n = text.length;
    const record = this.#record;
    let pos = 0;
    while (pos < n) {
      record.length = 0;
      const line = this.#line;
      const next = this.#readRecord(text, pos, final, record);
      if (next < 0) break;
      pos = next;
      if (record.length === 1 && record[0] === "") continue; // a blank line
      if (this.#names === null) this.#header(record);
      else this.#row(record, line);
    }
    if (pos > 0) {
      this.#newlinesBefore += countNewlines(text, 0, pos);
      this.#buffer = pos >= n ? "" : text.slice(pos);
    }
  }

  #header(record: readonly string[]): void {
    const names = makeUnique(record.map((h) => (h === "" ? "X" : h)));
    this.#names = names;
    this.#width = names.length;
    this.#kept = selectColumns(names, this.#options.columns, "the CSV header");
    const kept = new Set(this.#kept);
    const text = new Set(this.#options.text ?? []);
    const max = this.#options.maxKeptTexts ?? 1_000_000;
    this.#keep = names.map((name) => {
      if (!kept.has(name)) return null;
      const typer = new ColumnTyper(name, text.has(name), max);
      this.#typers.push(typer);
      return typer;
    });
  }

  #row(record: readonly string[], line: number): void {
    const k = this.#width;
    this.#rowNames ??= record.length === k + 1;
    const width = this.#rowNames ? k + 1 : k;
    if (record.length !== width) {
      const expected = this.#rowNames
        ? `the rows before it have ${width} (a row name and ${k} fields)`
        : `the header has ${k}`;
      throw notCsv(
        `row ${this.#nrows + 1} (line ${line}) has ${record.length} field${record.length === 1 ? "" : "s"}, but ${expected}`,
        this.#nrows + 1,
      );
    }
    const skip = this.#rowNames ? 1 : 0;
    const keep = this.#keep;
    for (let j = 0; j < k; j++) keep[j]?.push(record[j + skip]!);
    this.#nrows++;
  }

  /**
   * Reads one record starting at `start` into `out` (the rules of parseCsv's record reader).
   * Returns the position after it, or -1 when the text ends before the record is known to be
   * complete and more text may come.
   */
  #readRecord(text: string, start: number, final: boolean, out: string[]): number {
    const n = text.length;
    let pos = start;
    let lines = 0;
    for (;;) {
      let field: string;
      if (text.charCodeAt(pos) === QUOTE) {
        const quoteAt = pos;
        pos++;
        field = "";
        for (;;) {
          const close = text.indexOf('"', pos);
          if (close < 0 || (close + 1 >= n && !final)) {
            if (!final) return -1;
            const line = this.#newlinesBefore + countNewlines(text, 0, quoteAt) + 1;
            throw notCsv(`a quoted field starting on line ${line} is never closed`);
          }
          if (text.charCodeAt(close + 1) === QUOTE) {
            field += text.slice(pos, close + 1);
            pos = close + 2;
          } else {
            field = field === "" ? text.slice(pos, close) : field + text.slice(pos, close);
            pos = close + 1;
            break;
          }
        }
        // Text after the closing quote, up to the delimiter, is kept (as R's scan does).
        const rest = pos;
        while (pos < n) {
          const c = text.charCodeAt(pos);
          if (c === COMMA || c === LF || c === CR) break;
          pos++;
        }
        if (pos >= n && !final) return -1;
        if (pos > rest) field += text.slice(rest, pos);
        lines += countNewlines(text, quoteAt, pos);
      } else {
        const from = pos;
        while (pos < n) {
          const c = text.charCodeAt(pos);
          if (c === COMMA || c === LF || c === CR) break;
          pos++;
        }
        if (pos >= n && !final) return -1;
        field = text.slice(from, pos);
      }
      out.push(field);
      if (pos >= n) break;
      const c = text.charCodeAt(pos);
      if (c === COMMA) {
        pos++;
        if (pos >= n) {
          if (!final) return -1;
          out.push("");
          break;
        }
        continue;
      }
      // End of record: \n, \r\n or a lone \r.
      pos++;
      if (c === CR) {
        if (pos >= n && !final) return -1;
        if (text.charCodeAt(pos) === LF) pos++;
      }
      lines++;
      break;
    }
    this.#line += lines;
    return pos;
  }
}

/** A copy of a string that holds no reference to the chunk it was sliced from. */
function detach(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

const EMPTY = 0;
const LOGICAL = 1;
const NUMERIC = 2;
const TEXT = 3;

const LOGICAL_TEXT = ["", "FALSE", "TRUE", "F", "T"] as const;

/** One column, typed as it grows (see the file comment). */
class ColumnTyper {
  readonly #name: string;
  readonly #maxTexts: number;
  #state: number;
  #n = 0;
  #capacity = 1024;
  // numeric
  #numbers: Float64Array | null = null;
  #missing: Uint8Array | null = null;
  #texts: Map<number, string> | null = null;
  #textsLost = false;
  // logical: 0 missing, else an index into LOGICAL_TEXT
  #logical: Uint8Array | null = null;
  // text: a level code per row, -1 missing
  #codes: Int32Array | null = null;
  #levels: string[] = [];
  #dictionary: Map<string, number> | null = null;

  constructor(name: string, text: boolean, maxTexts: number) {
    this.#name = name;
    this.#maxTexts = maxTexts;
    this.#state = EMPTY;
    if (text) this.#toText();
  }

  push(field: string): void {
    if (this.#n === this.#capacity) this.#grow();
    const i = this.#n;
    if (field === "" || field === "NA") {
      switch (this.#state) {
        case NUMERIC:
          this.#missing ??= new Uint8Array(this.#capacity);
          this.#missing[i] = 1;
          break;
        case TEXT:
          this.#codes![i] = -1;
          break;
        // LOGICAL: code 0 already; EMPTY: nothing stored
      }
      this.#n++;
      return;
    }
    if (this.#state === TEXT) {
      this.#pushText(field);
      return;
    }
    if (this.#state === NUMERIC) {
      const v = parseRNumber(field);
      if (v !== undefined) {
        this.#numbers![i] = v;
        if (String(v) !== field) this.#keepText(i, field);
        this.#n++;
        return;
      }
      this.#toText();
      this.#pushText(field);
      return;
    }
    const logical = logicalCode(field);
    if (this.#state === LOGICAL) {
      if (logical > 0) {
        this.#logical![i] = logical;
        this.#n++;
        return;
      }
      this.#toText();
      this.#pushText(field);
      return;
    }
    // EMPTY: the first value decides, for now.
    if (logical > 0) {
      this.#state = LOGICAL;
      this.#logical = new Uint8Array(this.#capacity);
      this.#logical[i] = logical;
      this.#n++;
      return;
    }
    const v = parseRNumber(field);
    if (v !== undefined) {
      this.#state = NUMERIC;
      this.#numbers = new Float64Array(this.#capacity);
      if (i > 0) {
        this.#missing = new Uint8Array(this.#capacity);
        this.#missing.fill(1, 0, i);
      }
      this.#numbers[i] = v;
      if (String(v) !== field) this.#keepText(i, field);
      this.#n++;
      return;
    }
    this.#toText();
    this.#pushText(field);
  }

  #keepText(i: number, field: string): void {
    if (this.#textsLost) return;
    this.#texts ??= new Map();
    if (this.#texts.size >= this.#maxTexts) {
      this.#textsLost = true;
      this.#texts = null;
      return;
    }
    this.#texts.set(i, detach(field));
  }

  #pushText(field: string): void {
    const dictionary = this.#dictionary!;
    let code = dictionary.get(field);
    if (code === undefined) {
      code = this.#levels.length;
      const level = detach(field);
      this.#levels.push(level);
      dictionary.set(level, code);
    }
    this.#codes![this.#n] = code;
    this.#n++;
  }

  /** Turns the column into a text column, keeping the text of the rows so far. */
  #toText(): void {
    if (this.#state === NUMERIC && this.#textsLost)
      throw new CsvTextColumnError(this.#name, this.#n + 1, this.#maxTexts);
    const n = this.#n;
    const codes = new Int32Array(this.#capacity).fill(-1, 0, n);
    this.#dictionary = new Map();
    const state = this.#state;
    this.#state = TEXT;
    this.#codes = codes;
    const save = this.#n;
    for (let i = 0; i < n; i++) {
      let text: string | undefined;
      if (state === LOGICAL) {
        const code = this.#logical![i]!;
        if (code > 0) text = LOGICAL_TEXT[code];
      } else if (state === NUMERIC && this.#missing?.[i] !== 1)
        text = this.#texts?.get(i) ?? String(this.#numbers![i]);
      if (text === undefined) continue;
      this.#n = i;
      this.#pushText(text);
    }
    this.#n = save;
    this.#numbers = null;
    this.#missing = null;
    this.#texts = null;
    this.#logical = null;
  }

  #grow(): void {
    const capacity = this.#capacity * 2;
    const grow = <T extends Float64Array | Uint8Array | Int32Array>(
      a: T | null,
      make: (n: number) => T,
    ): T | null => {
      if (a === null) return null;
      const b = make(capacity);
      b.set(a);
      return b;
    };
    this.#numbers = grow(this.#numbers, (k) => new Float64Array(k));
    this.#missing = grow(this.#missing, (k) => new Uint8Array(k));
    this.#logical = grow(this.#logical, (k) => new Uint8Array(k));
    this.#codes = grow(this.#codes, (k) => new Int32Array(k));
    this.#capacity = capacity;
  }

  finish(nrows: number): Column {
    const n = nrows;
    switch (this.#state) {
      case LOGICAL: {
        const codes = this.#logical!;
        const values: (boolean | null)[] = new Array(n);
        for (let i = 0; i < n; i++) {
          const c = codes[i]!;
          values[i] = c === 0 ? null : c === 2 || c === 4;
        }
        return { type: "logical", values };
      }
      case TEXT: {
        const codes = this.#codes!;
        const levels = this.#levels;
        const values: (string | null)[] = new Array(n);
        for (let i = 0; i < n; i++) {
          const c = codes[i]!;
          values[i] = c < 0 ? null : levels[c]!;
        }
        return { type: "string", values };
      }
      case NUMERIC:
        return {
          type: "numeric",
          values: this.#numbers!.slice(0, n),
          missing: this.#missing === null ? null : this.#missing.slice(0, n),
        };
      default: {
        // No value at all: numbers, all missing (as parseCsv and read.csv type it).
        const missing = n > 0 ? new Uint8Array(n).fill(1) : null;
        return { type: "numeric", values: new Float64Array(n), missing };
      }
    }
  }
}

/** 1–4 for `FALSE`, `TRUE`, `F`, `T` (indices into LOGICAL_TEXT); 0 for anything else. */
function logicalCode(field: string): number {
  switch (field) {
    case "FALSE":
      return 1;
    case "TRUE":
      return 2;
    case "F":
      return 3;
    case "T":
      return 4;
    default:
      return 0;
  }
}

/** A stream of CSV bytes or text: a web `ReadableStream` or any async iterable of chunks. */
export type CsvByteStream =
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array | string>
  | { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array | string }> } };

/**
 * Reads a stream of CSV bytes (UTF-8) or text into a `DataTable` in one pass (see `CsvStreamReader`).
 *
 * @param stream - a `ReadableStream` (e.g. `file.stream()` in a browser, `Response.body`) or an
 *   (async) iterable of `Uint8Array` or string chunks (e.g. Node's `fs.createReadStream`).
 * @param options - see `CsvStreamOptions`.
 * @returns the table, as `parseCsv` gives the whole text.
 * @throws DataError (FILE) when the text is not CSV or the bytes are not UTF-8.
 * @example lmm("y ~ x + (1 | g)", await readCsvStream(file.stream()))
 */
export async function readCsvStream(
  stream: CsvByteStream,
  options: CsvStreamOptions = {},
): Promise<DataTable> {
  if (
    typeof stream !== "object" ||
    stream === null ||
    !(
      Symbol.asyncIterator in stream ||
      Symbol.iterator in stream ||
      typeof (stream as { getReader?: unknown }).getReader === "function"
    )
  )
    throw new ArgumentError("stream", "must be a stream or an iterable of CSV chunks", stream);
  const reader = new CsvStreamReader(options);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const take = (chunk: Uint8Array | string): void => {
    if (typeof chunk === "string") reader.write(chunk);
    else {
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw notCsv("it is not UTF-8 text");
      }
      reader.write(text);
    }
  };
  if ("getReader" in stream) {
    const r = stream.getReader();
    for (;;) {
      const { done, value } = await r.read();
      if (done) break;
      if (value !== undefined) take(value);
    }
  } else for await (const chunk of stream) take(chunk);
  try {
    reader.write(decoder.decode());
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw notCsv("it is not UTF-8 text");
  }
  return reader.end();
}
