/**
 * SellerPulse, the client: track()/flush()/close() for events (batched, gzip, retried; see
 * batcher.ts) and a typed method per read of the API, generated types over openapi-fetch. Endpoints
 * without a method yet are reachable, typed, through `client.api`.
 */
import type { Client } from "openapi-fetch";
import createClient from "openapi-fetch";
import { dataOf } from "./api-error.ts";
import { Batcher } from "./batcher.ts";
import type { paths } from "./generated/api.ts";
import { DEFAULT_RETRY, sleep } from "./retry.ts";
import type { SellerPulseOptions, TrackedEvent } from "./types.ts";

/** The JSON of an operation's `status` answer. */
type Answer<P extends keyof paths, M extends "get" | "post", S extends number = 200> = paths[P][M] extends {
  responses: { [K in S]: { content: { "application/json": infer T } } };
}
  ? T
  : never;
type QueryOf<P extends keyof paths, M extends "get" | "post"> = paths[P][M] extends { parameters: { query?: infer Q } }
  ? NonNullable<Q>
  : never;
type BodyOf<P extends keyof paths> = paths[P]["post"] extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B
  : never;

export class SellerPulse {
  /** The typed openapi-fetch client for every endpoint of the document, with the key already sent. */
  readonly api: Client<paths>;
  readonly #batcher: Batcher;

  constructor(options: SellerPulseOptions) {
    const origin = options.url.replace(/\/+$/, "").replace(/\/v1$/, "");
    const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.api = createClient<paths>({
      baseUrl: origin,
      headers: { Authorization: `Bearer ${options.key}` },
      fetch: (request) => fetchImpl(request),
    });
    this.#batcher = new Batcher({
      delivery: {
        endpoint: `${origin}/v1/events`,
        key: options.key,
        gzip: options.gzip ?? true,
        retry: { ...DEFAULT_RETRY, ...options.retry },
        requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
        fetch: fetchImpl,
        sleep: options.sleep ?? sleep,
        random: options.random ?? Math.random,
      },
      flushAt: Math.max(1, options.flushAt ?? 100),
      flushIntervalMs: options.flushIntervalMs ?? 1000,
      maxInFlight: Math.max(1, options.maxInFlight ?? 1),
      onRejected:
        options.onRejected ??
        (({ event, errors }) => console.warn(`SellerPulse: event ${event.event_id} rejected: ${errors.join("; ")}`)),
      onDropped:
        options.onDropped ??
        (({ events, reason, status, error }) =>
          console.error(
            `SellerPulse: ${events.length} events not delivered (${reason}${status ? `, HTTP ${status}` : ""}):`,
            error,
            events.map((e) => e.event_id),
          )),
    });
  }

  // ---- events -------------------------------------------------------------------------------

  /** Queues an event and returns its event_id (generated as a UUIDv7 when the event has none). */
  track(event: TrackedEvent): string {
    return this.#batcher.track(event);
  }

  /** Resolves once every event tracked before the call is accepted, rejected or reported dropped. */
  flush(): Promise<void> {
    return this.#batcher.flush();
  }

  /**
   * Sends everything pending, then stops (track() throws afterwards). With `timeoutMs`, what is not
   * settled by then goes to onDropped as `close_timeout` instead of being waited for.
   */
  close(options?: { timeoutMs?: number }): Promise<void> {
    return this.#batcher.close(options);
  }

  /** Events tracked and not yet settled: a caller tracking faster than the API takes them can wait on flush(). */
  get pending(): number {
    return this.#batcher.pending;
  }

  // ---- reads --------------------------------------------------------------------------------

  summary(
    sellerId: string,
    query?: QueryOf<"/v1/sellers/{id}/summary", "get">,
  ): Promise<Answer<"/v1/sellers/{id}/summary", "get">> {
    return dataOf(this.api.GET("/v1/sellers/{id}/summary", { params: { path: { id: sellerId }, query } }));
  }

  timeseries(
    sellerId: string,
    query?: QueryOf<"/v1/sellers/{id}/timeseries", "get">,
  ): Promise<Answer<"/v1/sellers/{id}/timeseries", "get">> {
    return dataOf(this.api.GET("/v1/sellers/{id}/timeseries", { params: { path: { id: sellerId }, query } }));
  }

  breakdown(
    sellerId: string,
    query: QueryOf<"/v1/sellers/{id}/breakdown", "get">,
  ): Promise<Answer<"/v1/sellers/{id}/breakdown", "get">> {
    return dataOf(this.api.GET("/v1/sellers/{id}/breakdown", { params: { path: { id: sellerId }, query } }));
  }

  products(
    sellerId: string,
    query?: QueryOf<"/v1/sellers/{id}/products", "get">,
  ): Promise<Answer<"/v1/sellers/{id}/products", "get">> {
    return dataOf(this.api.GET("/v1/sellers/{id}/products", { params: { path: { id: sellerId }, query } }));
  }

  benchmarks(sellerId: string): Promise<Answer<"/v1/sellers/{id}/benchmarks", "get">> {
    return dataOf(this.api.GET("/v1/sellers/{id}/benchmarks", { params: { path: { id: sellerId } } }));
  }

  alerts(
    sellerId: string,
    query?: QueryOf<"/v1/sellers/{id}/alerts", "get">,
  ): Promise<Answer<"/v1/sellers/{id}/alerts", "get">> {
    return dataOf(this.api.GET("/v1/sellers/{id}/alerts", { params: { path: { id: sellerId }, query } }));
  }

  /** The public ranking (no credentials needed, but the key is sent anyway; it is ignored). */
  topProducts(
    platform: string,
    category: string,
    query?: QueryOf<"/v1/platforms/{platform}/categories/{category}/top-products", "get">,
  ): Promise<Answer<"/v1/platforms/{platform}/categories/{category}/top-products", "get">> {
    return dataOf(
      this.api.GET("/v1/platforms/{platform}/categories/{category}/top-products", {
        params: { path: { platform, category }, query },
      }),
    );
  }

  /** A seller session (`{ seller_id }`) or an operator session (`{ role: "operator" }`): needs a platform key. */
  createSession(body: BodyOf<"/v1/sessions">): Promise<Answer<"/v1/sessions", "post">> {
    return dataOf(this.api.POST("/v1/sessions", { body }));
  }

  // ---- webhooks and operator reads ----------------------------------------------------------

  /** Subscribes a URL to alert types; the answer's `secret` (for verifyWebhook) is shown only here. */
  createWebhook(body: BodyOf<"/v1/webhooks">): Promise<Answer<"/v1/webhooks", "post", 201>> {
    return dataOf(this.api.POST("/v1/webhooks", { body }));
  }

  webhooks(): Promise<Answer<"/v1/webhooks", "get">> {
    return dataOf(this.api.GET("/v1/webhooks"));
  }

  async deleteWebhook(webhookId: string): Promise<void> {
    await dataOf(this.api.DELETE("/v1/webhooks/{id}", { params: { path: { id: webhookId } } }));
  }

  /** The platform's sellers by health (operator token). */
  opsSellers(query?: QueryOf<"/v1/ops/sellers", "get">): Promise<Answer<"/v1/ops/sellers", "get">> {
    return dataOf(this.api.GET("/v1/ops/sellers", { params: { query } }));
  }

  /** The platform's payout liability (operator token). */
  opsPayouts(): Promise<Answer<"/v1/ops/payouts", "get">> {
    return dataOf(this.api.GET("/v1/ops/payouts"));
  }

  opsBenchmarks(): Promise<Answer<"/v1/ops/benchmarks", "get">> {
    return dataOf(this.api.GET("/v1/ops/benchmarks"));
  }

  webhookDeliveries(
    query?: QueryOf<"/v1/ops/webhook-deliveries", "get">,
  ): Promise<Answer<"/v1/ops/webhook-deliveries", "get">> {
    return dataOf(this.api.GET("/v1/ops/webhook-deliveries", { params: { query } }));
  }

  replayWebhookDelivery(deliveryId: string): Promise<Answer<"/v1/ops/webhook-deliveries/{id}/replay", "post", 202>> {
    return dataOf(this.api.POST("/v1/ops/webhook-deliveries/{id}/replay", { params: { path: { id: deliveryId } } }));
  }

  audit(query?: QueryOf<"/v1/ops/audit", "get">): Promise<Answer<"/v1/ops/audit", "get">> {
    return dataOf(this.api.GET("/v1/ops/audit", { params: { query } }));
  }
}
