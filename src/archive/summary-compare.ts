/** Where two summaries differ, as paths with both values: what a rebuild reports. */
export interface Difference {
  path: string;
  live: unknown;
  rebuilt: unknown;
}

/** The leaves that differ between `live` and `rebuilt` (at most `limit`), in key order. */
export function differences(live: unknown, rebuilt: unknown, limit = 50, path = ""): Difference[] {
  const found: Difference[] = [];
  const walk = (a: unknown, b: unknown, at: string) => {
    if (found.length >= limit) return;
    if (isRecord(a) && isRecord(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const key of keys) walk(a[key], b[key], at ? `${at}.${key}` : key);
      return;
    }
    if (!Object.is(a, b)) found.push({ path: at, live: a ?? null, rebuilt: b ?? null });
  };
  walk(live, rebuilt, path);
  return found;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
