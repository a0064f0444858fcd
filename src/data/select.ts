/**
 * The `columns` option of the file readers: which columns to keep, checked against the names the
 * file has (an unknown name is an error with the close names suggested, as a formula's is).
 */
import { DataError } from "../errors";
import { closeNames } from "./suggest";

/**
 * The names to keep, in the file's order.
 *
 * @param names - the file's column names.
 * @param wanted - the columns asked for, or `undefined` for all.
 * @param source - what the names come from, for the message (e.g. "the Parquet file").
 * @returns the kept names.
 * @throws DataError (UNKNOWN_COLUMN) for a name the file does not have.
 */
export function selectColumns(
  names: readonly string[],
  wanted: readonly string[] | undefined,
  source: string,
): string[] {
  if (wanted === undefined) return [...names];
  const have = new Set(names);
  for (const name of wanted)
    if (!have.has(name)) {
      const close = closeNames(name, names);
      const hint = close.length > 0 ? ` Did you mean ${close.map((c) => `\`${c}\``).join(" or ")}?` : "";
      const shown = names.slice(0, 12).map((c) => `\`${c}\``);
      const more = names.length > 12 ? `, ... (${names.length} in all)` : "";
      const list = names.length === 0 ? "no columns" : `columns ${shown.join(", ")}${more}`;
      throw new DataError(
        "UNKNOWN_COLUMN",
        `unknown column. \`columns\` asks for \`${name}\`, which ${source} does not have.${hint} It has ${list}.`,
        { column: name },
      );
    }
  const keep = new Set(wanted);
  return names.filter((name) => keep.has(name));
}
