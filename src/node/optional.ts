/**
 * Optional dependencies, imported the first time they are needed: the package works without
 * them, and a feature that needs one says how to install it (`LmmError` MISSING_DEPENDENCY).
 */
import { LmmError } from "../errors";

/**
 * Imports an optional dependency.
 *
 * @param name - the npm package.
 * @param load - `() => import("name")` (a literal import, so bundlers see it).
 * @param feature - what needs it, for the message.
 * @returns the module.
 * @throws LmmError (MISSING_DEPENDENCY) when it is not installed.
 */
export async function importOptional<T>(name: string, load: () => Promise<T>, feature: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && message.includes(name))
      throw new LmmError(
        "MISSING_DEPENDENCY",
        `${feature} needs the optional package \`${name}\`, which is not installed: npm install ${name}`,
      );
    throw error;
  }
}
