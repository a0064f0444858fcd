/**
 * Writing files atomically (Node): the bytes go to a temporary file beside the target
 * (`.NAME.PID-N.tmp`, in the same folder so that the rename stays on one file system), which is
 * flushed to disk and then renamed over the target. A reader, or a crash at any moment, sees either
 * the old file or the whole new one — never a half-written file under the requested name. A
 * temporary file left by a failed write is removed; one left by a process that dies mid-write is
 * removed when the process exits normally.
 *
 * Every failure is a `DataError` with code FILE naming the path and the reason in words.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { DataError } from "../errors";

/** Temporary files not yet renamed or removed (removed at exit). */
const pending = new Set<string>();
let counter = 0;
let exitHook = false;

function removePending(): void {
  for (const path of pending) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  pending.clear();
}

/** A file system error in words: "permission denied", "no space left on the device", ... */
export function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return "no such file or folder";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "it is a folder";
    case "ENOTDIR":
      return "a part of the path is a file, not a folder";
    case "ENOSPC":
      return "no space left on the device";
    case "EDQUOT":
      return "the disk quota is exceeded";
    case "EROFS":
      return "the file system is read-only";
    case "ENAMETOOLONG":
      return "the name is too long";
    case "EMFILE":
    case "ENFILE":
      return "too many open files";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

function writeError(what: string, path: string, error: unknown): DataError {
  if (error instanceof DataError) return error;
  return new DataError("FILE", `cannot write ${what} \`${path}\`: ${fileErrorReason(error)}.`);
}

/** A fresh temporary path beside `path`. */
function temporaryPath(path: string): string {
  counter++;
  return join(dirname(path), `.${basename(path)}.${process.pid}-${counter}.tmp`);
}

/**
 * Checks that a new file can be created in folder `dir` by creating and removing one.
 *
 * @throws DataError (FILE) saying why not, naming `path` (what the caller wants to write)
 */
export function checkCanCreateIn(dir: string, what: string, path: string): void {
  const probe = join(dir, `.bayes-lmm-probe.${process.pid}-${++counter}.tmp`);
  try {
    closeSync(openSync(probe, "wx"));
  } catch (error) {
    throw new DataError(
      "FILE",
      `cannot write ${what} \`${path}\`: folder \`${dir}\` cannot be written to (${fileErrorReason(error)}).`,
    );
  }
  try {
    unlinkSync(probe);
  } catch {
    // a probe that cannot be removed is harmless
  }
}

/**
 * Writes `pieces` (text or bytes, in order) to `path` atomically (see the file comment).
 *
 * @param path - the target (replaced if it exists)
 * @param pieces - the content
 * @param what - how to name the file in messages ("draws file", "report")
 * @throws DataError (FILE) naming the path, when the file cannot be written
 * @example writeFileAtomic("report.html", [html], "report")
 */
export function writeFileAtomic(path: string, pieces: Iterable<string | Uint8Array>, what = "file"): void {
  let isFolder = false;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    isFolder = false;
  }
  if (isFolder) throw new DataError("FILE", `cannot write ${what} \`${path}\`: it is a folder.`);
  if (!exitHook) {
    process.once("exit", removePending);
    exitHook = true;
  }
  const temporary = temporaryPath(path);
  let fd: number;
  try {
    fd = openSync(temporary, "wx", 0o666);
  } catch (error) {
    throw writeError(what, path, error);
  }
  pending.add(temporary);
  let renamed = false;
  try {
    try {
      for (const piece of pieces) {
        const bytes = typeof piece === "string" ? Buffer.from(piece, "utf8") : piece;
        let offset = 0;
        while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
    renamed = true;
  } catch (error) {
    throw writeError(what, path, error);
  } finally {
    pending.delete(temporary);
    if (!renamed) {
      try {
        unlinkSync(temporary);
      } catch {
        // nothing to remove
      }
    }
  }
}

/**
 * Creates folder `dir` (and its parents) if needed.
 *
 * @throws DataError (FILE) naming the folder
 */
export function makeFolder(dir: string, what: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new DataError("FILE", `cannot create ${what} \`${dir}\`: ${fileErrorReason(error)}.`);
  }
}
