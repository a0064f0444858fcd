/**
 * Typed columns grown value by value, for the readers that know a column's type before its values
 * (a Parquet or Arrow schema, an SQL result's column types): numbers go into a `Float64Array` with
 * a missing-value mask, strings and booleans into arrays with `null` for missing — the `Column`
 * shapes of ./types.ts, so every reader gives what `parseCsv` gives.
 */
import type { Column } from "./types";

/** The type of column a builder makes. */
export type ColumnKind = "numeric" | "string" | "logical";

/** One column of a known type, grown one value at a time (missing: `null` or `undefined`). */
export interface ColumnBuilder {
  readonly kind: ColumnKind | "invalid";
  /** Appends one value; a value of another type than the column's is a reader's bug. */
  push(value: unknown): void;
  /** Number of values so far. */
  readonly length: number;
  /** The finished column (the builder must not be used afterwards). */
  finish(): Column;
}

/**
 * A builder for a column of type `kind`; an `"invalid"` kind keeps only the reason, which becomes
 * an error when a model uses the column.
 *
 * @param kind - the column's type.
 * @param capacity - expected number of values (grows past it).
 * @param reason - for `"invalid"`: why the column cannot be used.
 * @returns the builder.
 * @example const b = columnBuilder("numeric"); b.push(1.5); b.push(null); b.finish() // { type: "numeric", values: [1.5, 0], missing: [0, 1] }
 */
export function columnBuilder(kind: ColumnKind | "invalid", capacity = 1024, reason = ""): ColumnBuilder {
  if (kind === "numeric") return new NumericBuilder(capacity);
  if (kind === "invalid") return new InvalidBuilder(reason);
  return new ValueBuilder(kind);
}

class NumericBuilder implements ColumnBuilder {
  readonly kind = "numeric";
  #values: Float64Array;
  #missing: Uint8Array | null = null;
  length = 0;

  constructor(capacity: number) {
    this.#values = new Float64Array(Math.max(16, capacity));
  }

  push(value: unknown): void {
    if (this.length === this.#values.length) this.#grow();
    if (value === null || value === undefined) {
      if (this.#missing === null) this.#missing = new Uint8Array(this.#values.length);
      this.#missing[this.length] = 1;
    } else this.#values[this.length] = typeof value === "bigint" ? Number(value) : (value as number);
    this.length++;
  }

  #grow(): void {
    const values = new Float64Array(this.#values.length * 2);
    values.set(this.#values);
    this.#values = values;
    if (this.#missing !== null) {
      const missing = new Uint8Array(values.length);
      missing.set(this.#missing);
      this.#missing = missing;
    }
  }

  finish(): Column {
    const n = this.length;
    const values = this.#values.length === n ? this.#values : this.#values.slice(0, n);
    const missing = this.#missing === null ? null : this.#missing.slice(0, n);
    return { type: "numeric", values, missing };
  }
}

class ValueBuilder implements ColumnBuilder {
  readonly kind: "string" | "logical";
  readonly #values: (string | boolean | null)[] = [];

  constructor(kind: "string" | "logical") {
    this.kind = kind;
  }

  get length(): number {
    return this.#values.length;
  }

  push(value: unknown): void {
    this.#values.push(value === null || value === undefined ? null : (value as string | boolean));
  }

  finish(): Column {
    return this.kind === "string"
      ? { type: "string", values: this.#values as (string | null)[] }
      : { type: "logical", values: this.#values as (boolean | null)[] };
  }
}

class InvalidBuilder implements ColumnBuilder {
  readonly kind = "invalid";
  readonly #reason: string;
  length = 0;

  constructor(reason: string) {
    this.#reason = reason;
  }

  push(): void {
    this.length++;
  }

  finish(): Column {
    return { type: "invalid", reason: this.#reason, row: 1 };
  }
}
