/**
 * `parseCsv`: CSV text → `DataTable`, reading it the way R's `read.csv` does (RFC 4180 quoting,
 * R's `type.convert` for column types), so that a model fitted here sees the data lme4 saw.
 *
 * - The first record is the header. An empty name becomes `X` and repeated names get `.1`, `.2`
 *   (R's `make.unique`); names are otherwise kept as written (R would also replace characters that
 *   are not valid in R names, e.g. a space, by `.`). When every data row has one field more than
 *   the header (`write.table`'s row names), the first field of each row is dropped.
 * - Fields may be quoted with `"`; inside quotes, `""` is a quote and commas and line breaks are
 *   text. Line breaks may be `\n` or `\r\n`; blank lines are skipped; a leading byte-order mark is
 *   ignored.
 * - Missing: an empty field and `NA`, quoted or not. (R keeps an empty field of a string column as
 *   the level `""`; here it is missing in every column.)
 * - Column types as R's `type.convert`: logical when every non-missing field is `T`, `F`, `TRUE`
 *   or `FALSE`; numeric when every non-missing field is a number, quoted or not (`"308"` is the
 *   number 308; `NaN`, `Inf`, hexadecimal count as numbers — see `parseRNumber`); string otherwise.
 * - A record with a different number of fields than the header, an unterminated quote or a NUL
 *   character is an error (code FILE): the text is not CSV. (R pads short rows with NA instead.)
 */
import { ArgumentError, DataError } from "../errors";
import { parseRNumber } from "./numbers";
import { DataTable } from "./table";
import type { Column } from "./types";
import { makeUnique } from "./unique";

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Parses CSV text into a `DataTable` (the rules are in this file's comment).
 *
 * @param input - the whole CSV text, header first (a string, or its UTF-8 bytes).
 * @returns the table; its columns are numeric, string or logical. `table.warnings` lists quoted
 *   fields that run over line breaks (a missing quote merges rows), with their row and line.
 * @throws DataError with code FILE when the text is not CSV (ragged rows, unterminated quote,
 *   binary content, no header).
 * @example parseCsv('y,g\n1.5,"a"\n2,b\n').column("y") // { type: "numeric", values: Float64Array [1.5, 2], missing: null }
 */
export function parseCsv(input: string | Uint8Array): DataTable {
  let text = textOf(input);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const nul = text.indexOf("\u0000");
  if (nul >= 0) throw notCsv(`it contains a NUL character (line ${lineAt(text, nul)}): a binary file?`);
  const reader = new RecordReader(text);
  const header: string[] = [];
  while (header.length === 0 || isBlank(header)) {
    header.length = 0;
    if (!reader.read(header)) throw notCsv("it is empty: no header row");
  }
  const k = header.length;
  const names = uniqueNames(header);
  const fields: string[][] = names.map(() => []);
  const record: string[] = [];
  const warnings: string[] = [];
  let spans = 0;
  let rowNames: boolean | undefined;
  let nrows = 0;
  reader.spans.length = 0;
  for (;;) {
    const line = reader.line;
    record.length = 0;
    if (!reader.read(record)) break;
    if (isBlank(record)) continue;
    rowNames ??= record.length === k + 1;
    const width = rowNames ? k + 1 : k;
    if (record.length !== width) {
      const expected = rowNames
        ? `the rows before it have ${width} (a row name and ${k} fields)`
        : `the header has ${k}`;
      throw notCsv(
        `row ${nrows + 1} (line ${line}) has ${record.length} field${record.length === 1 ? "" : "s"}, but ${expected}`,
        nrows + 1,
      );
    }
    const skip = rowNames ? 1 : 0;
    for (let j = 0; j < k; j++) fields[j]!.push(record[j + skip]!);
    nrows++;
    for (const span of reader.spans.splice(0)) {
      if (warnings.length < MAX_WARNINGS)
        warnings.push(
          `data row ${nrows} (line ${line}): a quoted field runs over ${span.lines} line break${span.lines === 1 ? "" : "s"}, to line ${span.end}${span.trailing ? ", and text follows its closing quote: a quote is probably missing, which merges rows" : ""}; check the file there`,
        );
      spans++;
    }
  }
  if (spans > MAX_WARNINGS)
    warnings.push(`${spans - MAX_WARNINGS} more quoted fields run over line breaks (${spans} in all)`);
  const columns = new Map<string, Column>();
  names.forEach((name, j) => {
    columns.set(name, typeColumn(fields[j]!));
  });
  return new DataTable(names, nrows, columns, warnings);
}

/** Warnings of one kind listed one by one; more are counted in one line. */
const MAX_WARNINGS = 3;

/** The text of the argument: a string, or UTF-8 bytes (Latin-1 when they are not UTF-8). */
function textOf(input: unknown): string {
  if (typeof input === "string") return input;
  if (input instanceof Uint8Array) {
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(input);
    } catch {
      return new TextDecoder("latin1").decode(input);
    }
  }
  throw new ArgumentError("text", "must be CSV text (a string) or its bytes (a Uint8Array or Buffer)", input);
}

function notCsv(reason: string, row?: number): DataError {
  return new DataError("FILE", `not CSV: ${reason}.`, row === undefined ? {} : { row });
}

function isBlank(record: readonly string[]): boolean {
  return record.length === 1 && record[0] === "";
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < position; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** R's names for header fields: an empty one is `X`; repeats are made unique (`make.unique`). */
function uniqueNames(header: readonly string[]): string[] {
  return makeUnique(header.map((h) => (h === "" ? "X" : h)));
}

/** Reads one CSV record at a time. */
class RecordReader {
  readonly #text: string;
  #pos = 0;
  /** 1-based line number where the next record starts. */
  line = 1;
  /** Quoted fields of the records read that run over line breaks: how many, the last line, whether text follows the closing quote. */
  readonly spans: { lines: number; end: number; trailing: boolean }[] = [];

  constructor(text: string) {
    this.#text = text;
  }

  /** Appends the next record's fields to `out`; `false` at the end of the text. */
  read(out: string[]): boolean {
    const text = this.#text;
    const n = text.length;
    let pos = this.#pos;
    if (pos >= n) return false;
    for (;;) {
      let field: string;
      if (text.charCodeAt(pos) === QUOTE) {
        const start = pos;
        pos++;
        field = "";
        for (;;) {
          const close = text.indexOf('"', pos);
          if (close < 0) {
            this.#pos = n;
            throw notCsv(`a quoted field starting on line ${lineAt(text, start)} is never closed`);
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
        if (pos > rest) field += text.slice(rest, pos);
        let breaks = 0;
        for (let i = text.indexOf("\n", start); i >= 0 && i < pos; i = text.indexOf("\n", i + 1)) breaks++;
        if (breaks > 0) this.spans.push({ lines: breaks, end: this.line + breaks, trailing: pos > rest });
        this.line += breaks;
      } else {
        const start = pos;
        while (pos < n) {
          const c = text.charCodeAt(pos);
          if (c === COMMA || c === LF || c === CR) break;
          pos++;
        }
        field = text.slice(start, pos);
      }
      out.push(field);
      if (pos >= n) break;
      const c = text.charCodeAt(pos);
      if (c === COMMA) {
        pos++;
        if (pos >= n) {
          out.push("");
          break;
        }
        continue;
      }
      // End of record: \n, \r\n or a lone \r.
      pos++;
      if (c === CR && text.charCodeAt(pos) === LF) pos++;
      this.line++;
      break;
    }
    this.#pos = pos;
    return true;
  }
}

function isMissing(field: string): boolean {
  return field === "" || field === "NA";
}

/** Types one column's fields as R's `type.convert` does (see the file comment). */
function typeColumn(fields: readonly string[]): Column {
  const n = fields.length;
  let logical = true;
  let any = false;
  for (let i = 0; i < n && logical; i++) {
    const f = fields[i]!;
    if (isMissing(f)) continue;
    any = true;
    logical = f === "TRUE" || f === "FALSE" || f === "T" || f === "F";
  }
  if (any && logical) {
    const values: (boolean | null)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const f = fields[i]!;
      values[i] = isMissing(f) ? null : f === "TRUE" || f === "T";
    }
    return { type: "logical", values };
  }
  const numbers = new Float64Array(n);
  let missing: Uint8Array | null = null;
  let numeric = true;
  for (let i = 0; i < n; i++) {
    const f = fields[i]!;
    if (isMissing(f)) {
      missing ??= new Uint8Array(n);
      missing[i] = 1;
      continue;
    }
    const v = parseRNumber(f);
    if (v === undefined) {
      numeric = false;
      break;
    }
    numbers[i] = v;
  }
  if (numeric) return { type: "numeric", values: numbers, missing };
  const values: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const f = fields[i]!;
    values[i] = isMissing(f) ? null : f;
  }
  return { type: "string", values };
}
