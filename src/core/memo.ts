/**
 * Remembers `compute(input)` for the inputs asked most recently, for work on corpus text that
 * many questions repeat. Holds at most `max` results: when full it starts again, so a large
 * corpus cannot grow it without bound. Results are shared, so they must not be changed.
 * `keyOf` names an input by something cheaper to look up than itself (by default the input,
 * which must then be a string).
 */
export function boundedMemo<T, I = string>(compute: (input: I) => T, max: number, keyOf: (input: I) => string | number = (input) => input as unknown as string): (input: I) => T {
  const known = new Map<string | number, T>();
  return (input) => {
    const key = keyOf(input);
    let value = known.get(key);
    if (value === undefined) {
      value = compute(input);
      if (known.size >= max) known.clear();
      known.set(key, value);
    }
    return value;
  };
}
