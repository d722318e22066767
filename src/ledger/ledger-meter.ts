/**
 * A ledger's billed units, where the deployment counts them (METER = "1"): its storage, D1 and
 * webhooks queue wrapped so every SQL cursor, setAlarm, D1 row and message is counted, its alarms counted as requests
 * with their wall-clock, and one structured log line of what a call or alarm cost, written as it
 * ends. Elsewhere the storage and D1 are the object's own and nothing is counted.
 */
import { logLine } from "../ops/log.ts";
import { Meter, meterOn } from "../ops/meter.ts";
import { meteredD1, meteredQueue, meteredStorage } from "../ops/metered-bindings.ts";

export interface LedgerBindings {
  storage: DurableObjectStorage;
  /** The D1 and webhooks queue of `env` (read at each use: tests replace a ledger's env). */
  db(env: Env): D1Database;
  webhooks(env: Env): Queue;
  /** Counts an alarm as a request, with its wall-clock. */
  alarm<T>(run: () => Promise<T>): Promise<T>;
}

export function ledgerBindings(ctx: DurableObjectState, env: Env): LedgerBindings {
  if (!meterOn(env))
    return { storage: ctx.storage, db: (e) => e.DB, webhooks: (e) => e.WEBHOOKS, alarm: (run) => run() };
  let pending = false;
  const meter: Meter = new Meter(() => {
    // Counted work is logged once the task that did it ends (a call's SQL runs synchronously).
    if (pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      const units = meter.take();
      if (Object.keys(units).length > 0) logLine({ kind: "ledger", units });
    }, 0);
  });
  return {
    storage: meteredStorage(meter, ctx.storage),
    db: (e) => meteredD1(meter, e.DB),
    webhooks: (e) => meteredQueue(meter, e.WEBHOOKS),
    async alarm(run) {
      const started = Date.now();
      try {
        return await run();
      } finally {
        meter.add("do_requests");
        meter.add("do_ms", Date.now() - started);
      }
    },
  };
}
