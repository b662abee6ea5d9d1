import { type Clock, systemClock, unixSeconds } from '@payin/core';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { JobDeps, JobLogger } from './deps.js';
import { eventPayload } from './event-payload.js';

/** Publishes outbox events somewhere outside the database; the scheduler drives it. */
export interface EventPublisher {
  /** Publishes events not published yet, oldest first; returns how many were confirmed. */
  publishPending(deps: JobDeps, opts: { limit: number }): Promise<number>;
  /** False while the broker is unreachable: /readyz reports it. */
  isHealthy(): boolean;
  close(): Promise<void>;
}

export interface BrokerPublisherOptions {
  /** amqp://user:pass@host:5672/vhost (AMQP_URL). */
  url: string;
  log: JobLogger;
  /** Topic exchange; the routing key is the event type (payment.succeeded…). */
  exchange?: string;
  /** Longest wait for the broker to confirm a batch before giving up on the connection. */
  confirmTimeoutMs?: number;
  /** First wait before reconnecting; doubles up to maxReconnectDelayMs. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  /** Drives the reconnect backoff; tests pass a fake one. */
  clock?: Clock;
}

export const eventsExchange = 'payin.events';

export function createBrokerPublisher(opts: BrokerPublisherOptions): EventPublisher {
  return new BrokerPublisher(opts);
}

/**
 * RabbitMQ publisher of the outbox, at least once: an event is marked published only after the
 * broker confirmed it (publisher confirms), so a broker or network failure at any point leaves
 * it unmarked and it is sent again later. Consumers deduplicate by messageId (the event id).
 * https://www.rabbitmq.com/docs/confirms#publisher-confirms
 */
class BrokerPublisher implements EventPublisher {
  private readonly exchange: string;
  private readonly clock: Clock;
  private connection: ChannelModel | undefined;
  private channel: ConfirmChannel | undefined;
  private connecting: Promise<ConfirmChannel | undefined> | undefined;
  private failures = 0;
  private retryAt = 0;
  private closed = false;

  constructor(private readonly opts: BrokerPublisherOptions) {
    this.exchange = opts.exchange ?? eventsExchange;
    this.clock = opts.clock ?? systemClock;
  }

  isHealthy(): boolean {
    return this.channel !== undefined;
  }

  async publishPending(deps: JobDeps, { limit }: { limit: number }): Promise<number> {
    const channel = await this.ensureChannel();
    if (!channel) return 0;
    // The transaction holds the rows (SKIP LOCKED for other workers) while the broker confirms;
    // a rollback on any failure leaves published_at empty. On PGlite it also holds the only
    // connection, which the confirm timeout bounds.
    return deps.db.transaction().execute(async (tx) => {
      const events = await tx
        .selectFrom('events')
        .selectAll()
        .where('publishedAt', 'is', null)
        .orderBy('seq')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      if (events.length === 0) return 0;
      try {
        for (const e of events) {
          channel.publish(this.exchange, e.type, Buffer.from(eventPayload(e)), {
            persistent: true,
            messageId: e.id,
            contentType: 'application/json',
            type: e.type,
            timestamp: unixSeconds(e.createdAt),
            appId: 'payin',
          });
        }
        await this.waitForConfirms(channel);
      } catch (err) {
        // A nack, a timeout or a closed channel: start over on a fresh connection, later.
        this.dropConnection(err);
        throw err;
      }
      await tx
        .updateTable('events')
        .set({ publishedAt: deps.clock.now() })
        .where(
          'id',
          'in',
          events.map((e) => e.id),
        )
        .execute();
      return events.length;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connecting;
    const connection = this.connection;
    this.connection = undefined;
    this.channel = undefined;
    await connection?.close().catch(() => undefined);
  }

  private async waitForConfirms(channel: ConfirmChannel): Promise<void> {
    const timeoutMs = this.opts.confirmTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`broker did not confirm within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([channel.waitForConfirms(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private ensureChannel(): Promise<ConfirmChannel | undefined> {
    if (this.channel) return Promise.resolve(this.channel);
    if (this.closed || this.clock.now().getTime() < this.retryAt) return Promise.resolve(undefined);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<ConfirmChannel | undefined> {
    let connection: ChannelModel | undefined;
    try {
      connection = await amqp.connect(this.opts.url, { timeout: 5_000 });
      const model = connection;
      // Without listeners these events would crash the process; a loss means reconnect later.
      model.on('error', (err: Error) => this.lost(model, err));
      model.on('close', () => this.lost(model, new Error('connection closed')));
      const channel = await model.createConfirmChannel();
      channel.on('error', (err: Error) => this.lost(model, err));
      channel.on('close', () => this.lost(model, new Error('channel closed')));
      await channel.assertExchange(this.exchange, 'topic', { durable: true });
      if (this.closed) {
        await model.close().catch(() => undefined);
        return undefined;
      }
      this.connection = model;
      this.channel = channel;
      if (this.failures > 0) this.opts.log.info({ exchange: this.exchange }, 'broker reconnected');
      this.failures = 0;
      return channel;
    } catch (err) {
      await connection?.close().catch(() => undefined);
      this.scheduleRetry(err);
      return undefined;
    }
  }

  /** The connection or its channel went away: forget it so the next tick reconnects. */
  private lost(model: ChannelModel, err: Error, logged = false) {
    if (this.connection !== model) return;
    this.connection = undefined;
    this.channel = undefined;
    model.close().catch(() => undefined);
    if (!this.closed) this.scheduleRetry(err, logged);
  }

  /** After a failed publish; the caller rethrows, so the scheduler logs the error once. */
  private dropConnection(err: unknown) {
    const model = this.connection;
    if (model) this.lost(model, err instanceof Error ? err : new Error(String(err)), true);
  }

  private scheduleRetry(err: unknown, logged = false) {
    this.failures += 1;
    const base = this.opts.reconnectDelayMs ?? 500;
    const max = this.opts.maxReconnectDelayMs ?? 30_000;
    const delay = Math.min(max, base * 2 ** Math.min(this.failures - 1, 16));
    this.retryAt = this.clock.now().getTime() + delay;
    if (logged) return;
    this.opts.log.warn(
      { err: err instanceof Error ? err.message : String(err), retryInMs: delay, failures: this.failures },
      'broker unavailable; events stay unpublished until it is back',
    );
  }
}
