/**
 * The formula tokenizer: turns formula text into tokens, one at a time, each with its 1-based column.
 *
 * Tokens: names (`x`, `log.dose`, `a_b`, `` `my col` ``), numbers (`0`, `1`, `2.5`, `1e-3`, `2L`), the
 * operators `~ + - * / : ^ %in% | ||`, `=` (named arguments of a call), parentheses and commas.
 * Whitespace (spaces, tabs, newlines) separates tokens. A name starts with a letter, `_` or `.` (not
 * followed by a digit, which makes `.5` a number) and goes on with letters, digits, `.` and `_`; any
 * other name is written in backticks, where `` \` `` and `\\` stand for a backtick and a backslash.
 * Characters that cannot start a token are a `FormulaError` at their column, with a hint for the usual
 * suspects (quotes, `%%`-operators other than `%in%`, comparisons).
 */
import { FormulaError } from "../errors";

/** The punctuation and operator tokens. */
export type Operator = "~" | "+" | "-" | "*" | "/" | ":" | "^" | "%in%" | "=" | "|" | "||" | "(" | ")" | ",";

/** One token; `pos` is the 1-based column of its first character, `text` its source text. */
export type Token =
  | { readonly kind: "name"; readonly name: string; readonly text: string; readonly pos: number }
  | {
      readonly kind: "number";
      readonly value: number;
      /** Written with R's integer suffix `L` (`2L`). */
      readonly integer: boolean;
      readonly text: string;
      readonly pos: number;
    }
  | { readonly kind: Operator; readonly text: string; readonly pos: number }
  | { readonly kind: "end"; readonly text: ""; readonly pos: number };

const NAME = /(?:[\p{L}_]|\.(?!\d))[\p{L}\p{N}._]*/uy;
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?L?/y;
const WHITESPACE = /\s+/y;
const SINGLE: ReadonlySet<string> = new Set(["~", "+", "-", "*", "/", ":", "^", "(", ")", ","]);
const PERCENT = /%[^%\n]*%/y;

/** Reads the tokens of a formula text left to right; the parser pulls them with `next()`. */
export class Tokenizer {
  private readonly text: string;
  private index = 0;
  private lookahead: Token | undefined;

  constructor(text: string) {
    this.text = text;
  }

  /** The next token without consuming it. */
  peek(): Token {
    this.lookahead ??= this.read();
    return this.lookahead;
  }

  /** Consumes and returns the next token. */
  next(): Token {
    const token = this.peek();
    this.lookahead = undefined;
    return token;
  }

  private read(): Token {
    const text = this.text;
    WHITESPACE.lastIndex = this.index;
    if (WHITESPACE.test(text)) this.index = WHITESPACE.lastIndex;
    const start = this.index;
    const pos = start + 1;
    if (start >= text.length) return { kind: "end", text: "", pos };
    const char = text[start] as string;

    if (char === "|") {
      const double = text[start + 1] === "|";
      this.index = start + (double ? 2 : 1);
      return double ? { kind: "||", text: "||", pos } : { kind: "|", text: "|", pos };
    }
    if (SINGLE.has(char)) {
      this.index = start + 1;
      return { kind: char as Operator, text: char, pos };
    }
    if (char === "`") return this.readQuotedName(start);
    if (char === "=") {
      if (text[start + 1] === "=")
        throw new FormulaError(
          "'==' (a comparison) is not supported in a formula; add the indicator to the data",
          pos,
        );
      this.index = start + 1;
      return { kind: "=", text: "=", pos };
    }
    if (char === "%") {
      PERCENT.lastIndex = start;
      if (!PERCENT.test(text))
        throw new FormulaError("unterminated '%' operator: the only one is %in% (a %in% b)", pos);
      const op = text.slice(start, PERCENT.lastIndex);
      if (op !== "%in%")
        throw new FormulaError(
          `unsupported operator ${op}; the only %-operator in a formula is %in% (a %in% b)`,
          pos,
        );
      this.index = PERCENT.lastIndex;
      return { kind: "%in%", text: op, pos };
    }

    NUMBER.lastIndex = start;
    if (NUMBER.test(text)) {
      this.index = NUMBER.lastIndex;
      const source = text.slice(start, this.index);
      const integer = source.endsWith("L");
      return {
        kind: "number",
        value: Number(integer ? source.slice(0, -1) : source),
        integer,
        text: source,
        pos,
      };
    }
    NAME.lastIndex = start;
    if (NAME.test(text)) {
      this.index = NAME.lastIndex;
      const name = text.slice(start, this.index);
      return { kind: "name", name, text: name, pos };
    }
    throw unexpectedCharacter(text, start);
  }

  /** A backtick-quoted name; `\` escapes the next character. */
  private readQuotedName(start: number): Token {
    const text = this.text;
    let name = "";
    let i = start + 1;
    while (i < text.length) {
      const c = text[i] as string;
      if (c === "`") {
        if (name.length === 0)
          throw new FormulaError("empty name '``': a quoted name needs a character", start + 1);
        this.index = i + 1;
        return { kind: "name", name, text: text.slice(start, i + 1), pos: start + 1 };
      }
      if (c === "\\" && i + 1 < text.length) {
        name += text[i + 1];
        i += 2;
      } else {
        name += c;
        i += 1;
      }
    }
    throw new FormulaError("unterminated name: the '`' has no closing '`'", start + 1);
  }
}

/** The error for a character that cannot start a token, with a hint where one helps. */
function unexpectedCharacter(text: string, index: number): FormulaError {
  const codePoint = text.codePointAt(index) ?? 0;
  const char = String.fromCodePoint(codePoint);
  const pos = index + 1;
  if (char === "<" || char === ">" || char === "!" || char === "&")
    return new FormulaError(
      `unexpected character '${char}': comparisons and logical operators are not supported in a formula; add the indicator to the data as a column`,
      pos,
    );
  if (char === '"' || char === "'")
    return new FormulaError(
      `unexpected quote ${char}; write a name with spaces or symbols in backticks, e.g. \`my column\``,
      pos,
    );
  return new FormulaError(`unexpected character ${describeCharacter(codePoint)}`, pos);
}

/** `'#'` for a printable character, `U+0007` for the others. */
function describeCharacter(codePoint: number): string {
  const char = String.fromCodePoint(codePoint);
  if (/[\p{L}\p{N}\p{P}\p{S}]/u.test(char)) return `'${char}'`;
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** How a token reads in a message: `'x'`, `')'`, or `the end of the formula`. */
export function describeToken(token: Token): string {
  if (token.kind === "end") return "the end of the formula";
  return `'${token.text}'`;
}
