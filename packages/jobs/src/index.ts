export {
  type BrokerPublisherOptions,
  createBrokerPublisher,
  type EventPublisher,
  eventsExchange,
} from './broker-publisher.js';
export type { JobDeps, JobLogger } from './deps.js';
export { eventPayload } from './event-payload.js';
export { expireIdempotencyKeys, idempotencyRetentionMs } from './idempotency-expiry.js';
export { type RelayOptions, relayEvents } from './outbox-relay.js';
export {
  maxWebhookAttempts,
  nextWebhookRetryDelayMs,
  webhookRetryDelaysMs,
  webhookRetrySchedule,
} from './retry-schedule.js';
export {
  defaultJobBatchSizes,
  defaultJobIntervals,
  type JobBatchSizes,
  type JobIntervals,
  type JobsHandle,
  type StartJobsOptions,
  startJobs,
} from './scheduler.js';
export {
  checkWebhookUrl,
  type HostResolver,
  nonPublicReason,
  resolveWebhookTarget,
  type WebhookTarget,
  type WebhookUrlCheck,
  type WebhookUrlCheckOptions,
} from './ssrf-guard.js';
export {
  type DeliveryOptions,
  type DeliveryOutcome,
  type DeliveryResult,
  deliverDueWebhooks,
} from './webhook-delivery.js';
export { pinnedLookup, postWebhook, webhookTimeoutMs } from './webhook-request.js';
export { webhookSignatureHeader } from './webhook-signature.js';
export { type RunningWorker, startWorker } from './worker.js';
