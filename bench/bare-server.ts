/**
 * Baseline for `npm run bench`: the least a server can do per payment with the same stack as the api
 * (Node, Fastify, pg, PostgreSQL). Per POST /v1/payments it runs the two transactions a confirmed payment
 * needs, and nothing else: no auth, no idempotency, no connector, no outbox. The api's payments/s divided
 * by this one's says how much of the hardware's budget the api's own machinery costs.
 *
 * Env: DATABASE_URL (a database it may create tables in), PORT, LOG_LEVEL (default warn).
 */
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';

const POOL_SIZE = 20;

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('bare-server needs DATABASE_URL');
  process.exit(1);
}
const port = Number(process.env.PORT ?? 3000);

const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_SIZE });

// Its own tiny schema, shaped like a real one (foreign key, event log with a serial id, timestamps) so the
// database does comparable work per row.
await pool.query(`
  CREATE TABLE IF NOT EXISTS payments (
    id text PRIMARY KEY,
    amount bigint NOT NULL,
    currency text NOT NULL,
    status text NOT NULL,
    reference text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS payment_events (
    id bigserial PRIMARY KEY,
    payment_id text NOT NULL REFERENCES payments (id),
    type text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
`);

interface CreatePayment {
  amount: number;
  currency: string;
  payment_method: string;
  confirm?: boolean;
  reference?: string;
}

// Validated by a JSON schema as the api validates its input, so the baseline pays that cost too.
const createPaymentSchema = {
  type: 'object',
  required: ['amount', 'currency', 'payment_method'],
  properties: {
    amount: { type: 'integer', minimum: 1 },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    payment_method: { type: 'string', minLength: 1 },
    confirm: { type: 'boolean' },
    reference: { type: 'string', maxLength: 255 },
  },
} as const;

const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'warn' } });

app.get('/healthz', async () => ({ ok: true }));

/** Payments still being written; a handler outlives its request when the load generator hangs up. */
let inFlight = 0;

app.post<{ Body: CreatePayment }>(
  '/v1/payments',
  { schema: { body: createPaymentSchema } },
  async (request) => {
    inFlight++;
    try {
      return await createAndConfirm(request.body);
    } finally {
      inFlight--;
    }
  },
);

async function createAndConfirm({ amount, currency, reference }: CreatePayment) {
  const id = `pay_${randomBytes(12).toString('hex')}`;

  // tx1: the payment exists, as processing, before anyone is asked to move money.
  await transaction(async (client) => {
    await client.query(
      `INSERT INTO payments (id, amount, currency, status, reference) VALUES ($1, $2, $3, 'processing', $4)`,
      [id, amount, currency, reference ?? null],
    );
    await client.query(`INSERT INTO payment_events (payment_id, type) VALUES ($1, 'payment.processing')`, [
      id,
    ]);
  });

  // tx2: the outcome, under a row lock as a real state machine would take it.
  const createdAt = await transaction(async (client) => {
    const { rows } = await client.query<{ status: string; created_at: Date }>(
      'SELECT status, created_at FROM payments WHERE id = $1 FOR UPDATE',
      [id],
    );
    const row = rows[0];
    if (row?.status !== 'processing') throw new Error(`payment ${id} is not processing`);
    await client.query(`UPDATE payments SET status = 'succeeded', updated_at = now() WHERE id = $1`, [id]);
    await client.query(`INSERT INTO payment_events (payment_id, type) VALUES ($1, 'payment.succeeded')`, [
      id,
    ]);
    return row.created_at;
  });

  return {
    id,
    object: 'payment',
    amount,
    currency,
    status: 'succeeded',
    reference: reference ?? null,
    created_at: createdAt.toISOString(),
  };
}

async function transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection whose ROLLBACK fails is in an unknown state: the pool must discard it, not reuse it.
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

async function shutdown(): Promise<void> {
  await app.close();
  // app.close() returns once the sockets are gone, not the handlers: let them finish their transactions
  // before the pool ends under them (bounded, so a stuck query cannot hold the exit).
  const deadline = Date.now() + 3_000;
  while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  await pool.end();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());

await app.listen({ port, host: '127.0.0.1' });
