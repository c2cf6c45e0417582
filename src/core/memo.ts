/**
 * Remembers `compute(key)` for the keys asked most recently, for work on corpus text that many
 * questions repeat. Holds at most `max` results: when full it starts again, so a large corpus
 * cannot grow it without bound. Results are shared, so they must not be changed.
 */
export function boundedMemo<T>(compute: (key: string) => T, max: number): (key: string) => T {
  const known = new Map<string, T>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined) {
      value = compute(key);
      if (known.size >= max) known.clear();
      known.set(key, value);
    }
    return value;
  };
}
