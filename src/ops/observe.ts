/**
 * The log lines of the Worker's entry points other than the API's requests (request-log.ts has
 * those): one per queue batch (its queue, messages acked and retried, duration) and one per cron
 * run, each with the units it used where the deployment counts its bill; and the public
 * top-products read answered from memory or the cache, logged 1 in HOT_READ_SAMPLE.
 */
import { type LogLine, logLine } from "./log.ts";
import { Meter, meterOn, queueOps } from "./meter.ts";
import { meteredEnv } from "./metered-bindings.ts";
import { recordMetric } from "./metrics.ts";

/** The line in the log, and its point in the metrics. */
function tell(env: Env, line: LogLine): void {
  logLine(line);
  recordMetric(env, line);
}

/** At a billion reads a day, one line each would cost more than the reads: 1 in this many is logged. */
const HOT_READ_SAMPLE = 1_000;

const bytesOf = (body: unknown) => new TextEncoder().encode(JSON.stringify(body) ?? "").byteLength;

/** The batch with each message's ack and retry counted (and, metered, each message's read and delete). */
function counted(batch: MessageBatch, meter: Meter | null) {
  const tally = { acked: 0, retried: 0 };
  const ops = (message: Message) => (meter ? queueOps(bytesOf(message.body)) : 0);
  const messages = batch.messages.map((message) => {
    meter?.add("queue_ops", ops(message)); // the read of this delivery
    return new Proxy(message, {
      get(target, name) {
        if (name === "ack")
          return () => {
            tally.acked++;
            meter?.add("queue_ops", ops(target)); // its delete
            target.ack();
          };
        if (name === "retry")
          return (options?: QueueRetryOptions) => {
            tally.retried++;
            target.retry(options);
          };
        const value = Reflect.get(target, name);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  });
  const overrides: Partial<MessageBatch> = {
    messages,
    ackAll: () => {
      tally.acked += messages.length;
      for (const m of batch.messages) meter?.add("queue_ops", ops(m));
      batch.ackAll();
    },
    retryAll: (options) => {
      tally.retried += messages.length;
      batch.retryAll(options);
    },
  };
  const wrapped = new Proxy(batch, {
    get: (target, name) => (name in overrides ? overrides[name as keyof MessageBatch] : Reflect.get(target, name)),
  });
  return { batch: wrapped, tally };
}

/** What a consumer may tell of a batch beyond its messages' fate. */
type BatchReport = { events?: number; ledgers?: number; deferred?: number };

export async function observeBatch(
  batch: MessageBatch,
  env: Env,
  consume: (batch: MessageBatch, env: Env) => Promise<unknown>,
): Promise<void> {
  const started = Date.now();
  const meter = meterOn(env) ? new Meter() : null;
  meter?.add("requests");
  const { batch: observed, tally } = counted(batch, meter);
  let report: BatchReport = {};
  try {
    const told = await consume(observed, meter ? meteredEnv(meter, env) : env);
    if (told && typeof told === "object") report = told as BatchReport;
  } finally {
    const now = Date.now();
    const sent = Math.min(...batch.messages.map((m) => m.timestamp.getTime()));
    tell(env, {
      kind: "batch",
      queue: batch.queue,
      messages: batch.messages.length,
      ...tally,
      ...report,
      ...(report.events !== undefined && Number.isFinite(sent) ? { lag_ms: Math.max(0, now - sent) } : {}),
      duration_ms: now - started,
      ...(meter ? { units: meter.take() } : {}),
    });
  }
}

export async function observeCron(cron: string, env: Env, run: (env: Env) => Promise<void>): Promise<void> {
  const started = Date.now();
  const meter = meterOn(env) ? new Meter() : null;
  meter?.add("requests");
  try {
    await run(meter ? meteredEnv(meter, env) : env);
  } finally {
    tell(env, { kind: "cron", cron, duration_ms: Date.now() - started, ...(meter ? { units: meter.take() } : {}) });
  }
}

/** A public top-products read answered before the app (from memory or the cache): logged 1 in HOT_READ_SAMPLE. */
export function observeHotRead(request: Request, response: Response, env: Env, started: number): Response {
  const metered = meterOn(env);
  if (metered || Math.random() * HOT_READ_SAMPLE < 1) {
    logLine({
      kind: "request",
      request_id: request.headers.get("cf-ray") ?? crypto.randomUUID(),
      method: request.method,
      route: "/v1/platforms/:platform/categories/:category/top-products",
      status: response.status,
      platform: null,
      duration_ms: Date.now() - started,
      ...(metered ? { units: { requests: 1 } } : { sample: HOT_READ_SAMPLE }),
    });
  }
  return response;
}
