/**
 * Runs an async step over many items with a bounded number in flight: the consumer's calls to
 * the ledgers (locally, every Durable Object shares one thread), and the benchmarks' posters
 * and checkers.
 */

/**
 * Calls `run` on every item, at most `limit` at a time, starting them in order; resolves once
 * every call has settled. `run` handles its own errors (a throw rejects at once).
 */
export async function eachAtMost<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
