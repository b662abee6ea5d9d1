import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AuditLog } from '../audit/log.js';
import type { VaultDb } from '../db/connect.js';

/** `GET /v1/audit_events`: the audit trail, newest first, for operators' tools through the api. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ db: VaultDb; audit: AuditLog }> = async (app, deps) => {
  app.get(
    '/v1/audit_events',
    {
      config: { access: 'service' },
      schema: {
        querystring: Type.Object({
          token: Type.Optional(Type.String({ pattern: '^tok_[A-Za-z0-9]{1,64}$' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          before: Type.Optional(Type.Integer({ minimum: 1 })),
        }),
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 20;
      const rows = await deps.audit.list(deps.db, {
        limit: limit + 1,
        ...(request.query.token ? { tokenId: request.query.token } : {}),
        ...(request.query.before ? { before: request.query.before } : {}),
      });
      return {
        object: 'list',
        has_more: rows.length > limit,
        data: rows.slice(0, limit).map((r) => ({
          object: 'audit_event',
          seq: r.seq,
          at: r.at.toISOString(),
          actor: r.actor,
          action: r.action,
          merchant: r.merchantId,
          token: r.tokenId,
          outcome: r.outcome,
          detail: r.detail,
        })),
      };
    },
  );
};
