/**
 * A chain state saved and restored generically: the state object (./state's ChainState, whatever its
 * fields) is walked — plain objects by their keys in sorted order, arrays by index — and every number,
 * boolean and typed array met is a leaf. A snapshot is the leaves' paths, kinds and lengths (its
 * signature, checked on restore) and their bytes, concatenated. Nothing here names a field of the
 * state, so a change to the state's fields changes the signature (an old snapshot is refused) but
 * never this code.
 *
 * Scratch space is saved too: it costs bytes, but then nothing that an iteration reads from a
 * previous one can be missed. Objects that are not data (functions, WebAssembly instances, class
 * instances other than typed arrays) are skipped: they hold no state a later iteration reads.
 */
import { ArgumentError } from "../src/errors";

/** A saved chain state. Plain data (structured-cloneable); ./checkpoint writes it as JSON. */
export interface StateSnapshot {
  /** The leaves, one per line: `path kind length` (e.g. `psi.0 Float64Array 4`, `sigma2 number 1`). */
  readonly signature: string;
  /** The leaves' bytes in order (numbers as float64, each leaf padded to 8 bytes), little-endian. */
  readonly bytes: Uint8Array;
}

type TypedArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray;

interface Leaf {
  readonly path: string;
  readonly kind: string;
  readonly length: number;
  /** Bytes of the value now. */
  read(): Uint8Array;
  /** Sets the value from bytes (exactly `bytesOf(kind, length)` of them). */
  write(bytes: Uint8Array): void;
}

function isTypedArray(value: unknown): value is TypedArray {
  return (
    ArrayBuffer.isView(value) &&
    !(value instanceof DataView) &&
    !(value instanceof BigInt64Array) &&
    !(value instanceof BigUint64Array)
  );
}

/** Whether `value` is an object to walk into: a plain object or an array. */
function isData(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function numberLeaf(
  path: string,
  holder: Record<string, unknown>,
  key: string,
  kind: "number" | "boolean",
): Leaf {
  const cell = new Float64Array(1);
  return {
    path,
    kind,
    length: 1,
    read() {
      cell[0] = Number(holder[key]);
      return new Uint8Array(cell.buffer.slice(0));
    },
    write(bytes) {
      new Uint8Array(cell.buffer).set(bytes);
      holder[key] = kind === "boolean" ? cell[0] !== 0 : cell[0];
    },
  };
}

function arrayLeaf(path: string, array: TypedArray): Leaf {
  const view = () => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  return {
    path,
    kind: array.constructor.name,
    length: array.length,
    read: () => view().slice(),
    write(bytes) {
      view().set(bytes.subarray(0, array.byteLength));
    },
  };
}

/** The leaves of `root`, in walk order. */
function leaves(root: object): Leaf[] {
  const out: Leaf[] = [];
  const seen = new Set<object>();
  const walk = (value: object, path: string) => {
    if (seen.has(value)) return;
    seen.add(value);
    const holder = value as Record<string, unknown>;
    const keys = Array.isArray(value) ? value.map((_, i) => String(i)) : Object.keys(value).sort();
    for (const key of keys) {
      const child = holder[key];
      const at = path === "" ? key : `${path}.${key}`;
      if (typeof child === "number") out.push(numberLeaf(at, holder, key, "number"));
      else if (typeof child === "boolean") out.push(numberLeaf(at, holder, key, "boolean"));
      else if (isTypedArray(child)) {
        if (!seen.has(child)) {
          seen.add(child);
          out.push(arrayLeaf(at, child));
        }
      } else if (typeof child === "object" && child !== null && isData(child)) walk(child, at);
    }
  };
  walk(root, "");
  return out;
}

const padded = (n: number) => Math.ceil(n / 8) * 8;

/**
 * Saves a chain state (see the file comment).
 *
 * @param state - the state object (any object of numbers, booleans, typed arrays, arrays and plain objects)
 * @returns its snapshot (copies: the state may change afterwards)
 * @example snapshotState({ sigma2: 2, b: [new Float64Array(3)] }).signature // "b.0 Float64Array 3\nsigma2 number 1"
 */
export function snapshotState(state: object): StateSnapshot {
  if (!LITTLE_ENDIAN)
    throw new Error("chain snapshots are written little-endian; this machine is big-endian");
  const all = leaves(state);
  const parts = all.map((leaf) => leaf.read());
  const bytes = new Uint8Array(parts.reduce((s, p) => s + padded(p.length), 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += padded(part.length);
  }
  return { signature: all.map((l) => `${l.path} ${l.kind} ${l.length}`).join("\n"), bytes };
}

/**
 * Restores a chain state saved by `snapshotState` into `state`, a freshly allocated state of the
 * same model: every leaf is overwritten.
 *
 * @param state - the state to overwrite (allocated as the saved one was)
 * @param snapshot - the saved state
 * @param field - how to name the snapshot in errors
 * @throws ArgumentError when the snapshot is of another model or of another version of the sampler
 *   (its signature differs: the first differing leaf is named)
 */
export function restoreState(state: object, snapshot: StateSnapshot, field = "snapshot"): void {
  const all = leaves(state);
  const signature = all.map((l) => `${l.path} ${l.kind} ${l.length}`);
  const saved = typeof snapshot?.signature === "string" ? snapshot.signature.split("\n") : [];
  const bytes = snapshot?.bytes;
  const size = all.reduce((s, l) => s + padded(l.read().length), 0);
  const mismatch = signature.findIndex((line, i) => saved[i] !== line);
  if (
    mismatch >= 0 ||
    saved.length !== signature.length ||
    !(bytes instanceof Uint8Array) ||
    bytes.length !== size
  ) {
    const at = mismatch >= 0 ? mismatch : Math.min(signature.length, saved.length);
    throw new ArgumentError(
      `${field}.state`,
      `must be a chain state of this model and sampler version: it holds \`${saved[at] ?? "(nothing)"}\` where \`${signature[at] ?? "(nothing)"}\` is expected`,
      `${saved.length} values`,
    ).withoutValue();
  }
  let offset = 0;
  for (const leaf of all) {
    const n = leaf.read().length;
    leaf.write(bytes.subarray(offset, offset + n));
    offset += padded(n);
  }
}
