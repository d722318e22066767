/**
 * Example bodies for the OpenAPI document: one per request and per answer, as the API would send
 * them for the `demo` platform. Data only; `redocly lint` in CI checks each against its schema.
 */

const EVENT_PLACED = {
  event_id: "0193a5b2-7c41-7d2e-9f10-3b8c5e2a1d01",
  type: "order.placed",
  occurred_at: "2026-12-03T14:05:00Z",
  seller_id: "s-17",
  order_id: "o-1001",
  currency: "USD",
  items: [{ product_id: "p-88", category: "shoes", quantity: 2, unit_price: 4500 }],
  commission_bps: 1500,
  fee: 30,
  region: "us-west",
  channel: "search",
  ship_within_hours: 48,
};
const EVENT_SHIPPED = {
  event_id: "0193a5b2-7c41-7d2e-9f10-3b8c5e2a1d02",
  type: "order.shipped",
  occurred_at: "2026-12-04T09:30:00Z",
  seller_id: "s-17",
  order_id: "o-1001",
};

export const INGEST_JSON = [EVENT_PLACED, EVENT_SHIPPED];
/** The same events as NDJSON: a body of POST /v1/events, or a (very small) file for POST /v1/imports. */
export const EVENTS_NDJSON = `${JSON.stringify(EVENT_PLACED)}\n${JSON.stringify(EVENT_SHIPPED)}\n`;
export const INGEST_ACCEPTED = {
  accepted: 2,
  rejected: [{ index: 2, event_id: "e-3", errors: ["occurred_at: more than 5 minutes in the future"] }],
};
export const INGEST_NONE_VALID = {
  error: {
    code: "invalid_request",
    message: "No event in the request is valid",
    details: { rejected: [{ index: 0, event_id: "e-1", errors: ["currency: this platform settles in USD"] }] },
  },
};

export const IMPORT_CSV =
  "event_id,type,occurred_at,seller_id,order_id\ne-201,order.accepted,2026-12-03T15:00:00Z,s-17,o-1001\n";
export const IMPORT_QUEUED = { import_id: "imp_0193a5b27c417d2e9f103b8c5e2a1d01", rows_total: 2, bytes: 512 };
export const IMPORT = {
  import_id: "imp_0193a5b27c417d2e9f103b8c5e2a1d01",
  state: "done",
  rows_total: 2,
  rows_done: 2,
  rows_rejected: 1,
  rejected: [{ line: 2, errors: ["order_id: required"] }],
  error: null,
  created_at: "2026-12-04T10:00:00.000Z",
  finished_at: "2026-12-04T10:00:03.000Z",
};

export const SESSION_REQUESTS = {
  seller: { summary: "A seller's session: reads that seller only", value: { seller_id: "s-17" } },
  operator: { summary: "An operator's session: the operator views", value: { role: "operator" } },
};
export const SESSION = {
  token: "sps1.eyJwbGF0Zm9ybSI6ImRlbW8iLCJzZWxsZXJfaWQiOiJzLTE3In0.c2lnbmF0dXJl",
  expires_at: "2026-12-04T11:00:00.000Z",
  dashboard_url: "http://localhost:8787/#token=sps1.eyJwbGF0Zm9ybSI6ImRlbW8iLCJzZWxsZXJfaWQiOiJzLTE3In0.c2lnbmF0dXJl",
};

export const REFRESHED_SESSION = {
  token: "sps1.eyJwbGF0Zm9ybSI6ImRlbW8iLCJzZWxsZXJfaWQiOiJzLTE3In0.bmV3IHNpZ25hdHVyZQ",
  expires_at: "2026-12-04T12:00:00.000Z",
};
export const REVOKE_REQUESTS = {
  seller: { summary: "Every session of one seller", value: { seller_id: "s-17" } },
  operator: { summary: "Every operator session", value: { role: "operator" } },
  everyone: { summary: "Every session of the platform", value: {} },
};

const DAY = {
  gmv: 9000,
  orders: 1,
  accepted: 1,
  rejected: 0,
  cancelled: 0,
  cancelled_by_seller: 0,
  acceptance_rate: 1,
  cancellation_rate: 0,
  seller_cancellation_rate: 0,
  shipped: 1,
  shipped_on_time: 1,
  late_shipments: 0,
  sla_compliance: 1,
  ratings: 0,
  avg_rating: null,
  positive_ratings: 0,
  negative_ratings: 0,
  visits: 40,
  conversion_rate: 0.025,
  refunds: 0,
  payout_accrued: 7620,
  payout_paid: 0,
};
const MONTH = {
  ...DAY,
  gmv: 412_500,
  orders: 52,
  accepted: 50,
  rejected: 2,
  cancelled: 3,
  cancelled_by_seller: 1,
  acceptance_rate: 0.9615,
  cancellation_rate: 0.0577,
  seller_cancellation_rate: 0.0192,
  shipped: 47,
  shipped_on_time: 45,
  late_shipments: 2,
  sla_compliance: 0.9574,
  ratings: 20,
  avg_rating: 4.6,
  positive_ratings: 18,
  negative_ratings: 1,
  visits: 2100,
  conversion_rate: 0.0248,
  refunds: 4500,
  payout_accrued: 345_050,
  payout_paid: 300_000,
};
export const SUMMARY = {
  seller_id: "s-17",
  currency: "USD",
  updated_at: "2026-12-04T09:30:02.000Z",
  since: "2026-11-05T08:00:00.000Z",
  periods: { today: DAY, "7d": { ...MONTH, gmv: 98_000, orders: 12 }, "30d": MONTH, all: MONTH },
  payout: { accrued: 345_050, paid: 300_000, pending: 45_050, commission: 61_875, fees: 1560, refunds: 4500 },
  open: { awaiting_acceptance: 1, awaiting_shipment: 2, overdue: 0 },
};

export const TIMESERIES = {
  metric: "gmv",
  granularity: "day",
  points: [
    { t: "2026-12-02T00:00:00.000Z", value: 12_000 },
    { t: "2026-12-03T00:00:00.000Z", value: 0 },
    { t: "2026-12-04T00:00:00.000Z", value: 9000 },
  ],
};
export const BREAKDOWN = {
  by: "category",
  rows: [
    { key: "shoes", gmv: 300_000, orders: 40 },
    { key: "bags", gmv: 112_500, orders: 12 },
  ],
};
export const ORDERS = {
  orders: [
    {
      order_id: "o-1041",
      status: "accepted",
      placed_at: "2026-12-02T15:12:40.000Z",
      value: 8400,
      items: 2,
      deadline: "2026-12-03T15:12:40.000Z",
      shipped_at: null,
      overdue: true,
      late: false,
    },
    {
      order_id: "o-1077",
      status: "placed",
      placed_at: "2026-12-04T08:55:10.000Z",
      value: 2500,
      items: 1,
      deadline: "2026-12-06T08:55:10.000Z",
      shipped_at: null,
      overdue: false,
      late: false,
    },
  ],
  next_cursor: "WyJvcGVuIiwxNzY0OTExMzEwMDAwLCJvLTEwNzciXQ",
};
export const FORECAST = {
  day: "2026-12-04",
  as_of: "2026-12-04T12:00:00.000Z",
  so_far: { gmv: 41_200, orders: 6 },
  expected: { gmv: 96_500, orders: 14 },
  low: { gmv: 71_000, orders: 11 },
  high: { gmv: 131_800, orders: 18 },
  backtest: { days: 28, coverage: 0.79, coverage_orders: 0.82 },
};
export const SELLER_PRODUCTS = {
  window: "24h",
  generated_at: "2026-12-04T09:00:00.000Z",
  products: [{ product_id: "p-88", category: "shoes", units: 14, revenue: 63_000, rank: 3, previous_rank: 5 }],
};

const band = (
  [p25, p50, p75]: [number, number, number],
  [lo25, hi25, lo50, hi50, lo75, hi75]: number[],
  value: number | null,
  percentile: number | null,
  live: [number | null, number | null],
) => ({
  p25,
  p50,
  p75,
  value,
  percentile,
  interval90: { p25: [lo25, hi25], p50: [lo50, hi50], p75: [lo75, hi75] },
  live: { value: live[0], percentile: live[1], as_of: "2026-12-04T09:12:30.000Z" },
});

export const BENCHMARKS = {
  seller_id: "s-17",
  released_at: "2026-11-30T01:00:00.000Z",
  period: { from: "2026-11-02", to: "2026-11-30" },
  cohort: { level: "category+size", category: "shoes", region: null, size_band: "small", sellers: 212 },
  epsilon: 4.588099,
  delta: 1e-9,
  budget: { cap: 10, period: "365d", delta: 1e-9 },
  suppressed: null,
  metrics: {
    aov: band([3_150, 4_020, 5_480], [2_890, 3_420, 3_760, 4_300, 5_050, 5_990], 4_610, 61, [4_700, 63]),
    sla_compliance: band([0.93, 0.97, 0.99], [0.9, 0.95, 0.96, 0.98, 0.98, 1], 0.95, 38, [0.97, 50]),
  },
};

export const ALERTS = {
  alerts: [
    {
      alert_id: "sla.breached:o-1001",
      type: "sla.breached",
      status: "open",
      raised_at: "2026-12-05T14:05:00.000Z",
      resolved_at: null,
      order_id: "o-1001",
      details: { deadline: "2026-12-05T14:05:00.000Z", ship_within_hours: 48 },
    },
  ],
};

export const TOP_PRODUCTS = {
  platform: "demo",
  category: "shoes",
  window: "24h",
  by: "units",
  generated_at: "2026-12-04T09:00:00.000Z",
  hours: { from: "2026-12-03T09:00:00.000Z", to: "2026-12-04T09:00:00.000Z" },
  products: [
    { rank: 1, product_id: "p-12" },
    { rank: 2, product_id: "p-40" },
    { rank: 3, product_id: "p-88" },
  ],
};

// The webhooks', operator's and reports' examples, and the error examples.
export * from "./examples-ops.ts";

/** The start of GET /v1/openapi.json (the whole is this document). */
export const OPENAPI_DOCUMENT = {
  openapi: "3.1.0",
  info: { title: "SellerPulse API", version: "1.0.0" },
  paths: { "/v1/events": { post: { operationId: "ingestEvents" } } },
};
