/**
 * A fill-reducing elimination order: approximate minimum degree on the quotient graph (Amestoy, Davis
 * & Duff 1996), written for this package (no maintained JavaScript implementation exists: see the
 * README's dependency table).
 *
 * The graph is given by its variables (with weights: a level block of q columns is one variable of
 * weight q), their adjacency, and initial *elements* — cliques of variables that an earlier
 * elimination left behind (here: the levels of the first random-effects block, each of which couples
 * every rest column its rows touch). The quotient graph never forms a clique's edges: a variable keeps
 * the list of elements it belongs to, an element the list of its variables, so the Schur complement of
 * a 6,040-level factor crossed with a 3,706-level one costs memory in the number of (user, movie) pairs,
 * not their square.
 *
 * Each step eliminates a variable p of least approximate external degree: its element Lp is the union
 * of its elements (which p absorbs) and its neighbours; every variable i of Lp gets the degree bound
 *     d_i = min(W - k - w_i,  |A_i| + |Lp \ i| + sum_{e in E_i, e != p} |L_e \ Lp|)
 * with |L_e \ Lp| counted for all elements at once (the "w" pass); an element e with |L_e \ Lp| = 0 is
 * absorbed into p (aggressive absorption); a variable whose only neighbour is now p is eliminated with
 * it (mass elimination); variables of Lp with the same elements and neighbours are merged into one
 * supervariable (found by hashing). Ties go to the last variable inserted into a degree list.
 *
 * @see Amestoy, Davis & Duff (1996) An approximate minimum degree ordering algorithm, SIAM J. Matrix
 *   Anal. Appl. 17(4):886–905, doi:10.1137/S0895479894278952; George & Liu (1989) The evolution of the
 *   minimum degree ordering algorithm, SIAM Review 31(1), doi:10.1137/1031001; Davis (2006) Direct
 *   Methods for Sparse Linear Systems, SIAM, ch. 7.
 */

/** Initial degrees are computed exactly when that costs at most this many list visits (else bounded). */
const EXACT_DEGREE_WORK = 3e7;

/**
 * Approximate minimum degree order of a graph with weighted variables and initial elements.
 *
 * @param n - number of variables
 * @param weight - weight of each variable (> 0; e.g. its number of scalar columns)
 * @param adjPtr - adjacency in compressed form: the neighbours of i are adjIdx[adjPtr[i]..adjPtr[i+1])
 *   (symmetric; self-loops and repeats are ignored)
 * @param adjIdx - see adjPtr
 * @param elemPtr - initial elements: element e's variables are elemIdx[elemPtr[e]..elemPtr[e+1])
 * @param elemIdx - see elemPtr
 * @returns the order: order[k] is the k-th variable eliminated (a permutation of 0..n-1)
 * @example
 * // A path 0 - 1 - 2 - 3 and no elements: an end is eliminated first, then its neighbour: no fill.
 * approximateMinimumDegree(4, new Int32Array([1, 1, 1, 1]), new Int32Array([0, 1, 3, 5, 6]),
 *   new Int32Array([1, 0, 2, 1, 3, 2]), new Int32Array([0]), new Int32Array(0)); // [0, 1, 2, 3]
 */
export function approximateMinimumDegree(
  n: number,
  weight: Int32Array,
  adjPtr: Int32Array,
  adjIdx: Int32Array,
  elemPtr: Int32Array,
  elemIdx: Int32Array,
): Int32Array {
  const ne = elemPtr.length - 1;
  const ids = n + ne;
  const nv = Int32Array.from(weight.subarray(0, n));
  let total = 0;
  for (let i = 0; i < n; i++) total += nv[i]!;
  const live = new Uint8Array(ids); // 1: a live element
  const eVars: Int32Array[] = new Array<Int32Array>(ids);
  const eSize = new Int32Array(ids);
  const vElems: number[][] = Array.from({ length: n }, () => []);
  const vAdj: number[][] = Array.from({ length: n }, () => []);
  const mark = new Int32Array(ids).fill(-1);
  let stamp = 0;
  for (let i = 0; i < n; i++) {
    stamp++;
    mark[i] = stamp;
    for (let t = adjPtr[i]!; t < adjPtr[i + 1]!; t++) {
      const j = adjIdx[t]!;
      if (mark[j] !== stamp) {
        mark[j] = stamp;
        vAdj[i]!.push(j);
      }
    }
  }
  for (let e = 0; e < ne; e++) {
    const id = n + e;
    stamp++;
    const list: number[] = [];
    let size = 0;
    for (let t = elemPtr[e]!; t < elemPtr[e + 1]!; t++) {
      const i = elemIdx[t]!;
      if (mark[i] !== stamp) {
        mark[i] = stamp;
        list.push(i);
        size += nv[i]!;
      }
    }
    if (list.length < 2) continue; // a single variable: no coupling
    live[id] = 1;
    eVars[id] = Int32Array.from(list);
    eSize[id] = size;
    for (const i of list) vElems[i]!.push(id);
  }

  // Initial degrees: exact when cheap, else the sum bound.
  const degree = new Int32Array(n);
  let work = 0;
  for (let i = 0; i < n; i++) for (const e of vElems[i]!) work += eVars[e]!.length;
  for (let i = 0; i < n; i++) {
    let d = 0;
    if (work <= EXACT_DEGREE_WORK) {
      stamp++;
      mark[i] = stamp;
      for (const j of vAdj[i]!)
        if (mark[j] !== stamp) {
          mark[j] = stamp;
          d += nv[j]!;
        }
      for (const e of vElems[i]!)
        for (const j of eVars[e]!)
          if (mark[j] !== stamp) {
            mark[j] = stamp;
            d += nv[j]!;
          }
    } else {
      for (const j of vAdj[i]!) d += nv[j]!;
      for (const e of vElems[i]!) d += eSize[e]! - nv[i]!;
    }
    degree[i] = Math.min(d, total - nv[i]!);
  }

  // Degree lists.
  const head = new Int32Array(total + 1).fill(-1);
  const next = new Int32Array(n).fill(-1);
  const prev = new Int32Array(n).fill(-1);
  const inList = new Uint8Array(n);
  let minDegree = total;
  const insert = (i: number): void => {
    const d = degree[i]!;
    next[i] = head[d]!;
    prev[i] = -1;
    if (head[d]! >= 0) prev[head[d]!] = i;
    head[d] = i;
    inList[i] = 1;
    if (d < minDegree) minDegree = d;
  };
  const remove = (i: number): void => {
    if (inList[i] === 0) return;
    inList[i] = 0;
    if (prev[i]! >= 0) next[prev[i]!] = next[i]!;
    else head[degree[i]!] = next[i]!;
    if (next[i]! >= 0) prev[next[i]!] = prev[i]!;
  };
  for (let i = n - 1; i >= 0; i--) insert(i);

  // Supervariable chains: members merged into a principal variable, output right after it.
  const chainNext = new Int32Array(n).fill(-1);
  const chainLast = Int32Array.from({ length: n }, (_, i) => i);
  const order = new Int32Array(n);
  let out = 0;
  const emit = (i: number): void => {
    for (let v = i; v >= 0; v = chainNext[v]!) order[out++] = v;
  };

  const w = new Int32Array(ids);
  const wMark = new Int32Array(ids).fill(-1);
  let wStamp = 0;
  const Lp = new Int32Array(n);
  let eliminated = 0;
  while (eliminated < total) {
    while (head[minDegree]! < 0) minDegree++;
    const p = head[minDegree]!;
    remove(p);
    // Lp: p's elements (absorbed) and neighbours.
    stamp++;
    mark[p] = stamp;
    let nL = 0;
    for (const e of vElems[p]!) {
      if (live[e] === 0) continue;
      for (const i of eVars[e]!)
        if (nv[i]! > 0 && mark[i] !== stamp) {
          mark[i] = stamp;
          Lp[nL++] = i;
        }
      live[e] = 0;
    }
    for (const j of vAdj[p]!)
      if (nv[j]! > 0 && mark[j] !== stamp) {
        mark[j] = stamp;
        Lp[nL++] = j;
      }
    emit(p);
    eliminated += nv[p]!;
    nv[p] = 0;
    vElems[p] = [];
    vAdj[p] = [];
    for (let t = 0; t < nL; t++) remove(Lp[t]!);
    // |L_e \ Lp| for every element meeting Lp.
    wStamp++;
    for (let t = 0; t < nL; t++) {
      const i = Lp[t]!;
      for (const e of vElems[i]!) {
        if (live[e] === 0) continue;
        if (wMark[e] !== wStamp) {
          wMark[e] = wStamp;
          w[e] = eSize[e]!;
        }
        w[e]! -= nv[i]!;
      }
    }
    // New element lists, pruned adjacency, degrees; mass elimination.
    const hash = new Map<number, number[]>();
    let kept = 0;
    for (let t = 0; t < nL; t++) {
      const i = Lp[t]!;
      const elems: number[] = [p];
      let external = 0;
      let h = p;
      for (const e of vElems[i]!) {
        if (live[e] === 0) continue;
        if (w[e] === 0) {
          live[e] = 0; // L_e ⊆ Lp: absorbed into p
          continue;
        }
        elems.push(e);
        external += w[e]!;
        h += e;
      }
      const adj: number[] = [];
      for (const j of vAdj[i]!)
        if (nv[j]! > 0 && mark[j] !== stamp) {
          adj.push(j);
          external += nv[j]!;
          h += j;
        }
      vElems[i] = elems;
      vAdj[i] = adj;
      if (elems.length === 1 && adj.length === 0) {
        // Only p is left as a neighbour: eliminate i with p.
        emit(i);
        eliminated += nv[i]!;
        nv[i] = 0;
        continue;
      }
      degree[i] = external; // external part; Lp's share added below
      Lp[kept++] = i;
      const key = h % 1000003;
      const bucket = hash.get(key);
      if (bucket === undefined) hash.set(key, [i]);
      else bucket.push(i);
    }
    // Supervariables: same elements and neighbours.
    for (const bucket of hash.values()) {
      if (bucket.length < 2) continue;
      for (let a = 0; a < bucket.length; a++) {
        const i = bucket[a]!;
        if (nv[i] === 0) continue;
        stamp++;
        for (const e of vElems[i]!) mark[e] = stamp;
        for (const j of vAdj[i]!) mark[j] = stamp;
        for (let b = a + 1; b < bucket.length; b++) {
          const j = bucket[b]!;
          if (nv[j] === 0) continue;
          if (vElems[j]!.length !== vElems[i]!.length || vAdj[j]!.length !== vAdj[i]!.length) continue;
          let same = true;
          for (const e of vElems[j]!) if (mark[e] !== stamp) same = false;
          for (const x of vAdj[j]!) if (mark[x] !== stamp) same = false;
          if (!same) continue;
          nv[i]! += nv[j]!;
          nv[j] = 0;
          chainNext[chainLast[i]!] = j;
          chainLast[i] = chainLast[j]!;
          vElems[j] = [];
          vAdj[j] = [];
        }
      }
    }
    // The new element and the degrees of its variables.
    const members: number[] = [];
    let size = 0;
    for (let t = 0; t < kept; t++) {
      const i = Lp[t]!;
      if (nv[i] === 0) continue;
      members.push(i);
      size += nv[i]!;
    }
    live[p] = members.length > 0 ? 1 : 0;
    eVars[p] = Int32Array.from(members);
    eSize[p] = size;
    for (const i of members) {
      degree[i] = Math.min(total - eliminated - nv[i]!, degree[i]! + size - nv[i]!);
      insert(i);
    }
  }
  return order;
}
