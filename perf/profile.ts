/**
 * A CPU profile of the app's Worker (and its Durable Objects, which run in the same isolate
 * locally), taken through wrangler dev's inspector with the DevTools protocol: where the time
 * of a scenario goes. `npm run bench -- --only ingest-1000 --profile` writes
 * perf/results/<scenario>.cpuprofile (open it in Chrome DevTools) and prints the functions
 * with the most self time.
 */
import { writeFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface Profiler {
  /** Stops profiling, writes the profile and returns the top self-time lines. */
  stop(path: string, top?: number): Promise<string[]>;
}

/** A DevTools protocol session with the app's isolate. */
interface Inspector {
  send<T>(method: string, params?: object): Promise<T>;
  close(): void;
}

async function inspect(inspectorPort: number): Promise<Inspector> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as {
    webSocketDebuggerUrl: string;
    title?: string;
  }[];
  const target = targets.find((t) => !t.title?.includes("hello")) ?? targets[0];
  if (!target) throw new Error(`no inspector target on port ${inspectorPort}`);
  // The inspector only accepts local origins (undici's WebSocket takes headers as an extension).
  const socket = new WebSocket(target.webSocketDebuggerUrl, {
    headers: { Origin: "http://localhost" },
  } as unknown as string[]);
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve, { once: true });
    socket.addEventListener("error", reject, { once: true });
  });
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: unknown };
    if (message.error !== undefined) console.error(`inspector: ${JSON.stringify(message.error)}`);
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const send = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve as (result: unknown) => void);
      socket.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => socket.close() };
}

/**
 * The app isolate's live V8 heap, in bytes, read through the inspector: a full garbage collection
 * (HeapProfiler.collectGarbage), then Runtime.getHeapUsage. Without the collection the figure is
 * mostly garbage not yet collected: locally an isolate has no 128 MB limit to make V8 collect early.
 */
export async function heapUsage(inspectorPort: number): Promise<{ read(): Promise<number>; close(): void }> {
  const { send, close } = await inspect(inspectorPort);
  await send("HeapProfiler.enable");
  return {
    read: async () => {
      await send("HeapProfiler.collectGarbage");
      return (await send<{ usedSize: number }>("Runtime.getHeapUsage")).usedSize;
    },
    close,
  };
}

export async function startProfiler(inspectorPort: number): Promise<Profiler> {
  const { send, close } = await inspect(inspectorPort);
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: 200 });
  await send("Profiler.start");
  return {
    async stop(path, top = 25) {
      const { profile } = await send<{ profile: Profile }>("Profiler.stop");
      close();
      writeFileSync(path, JSON.stringify(profile));
      return selfTimes(profile, top);
    },
  };
}

/** Self time per function (summed over its call sites), as a share of the busy samples. */
function selfTimes(profile: Profile, top: number): string[] {
  const hits = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") continue;
    const count = node.hitCount ?? 0;
    total += count;
    const file = url.split("/").slice(-2).join("/");
    const name = `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
    hits.set(name, (hits.get(name) ?? 0) + count);
  }
  return [...hits]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, count]) => `${((100 * count) / total).toFixed(1).padStart(5)}%  ${name}`);
}
