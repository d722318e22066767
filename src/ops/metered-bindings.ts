/**
 * The bindings an invocation uses, wrapped so that each billed operation is counted on a Meter
 * (meter.ts): the calls go through unchanged, with their results. Used only where METER = "1".
 * D1's first() and raw() carry no meta and pass uncounted (two operator routes and the cached
 * key lookup use them).
 */
import { type Meter, queueOps } from "./meter.ts";

const bytesOf = (body: unknown) => new TextEncoder().encode(JSON.stringify(body) ?? "").byteLength;

function rowsOf(meter: Meter, result: D1Result): D1Result {
  meter.add("d1_rows_read", result.meta?.rows_read ?? 0);
  meter.add("d1_rows_written", result.meta?.rows_written ?? 0);
  return result;
}

/** A statement whose all() and run() count their rows; bind() keeps it counted. */
function statement(meter: Meter, inner: D1PreparedStatement): D1PreparedStatement {
  return new Proxy(inner, {
    get(target, name) {
      if (name === "bind") return (...values: unknown[]) => statement(meter, target.bind(...values));
      if (name === "all" || name === "run") return async () => rowsOf(meter, await target[name]());
      const value = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The statements a metered database prepared, unwrapped for its batch(). */
const inners = new WeakMap<object, D1PreparedStatement>();

export function meteredD1(meter: Meter, db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, name) {
      if (name === "prepare")
        return (query: string) => {
          const inner = target.prepare(query);
          const outer = statement(meter, inner);
          inners.set(outer, inner);
          return outer;
        };
      if (name === "batch")
        return async (statements: D1PreparedStatement[]) =>
          (await target.batch(statements.map((s) => inners.get(s) ?? s))).map((r) => rowsOf(meter, r));
      const value = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Wraps the named methods of an object: each call is counted by its `units` entry first. */
function counting<T extends object>(target: T, units: Record<string, (args: unknown[]) => void>): T {
  return new Proxy(target, {
    get(t, name) {
      const value = Reflect.get(t, name);
      if (typeof value !== "function") return value;
      const count = typeof name === "string" ? units[name] : undefined;
      return count
        ? (...args: unknown[]) => {
            count(args);
            return Reflect.apply(value, t, args);
          }
        : value.bind(t);
    },
  });
}

const meteredKV = (meter: Meter, kv: KVNamespace): KVNamespace =>
  counting(kv, {
    get: () => meter.add("kv_reads"),
    getWithMetadata: () => meter.add("kv_reads"),
    put: () => meter.add("kv_writes"),
    delete: () => meter.add("kv_deletes"),
    list: () => meter.add("kv_lists"),
  });

const meteredR2 = (meter: Meter, bucket: R2Bucket): R2Bucket =>
  counting(bucket, {
    put: () => meter.add("r2_class_a"),
    list: () => meter.add("r2_class_a"),
    createMultipartUpload: () => meter.add("r2_class_a"),
    resumeMultipartUpload: () => undefined,
    get: () => meter.add("r2_class_b"),
    head: () => meter.add("r2_class_b"),
  });

/** Each message sent: one operation per 64 KB written (its read and delete are counted where it is consumed). */
export const meteredQueue = <T>(meter: Meter, queue: Queue<T>): Queue<T> =>
  counting(queue, {
    send: ([body]) => meter.add("queue_ops", queueOps(bytesOf(body))),
    sendBatch: ([messages]) => {
      for (const m of messages as MessageSendRequest[]) meter.add("queue_ops", queueOps(bytesOf(m.body)));
    },
  });

/**
 * A Durable Object stub whose every call is a request. Not timed here: a caller's wait includes
 * the object's queue, which is not what Cloudflare bills (the object's own active time).
 */
function stub<T extends Rpc.DurableObjectBranded | undefined>(meter: Meter, inner: DurableObjectStub<T>) {
  return new Proxy(inner, {
    get(target, name) {
      const value = Reflect.get(target, name);
      if (typeof value !== "function" || name === "then") return value;
      return (...args: unknown[]) => {
        meter.add("do_requests");
        return Reflect.apply(value, target, args);
      };
    },
  });
}

function meteredNamespace<T extends Rpc.DurableObjectBranded | undefined>(
  meter: Meter,
  ns: DurableObjectNamespace<T>,
): DurableObjectNamespace<T> {
  return new Proxy(ns, {
    get(target, name) {
      if (name === "get" || name === "getByName")
        return (...args: unknown[]) =>
          stub(meter, (target[name] as (...a: unknown[]) => DurableObjectStub<T>)(...args));
      const value = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The Worker's env with its billed bindings counted on `meter`. */
export function meteredEnv(meter: Meter, env: Env): Env {
  return {
    ...env,
    DB: meteredD1(meter, env.DB),
    KV: meteredKV(meter, env.KV),
    BUCKET: meteredR2(meter, env.BUCKET),
    EVENTS: meteredQueue(meter, env.EVENTS),
    EVENTS_DLQ: meteredQueue(meter, env.EVENTS_DLQ),
    JOBS: meteredQueue(meter, env.JOBS),
    WEBHOOKS: meteredQueue(meter, env.WEBHOOKS),
    LEDGER: meteredNamespace(meter, env.LEDGER),
  };
}

/** A ledger's storage: each SQL cursor's rows and each setAlarm counted. */
export function meteredStorage(meter: Meter, storage: DurableObjectStorage): DurableObjectStorage {
  const sql = new Proxy(storage.sql, {
    get(target, name) {
      if (name === "exec")
        return (query: string, ...bindings: unknown[]) => {
          const cursor = target.exec(query, ...bindings);
          meter.cursor(cursor);
          return cursor;
        };
      const value = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return new Proxy(storage, {
    get(target, name) {
      if (name === "sql") return sql;
      if (name === "setAlarm")
        return (...args: Parameters<DurableObjectStorage["setAlarm"]>) => {
          meter.add("sql_rows_written");
          return target.setAlarm(...args);
        };
      const value = Reflect.get(target, name);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
