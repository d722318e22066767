/**
 * Example bodies for the OpenAPI document (see openapi-examples.ts): webhooks, the operator's views,
 * rebuilds, dead letters, reports, and one example per error status.
 */
export const WEBHOOK_REQUEST = { url: "https://hooks.acme.test/sellerpulse", events: ["sla.breached", "report.ready"] };
const WEBHOOK = {
  webhook_id: "wh_5d1e0c7a9b2f4c8e8a6d3f1b2c4e6a80",
  ...WEBHOOK_REQUEST,
  created_at: "2026-12-01T08:00:00.000Z",
};
export const WEBHOOK_CREATED = { ...WEBHOOK, secret: "whsec_5f0c2a9e4b7d4e1f8a3c6b2d9e0f1a7c" };
export const WEBHOOKS = { webhooks: [WEBHOOK] };

const DELIVERY = {
  delivery_id: "dl_0193a5b2",
  webhook_id: "wh_5d1e0c7a9b2f4c8e8a6d3f1b2c4e6a80",
  seller_id: "s-17",
  type: "sla.breached",
  alert_id: "sla.breached:o-1001",
  status: "failed",
  attempts: 12,
  last_status: 503,
  last_error: null,
  created_at: "2026-12-04T09:00:00.000Z",
  updated_at: "2026-12-05T09:00:00.000Z",
};
export const DELIVERIES = { deliveries: [DELIVERY] };
export const REPLAYED = { delivery_id: "dl_0193a5b2", status: "pending" };

export const DEAD_LETTERS = {
  dead_letters: [
    {
      id: 7,
      queue: "sellerpulse-events",
      dead_letter_queue: "sellerpulse-events-dlq",
      body: '{"platform":"acme","currency":"USD","events":[{"event_id":"e-1","type":"order.shipped","occurred_at":"2026-12-04T09:30:00.000Z","seller_id":"s-17","order_id":"o-1001"}]}',
      received_at: "2026-12-04T09:41:12.000Z",
      error: null,
      replayed_at: null,
    },
  ],
  next_cursor: null,
};
export const DEAD_LETTER_REPLAYED = {
  id: 7,
  queue: "sellerpulse-events",
  replayed_at: "2026-12-04T10:02:00.000Z",
};
export const DEAD_LETTERS_FILTER = {
  queue: "sellerpulse-events",
  received_from: "2026-12-04T09:00:00Z",
  received_to: "2026-12-04T11:00:00Z",
  limit: 100,
};
export const DEAD_LETTERS_REPLAYED = { replayed: 3, ids: [7, 8, 11], more: false };
export const NONE_REPLAYED = { replayed: 0, ids: [], more: false };
export const ALLOWANCES = {
  allowances: [
    {
      name: "reads_per_10s",
      kind: "rate",
      value: 5000,
      default: 1000,
      own: true,
      used: null,
      description: "calls per 10 s per caller (the platform key, its operator, each seller)",
    },
    {
      name: "imports_at_once",
      kind: "count",
      value: 2,
      default: 2,
      own: false,
      used: 1,
      description: "imports queued or running at once",
    },
  ],
};
export const IMPORTS_LIMIT_REACHED = {
  error: {
    code: "limit_reached",
    message: "This platform has its allowance of 2 imports queued or running; upload again once one is done",
    details: { allowance: "imports_at_once", limit: 2 },
  },
};
export const REBUILDS_LIMIT_REACHED = {
  error: {
    code: "limit_reached",
    message: "This platform runs its allowance of 1 rebuilds; wait for one to end",
    details: { allowance: "rebuilds_at_once", limit: 1 },
  },
};
export const SOCKETS_LIMIT_REACHED = {
  error: {
    code: "limit_reached",
    message: "This seller has its allowance of 20 live sockets open; close one first",
    details: { allowance: "live_sockets_per_seller", limit: 20 },
  },
};
export const IGNORED_EVENTS = {
  seller_id: "s-17",
  ignored_events: [
    { event_id: "e-2210", order_id: "o-1001", type: "order.rejected", reason: "rejected when accepted" },
    { event_id: "e-9107", order_id: "o-1042", type: "order.placed", reason: "the order already has 100 events" },
  ],
  next_cursor: null,
};
export const DEAD_LETTER_REPLAYED_ALREADY = {
  error: { code: "already_replayed", message: "The dead letter was replayed at 2026-12-04T10:02:00.000Z" },
};

export const REBUILD_REQUEST = { seller_id: "s-17" };
export const REBUILD_STARTED = { rebuild_id: "rb_0193a5b27c417d2e9f103b8c5e2a1d01" };
export const REBUILD = {
  rebuild_id: REBUILD_STARTED.rebuild_id,
  seller_id: "s-17",
  state: "done",
  objects_read: 412,
  events_replayed: 2750,
  equal: false,
  differences: [{ path: "periods.all.visits", live: 1207, rebuilt: 1200 }],
  error: null,
  started_at: "2026-12-04T10:00:00.000Z",
  finished_at: "2026-12-04T10:00:41.000Z",
};

export const AUDIT = {
  entries: [
    { at: "2026-12-04T10:00:00.000Z", actor: "platform key", action: "session.minted", subject: "seller s-17" },
    { at: "2026-12-04T10:05:00.000Z", actor: "operator", action: "webhook_delivery.replayed", subject: "dl_0193a5b2" },
  ],
};

export const OPS_SELLERS = {
  sellers: [
    {
      seller_id: "s-17",
      health: 71,
      flagged: true,
      reasons: ["sla.breached"],
      gmv_7d: 98_000,
      orders_7d: 12,
      sla_compliance: 0.9574,
      acceptance_rate: 0.9615,
      cancellation_rate: 0.0577,
      avg_rating: 4.6,
      open_alerts: 1,
    },
  ],
  next_cursor: "eyJoIjo3MSwicyI6InMtMTcifQ",
};
export const OPS_PAYOUTS = {
  currency: "USD",
  accrued: 12_450_000,
  paid: 11_900_000,
  pending: 550_000,
  commission: 2_241_000,
  fees: 48_000,
  refunds: 96_000,
  sellers: 120,
};
export const OPS_BENCHMARKS = {
  releases: [
    {
      released_at: "2026-11-30T01:00:00.000Z",
      period: { from: "2026-11-02", to: "2026-11-30" },
      cohort: { level: "category+size", category: "shoes", region: null, size_band: "small" },
      sellers: 212,
      epsilon: 4.588099,
      delta: 1e-9,
      mechanism: "discrete-gaussian-histogram/v2",
    },
  ],
  budget: { cap: 10, spent: 8.389369, period: "365d", delta: 1e-9, rho: { cap: 1.090785, spent: 0.798 } },
  runs: [
    {
      released_at: "2026-11-30T01:00:00.000Z",
      period: { from: "2026-11-02", to: "2026-11-30" },
      sellers: 120,
      excluded: 0,
      releases: 3,
      suppressed: 1,
      note: null,
    },
  ],
};

export const REPORTS = {
  reports: [
    {
      date: "2026-12-03",
      kind: "products",
      rows: 412,
      bytes: 30_512,
      revision: 2,
      written_at: "2026-12-04T03:05:12.000Z",
    },
    {
      date: "2026-12-03",
      kind: "sellers",
      rows: 120,
      bytes: 14_080,
      revision: 2,
      written_at: "2026-12-04T03:05:12.000Z",
    },
  ],
};
export const REPORT_CSV =
  "date,seller_id,product_id,category,orders,units,gmv\n2026-12-03,s-17,p-88,shoes,9,14,63000\n";

/** The error envelope's example for each status: what a handler throws for it most often. */
export const HEALTH = { status: "ok", checks: { d1: "ok", kv: "ok", r2: "ok" } };
export const UNHEALTHY = {
  error: {
    code: "unhealthy",
    message: "Failing: r2",
    details: { checks: { d1: "ok", kv: "ok", r2: "failing" } },
  },
};

export const ERRORS: Record<string, { code: string; message: string }> = {
  "400": { code: "invalid_request", message: "metric: Invalid option" },
  "401": { code: "unauthorized", message: "A valid platform key or session token is required" },
  "403": { code: "forbidden", message: "This session may read only its own seller" },
  "404": { code: "not_found", message: "Nothing of this platform has that id" },
  "409": { code: "not_failed", message: "Only a failed delivery can be replayed" },
  "413": { code: "payload_too_large", message: "The body is over 1 MiB (1,048,576 bytes, decompressed)" },
  "415": { code: "unsupported_media_type", message: "Send application/x-ndjson or text/csv" },
  "429": { code: "rate_limited", message: "This platform is over its ingest rate; retry after the delay" },
  "500": { code: "internal", message: "Something went wrong on our side; please retry" },
  "503": { code: "unavailable", message: "The service cannot reach its storage right now; please retry shortly" },
};
