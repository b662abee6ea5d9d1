import { type Static, Type } from '@fastify/type-provider-typebox';
import { type CoreDeps, eventView } from '@payin/core';
import type { FastifyInstance } from 'fastify';
import { scopeOf } from '../plugins/auth.js';
import { errorResponses, ListOf, ListQuery, Text } from '../schemas/common.js';
import { Event } from '../schemas/objects.js';
import { listReply, pageOf } from './lists.js';
import { retrieveRoute } from './retrieve.js';

const ListEventsQuery = Type.Object(
  { ...ListQuery, type: Type.Optional(Text({ maxLength: 100 })) },
  { additionalProperties: false },
);

export async function eventRoutes(app: FastifyInstance, { core }: { core: CoreDeps }) {
  const tags = ['Events'];
  const secret = { auth: 'secret' as const };

  retrieveRoute(app, {
    path: '/v1/events/:id',
    tags,
    kind: 'event',
    schema: Event,
    load: (scope, id) => core.store.getEvent(scope, id),
    view: eventView,
  });

  app.get(
    '/v1/events',
    {
      config: secret,
      schema: {
        tags,
        summary: 'List events',
        description: 'Newest first; `type` filters by event type.',
        querystring: ListEventsQuery,
        response: { 200: ListOf(Event, 'EventList'), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof ListEventsQuery>;
      const result = await core.store.listEvents(scopeOf(request), q.type ? { type: q.type } : {}, pageOf(q));
      return listReply('/v1/events', result, eventView);
    },
  );
}
