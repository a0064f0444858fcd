/**
 * The package's one source of randomness: xoshiro128** 1.1 (Blackman & Vigna 2021; version 1.1
 * scrambles s[1], as the authors corrected 1.0) on four 32-bit words, which JavaScript computes
 * natively (`Math.imul`, 32-bit shifts), seeded by SplitMix64, with the authors' jump polynomial for
 * independent per-chain streams and an exact, serializable state.
 *
 * Why our own ~50 lines and not pure-rand: see README.md in this folder (measured speed, and pure-rand's
 * `next()` returning the low 32 bits of xoroshiro128+, whose lowest bits fail linearity tests).
 *
 * - `Random.fromSeed(seed, stream)`: any safe integer seed (0 and negatives included) or bigint;
 *   stream k is the seed's sequence jumped k × 2^64 steps ahead, so streams never overlap in practice.
 * - `uniform()`: 53-bit doubles k / 2^53 with k in 1..2^53-1, so never exactly 0 or 1.
 * - `state()` / `Random.fromState(s)`: a plain JSON-able value; a restored generator continues
 *   bit-identically. The variate generators (./normal, ./gamma, ...) keep no state of their own (the
 *   normal is a ziggurat, not a polar method with a cached second value), so the four words are all
 *   there is to save.
 *
 * Reference: Blackman & Vigna (2021) Scrambled linear pseudorandom number generators, ACM Trans. Math.
 * Softw. 47(4):36, doi:10.1145/3460772. Steele, Lea & Flood (2014) Fast splittable pseudorandom number
 * generators (SplitMix), OOPSLA, doi:10.1145/2660193.2660195.
 */
import { ArgumentError } from "../errors";

/** A generator's complete state, as plain data (JSON round-trips it exactly). */
export interface RandomState {
  /** Always "xoshiro128**": a state of another algorithm is refused. */
  readonly algorithm: "xoshiro128**";
  /** The four 32-bit state words, as unsigned integers. */
  readonly words: readonly [number, number, number, number];
}

/** Largest stream index accepted by `fromSeed` (each stream costs one 128-step jump to reach). */
export const MAX_STREAM = 65_535;

/** Jump polynomial: one jump equals 2^64 calls of `nextUint32` (Blackman & Vigna). */
const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b] as const;

const TWO_POW_MINUS_53 = 1 / 9007199254740992;
const MASK64 = (1n << 64n) - 1n;

/** SplitMix64 step on a 64-bit state: returns [next state, output]. */
function splitMix64(x: bigint): [bigint, bigint] {
  const next = (x + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [next, z ^ (z >> 31n)];
}

function isUint32(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}

/** A seeded xoshiro128** generator. Construct with `Random.fromSeed` or `Random.fromState`. */
export class Random {
  // The state words are kept as signed 32-bit integers (small integers to V8, no heap numbers).
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  private constructor(s0: number, s1: number, s2: number, s3: number) {
    this.s0 = s0 | 0;
    this.s1 = s1 | 0;
    this.s2 = s2 | 0;
    this.s3 = s3 | 0;
  }

  /**
   * A generator from one integer seed, on stream `stream` (0, 1, 2, ...: one per chain).
   *
   * The seed is taken modulo 2^64 (negative seeds in two's complement) and expanded into the 128-bit
   * state by two SplitMix64 outputs, so every integer — 0 included — is a valid, distinct seed. Stream
   * k then jumps k times (k × 2^64 draws ahead).
   *
   * @param seed - any safe integer (|seed| <= 2^53 - 1) or bigint
   * @param stream - stream index, 0..MAX_STREAM
   * @default stream 0
   * @returns a new generator
   * @throws ArgumentError when the seed is not an integer or the stream is out of range
   * @example
   * Random.fromSeed(42).nextUint32(); // the same number on every run and machine
   */
  static fromSeed(seed: number | bigint, stream = 0): Random {
    if (typeof seed === "number" && !Number.isSafeInteger(seed))
      throw new ArgumentError("seed", "must be an integer between -(2^53 - 1) and 2^53 - 1", seed);
    if (typeof seed !== "number" && typeof seed !== "bigint")
      throw new ArgumentError("seed", "must be an integer", seed);
    if (!Number.isInteger(stream) || stream < 0 || stream > MAX_STREAM)
      throw new ArgumentError("stream", `must be an integer from 0 to ${MAX_STREAM}`, stream);
    const [x1, a] = splitMix64(BigInt.asUintN(64, BigInt(seed)));
    const [, b] = splitMix64(x1);
    const rng = new Random(
      Number(a & 0xffffffffn),
      Number(a >> 32n),
      Number(b & 0xffffffffn),
      Number(b >> 32n),
    );
    // SplitMix64 is a bijection of its state, so a and b both 0 cannot come from two successive
    // outputs; the guard keeps the invariant (state not all zero) explicit anyway.
    if ((rng.s0 | rng.s1 | rng.s2 | rng.s3) === 0) rng.s0 = 1;
    for (let k = 0; k < stream; k++) rng.jump();
    return rng;
  }

  /**
   * A generator continuing exactly from a saved state.
   *
   * @param state - a value returned by `state()` (possibly through JSON)
   * @returns a new generator
   * @throws ArgumentError when the state is malformed or all zero
   * @example
   * const a = Random.fromSeed(1); const b = Random.fromState(a.state());
   * a.uniform() === b.uniform(); // true
   */
  static fromState(state: RandomState): Random {
    const words: unknown = state?.words;
    if (
      state?.algorithm !== "xoshiro128**" ||
      !Array.isArray(words) ||
      words.length !== 4 ||
      !words.every(isUint32) ||
      words.every((w) => w === 0)
    )
      throw new ArgumentError(
        "state",
        'must be a generator state { algorithm: "xoshiro128**", words: four 32-bit unsigned integers, not all 0 }',
        state,
      );
    return new Random(words[0]!, words[1]!, words[2]!, words[3]!);
  }

  /**
   * The complete state, as plain data.
   *
   * @returns the state; `Random.fromState` of it continues this generator's sequence exactly
   * @example
   * Random.fromSeed(0).state().algorithm; // "xoshiro128**"
   */
  state(): RandomState {
    return {
      algorithm: "xoshiro128**",
      words: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0],
    };
  }

  /**
   * An independent copy at the same point of the sequence.
   *
   * @returns a new generator with the same state
   */
  clone(): Random {
    return new Random(this.s0, this.s1, this.s2, this.s3);
  }

  /**
   * The next 32-bit output, xoshiro128**: rotl(s1 * 5, 7) * 9, then the linear state update.
   *
   * @returns an integer in [0, 2^32 - 1]
   */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    this.s1 = s1 ^ s2;
    this.s0 = s0 ^ s3;
    this.s2 = s2 ^ t;
    this.s3 = (s3 << 11) | (s3 >>> 21);
    return result >>> 0;
  }

  /**
   * A uniform double in the open interval (0, 1): k / 2^53 with k a uniform 53-bit integer, drawn
   * again in the (2^-53 probable) case k = 0. Uses the top 27 bits of one output and the top 26 of
   * the next.
   *
   * @returns a number in [2^-53, 1 - 2^-53]
   * @example
   * Random.fromSeed(7).uniform(); // a number strictly between 0 and 1
   */
  uniform(): number {
    let k: number;
    do {
      k = (this.nextUint32() >>> 5) * 67108864 + (this.nextUint32() >>> 6);
    } while (k === 0);
    return k * TWO_POW_MINUS_53;
  }

  /**
   * Advances the state by 2^64 steps (Blackman & Vigna's jump polynomial), in place.
   *
   * @returns this generator
   */
  jump(): this {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (const word of JUMP) {
      for (let b = 0; b < 32; b++) {
        if ((word >>> b) & 1) {
          a0 ^= this.s0;
          a1 ^= this.s1;
          a2 ^= this.s2;
          a3 ^= this.s3;
        }
        this.nextUint32();
      }
    }
    this.s0 = a0;
    this.s1 = a1;
    this.s2 = a2;
    this.s3 = a3;
    return this;
  }
}
