/**
 * Sorting the many short integer lists of the symbolic analysis (one level's partners, one leaf's
 * rest nodes): the typed arrays' own sort costs a call and a view per list, a comparator closure per
 * element on a plain array; most lists hold a handful of entries.
 */

/** Lists longer than this go to the typed array's sort; shorter ones are insertion-sorted. */
const INSERTION_LIMIT = 32;

/**
 * Sorts a[from..to) ascending in place.
 *
 * @param a - the array
 * @param from - first index of the range
 * @param to - one past its last index
 * @example
 * const a = new Int32Array([9, 3, 1, 2, 0]);
 * sortRange(a, 1, 4); // a = [9, 1, 2, 3, 0]
 */
export function sortRange(a: Int32Array, from: number, to: number): void {
  if (to - from > INSERTION_LIMIT) {
    a.subarray(from, to).sort();
    return;
  }
  for (let t = from + 1; t < to; t++) {
    const x = a[t]!;
    let u = t - 1;
    while (u >= from && a[u]! > x) {
      a[u + 1] = a[u]!;
      u--;
    }
    a[u + 1] = x;
  }
}
