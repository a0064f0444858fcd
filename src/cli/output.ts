/**
 * Output paths, checked before any work starts (a run of minutes must not fail at its end because
 * `--out` names a folder), and written atomically (src/node/atomic.ts).
 */
import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DataError } from "../errors";
import { checkCanCreateIn } from "../node/atomic";

function stat(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Checks that file `path` can be written: it is not a folder, its folder exists and a file can be
 * created there.
 *
 * @param path - the file to write
 * @param what - how to name it ("draws file", "report")
 * @throws DataError (FILE) naming the path and the reason
 */
export function checkOutputFile(path: string, what: string): void {
  if (stat(path)?.isDirectory())
    throw new DataError("FILE", `cannot write ${what} \`${path}\`: it is a folder; give a file name.`);
  const dir = dirname(path);
  const folder = stat(dir);
  if (folder === undefined)
    throw new DataError("FILE", `cannot write ${what} \`${path}\`: folder \`${dir}\` does not exist.`);
  if (!folder.isDirectory())
    throw new DataError("FILE", `cannot write ${what} \`${path}\`: \`${dir}\` is a file, not a folder.`);
  checkCanCreateIn(dir, what, path);
}

/**
 * Checks that folder `dir` can be written into, or created: if it exists it is a folder where files
 * can be created; if not, its nearest existing parent is such a folder.
 *
 * @param dir - the folder
 * @param what - how to name it ("pictures folder")
 * @throws DataError (FILE) naming the folder and the reason
 */
export function checkOutputFolder(dir: string, what: string): void {
  const here = stat(dir);
  if (here !== undefined) {
    if (!here.isDirectory())
      throw new DataError("FILE", `cannot write into ${what} \`${dir}\`: it is a file, not a folder.`);
    checkCanCreateIn(dir, what, dir);
    return;
  }
  let parent = dirname(resolve(dir));
  for (let s = stat(parent); s === undefined; s = stat(parent)) {
    const up = dirname(parent);
    if (up === parent) break;
    parent = up;
  }
  const s = stat(parent);
  if (s === undefined || !s.isDirectory())
    throw new DataError("FILE", `cannot create ${what} \`${dir}\`: \`${parent}\` is a file, not a folder.`);
  checkCanCreateIn(parent, what, dir);
}
