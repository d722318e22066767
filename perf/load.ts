/**
 * A bounded, loopback-only load generator: closed-loop request loops that stop after a fixed
 * time, and batched posting of events. Nothing here targets anything but 127.0.0.1.
 */
import { eachAtMost } from "../src/queues/at-most.ts";

export interface Rate {
  requests: number;
  seconds: number;
  perSecond: number;
}

/** `concurrency` loops call `request` back to back for `durationMs`, after a short warm-up. */
export async function closedLoop(
  request: () => Promise<void>,
  options: { concurrency: number; durationMs: number; warmupMs?: number },
): Promise<Rate> {
  const run = async (durationMs: number) => {
    let requests = 0;
    const start = performance.now();
    const end = start + durationMs;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < end) {
          await request();
          requests++;
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    return { requests, seconds, perSecond: requests / seconds };
  };
  await run(options.warmupMs ?? 1000);
  return run(options.durationMs);
}

/**
 * Several request loops measured in turns, `rounds` times `sliceMs` each after one warm-up turn,
 * so that the machine's drift during a part falls on all of them alike (hello-world moved by a
 * third between the start and the end of one full run).
 */
export async function inTurns<K extends string>(
  loops: Record<K, () => Promise<void>>,
  options: { concurrency: number; sliceMs: number; rounds: number },
): Promise<Record<K, Rate>> {
  const names = Object.keys(loops) as K[];
  const totals = new Map<K, { requests: number; seconds: number }>(names.map((n) => [n, { requests: 0, seconds: 0 }]));
  for (let round = 0; round < options.rounds; round++) {
    for (const name of names) {
      const rate = await closedLoop(loops[name], {
        concurrency: options.concurrency,
        durationMs: options.sliceMs,
        warmupMs: round === 0 ? 1000 : 100,
      });
      const total = totals.get(name)!;
      total.requests += rate.requests;
      total.seconds += rate.seconds;
    }
  }
  const rates = names.map((name): [K, Rate] => {
    const { requests, seconds } = totals.get(name)!;
    return [name, { requests, seconds, perSecond: requests / seconds }];
  });
  return Object.fromEntries(rates) as Record<K, Rate>;
}

/** GET that fails loudly on anything but 200 (a benchmark of errors measures nothing). */
export async function getOk(url: string, token?: string): Promise<unknown> {
  const res = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const body = res.headers.get("Content-Type")?.includes("json") ? await res.json() : await res.text();
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/** Posts one batch of events; throws unless every event is accepted. Returns how many were. */
export async function postBatch(baseUrl: string, key: string | undefined, batch: readonly unknown[]): Promise<number> {
  const res = await fetch(`${baseUrl}/v1/events`, {
    method: "POST",
    headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), "Content-Type": "application/json" },
    body: JSON.stringify(batch),
  });
  const text = await res.text();
  const accepted = res.status === 202 ? (JSON.parse(text) as { accepted: number }).accepted : -1;
  if (accepted !== batch.length) throw new Error(`POST /v1/events answered ${res.status}: ${text.slice(0, 300)}`);
  return accepted;
}

/**
 * Posts events in batches (one request per batch) from `concurrency` loops; every one must be
 * 202. `progress.posted` counts the events of the batches accepted so far without a gap (so
 * every event before that index has been accepted).
 */
export async function postEvents(
  baseUrl: string,
  key: string | undefined,
  events: readonly unknown[],
  options: { batch: number; concurrency: number; progress?: { posted: number } },
): Promise<void> {
  const batches: unknown[][] = [];
  for (let i = 0; i < events.length; i += options.batch) batches.push(events.slice(i, i + options.batch));
  const done = batches.map(() => false);
  let contiguous = 0;
  await eachAtMost([...batches.keys()], options.concurrency, async (index) => {
    await postBatch(baseUrl, key, batches[index]!);
    done[index] = true;
    while (contiguous < batches.length && done[contiguous]) contiguous++;
    if (options.progress) options.progress.posted = Math.min(events.length, contiguous * options.batch);
  });
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
