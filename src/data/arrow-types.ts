/**
 * Arrow column types the way the CSV path would see the same data (used by `toDataTable` for any
 * Arrow-like table, and so by `readArrowIpc`). Type ids are Arrow's (its flatbuffer `Type` enum,
 * shared by apache-arrow and flechette; a dictionary is -1 and is read as its values).
 *
 * - Int, Float, Decimal → numeric; Utf8, LargeUtf8, Utf8View, dictionaries of strings → string;
 *   Bool → logical; Null → numeric, all missing (as `read.csv` reads an all-NA column);
 * - Date (days or milliseconds) → its ISO text (`2024-01-31`), which is what the same column gives
 *   through `write.csv` and `read.csv`;
 * - times, timestamps, durations, intervals, binary, lists, structs, maps, unions → a column that
 *   is an error only when a model uses it.
 */

/** Arrow's type id of a date column. */
export const ARROW_DATE = 8;

/** Arrow's type id of a decimal column. */
export const ARROW_DECIMAL = 7;

const UNUSABLE: Readonly<Record<number, string>> = {
  4: "binary",
  9: "time",
  10: "timestamp",
  11: "interval",
  12: "list",
  13: "struct",
  14: "union",
  15: "fixed-size binary",
  16: "fixed-size list",
  17: "map",
  18: "duration",
  19: "large binary",
  21: "large list",
  23: "binary view",
  25: "list view",
  26: "large list view",
};

/**
 * Why a column of Arrow type `typeId` cannot be used in a model, or `undefined` when it can.
 *
 * @param name - the column's name, for the message.
 * @param typeId - the field's `type.typeId` (`undefined` when the table does not say).
 * @returns the reason (a phrase after "The ", as `InvalidColumn.reason` is used), or `undefined`.
 */
export function arrowTypeProblem(name: string, typeId: number | undefined): string | undefined {
  if (typeId === undefined) return undefined;
  const kind = UNUSABLE[typeId];
  if (kind === undefined) return undefined;
  const advice =
    kind === "time" || kind === "timestamp" || kind === "duration" || kind === "interval"
      ? ": convert it to numbers (e.g. days) or text first"
      : "";
  return `column \`${name}\` is an Arrow ${kind} column, which a model cannot use${advice}`;
}

/** The ISO date text (`2024-01-31`) of a date given as milliseconds since 1970-01-01 (UTC). */
export function isoDate(milliseconds: number): string {
  return new Date(milliseconds).toISOString().slice(0, 10);
}
