import type { FastifyInstance } from 'fastify';

export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

/** /healthz: the process answers. /readyz: it can do its job (database and every configured dependency). */
export async function healthRoutes(app: FastifyInstance, { checks }: { checks: ReadinessCheck[] }) {
  const hide = { hide: true };
  app.get('/healthz', { config: { auth: 'none' }, schema: hide }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { auth: 'none' }, schema: hide }, async (_request, reply) => {
    const results = await Promise.all(
      checks.map(async (c) => {
        const ok = await Promise.race([
          c.check().catch(() => false),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2_000).unref()),
        ]);
        return [c.name, ok ? 'ok' : 'unavailable'] as const;
      }),
    );
    const ready = results.every(([, s]) => s === 'ok');
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(results) });
  });
}
