/**
 * @sellerpulse/sdk: SellerPulse (events in, typed reads out), verifyWebhook for receivers, and the
 * types of the API generated from its OpenAPI document. Web platform APIs only: Node 20+ and Workers.
 */
export { SellerPulseError } from "./api-error.ts";
export { SellerPulse } from "./client.ts";
export type { components, paths } from "./generated/api.ts";
export type {
  DroppedEvents,
  DropReason,
  ErrorBody,
  IngestResponse,
  RejectedEvent,
  RetryOptions,
  SellerEvent,
  SellerPulseOptions,
  TrackedEvent,
} from "./types.ts";
export { uuidv7 } from "./uuid-v7.ts";
export { type VerifyWebhookOptions, verifyWebhook } from "./webhook.ts";
