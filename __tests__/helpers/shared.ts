// Test speed: fixtures built once per test file and shared by the tests that only read them.
//
// Synthesizing a stack costs 0.1-0.3 s; many tests assert different properties of the same stack. Each test
// still asks for its fixture (so it reads on its own and runs alone with `-t`), but gets the one built first.
// Shared synthesized JSON is deep-frozen: a test that changed it would fail, not leak into the next one.

/** Freezes a value and everything reachable from it (plain data: JSON, arrays, records). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** `build()` on the first call, the same result on every later one. */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}

/**
 * `build(options)` once per options object (by identity; no options is one more key): name the options
 * a group of tests shares as a constant, and literal options still get a fresh build.
 */
export function oncePerOptions<O extends object, T>(build: (options?: O) => T): (options?: O) => T {
  const withoutOptions = once(() => build());
  const byOptions = new WeakMap<O, T>();
  return (options) => {
    if (options === undefined) return withoutOptions();
    if (!byOptions.has(options)) byOptions.set(options, build(options));
    return byOptions.get(options) as T;
  };
}
