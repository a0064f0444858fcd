/**
 * R's `make.unique`: the second and later copies of a name get `.1`, `.2`, ..., skipping suffixed
 * names already taken. Used for CSV headers (as `read.csv` does) and random-term labels (as lme4 does).
 *
 * @param names - names, possibly repeated.
 * @returns the names, each once.
 * @example makeUnique(["a", "a", "b", "a"]) // ["a", "a.1", "b", "a.2"]
 */
export function makeUnique(names: readonly string[]): string[] {
  const taken = new Set(names);
  const seen = new Set<string>();
  const next = new Map<string, number>();
  return names.map((name) => {
    if (!seen.has(name)) {
      seen.add(name);
      return name;
    }
    let k = next.get(name) ?? 1;
    while (taken.has(`${name}.${k}`)) k++;
    next.set(name, k + 1);
    const unique = `${name}.${k}`;
    taken.add(unique);
    seen.add(unique);
    return unique;
  });
}
