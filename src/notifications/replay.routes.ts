import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../db/client.ts';
import { requireStaff } from '../http/auth.ts';
import { errorResponses, newRouter } from '../http/env.ts';
import { AppError } from '../lib/errors.ts';
import type { Providers } from '../providers/registry.ts';
import type { NotificationsService } from './notifications.service.ts';

type Stored = { id: number; provider: string; outcome: string; headers: Record<string, string>; raw_body: string };

/**
 * Staff replay a rejected notification once its cause is fixed (a key rotated, an order restored): the
 * stored raw body and provider headers go through the same verification and application as a delivery,
 * and the replay is recorded as a new notification with its own outcome.
 */
export function notificationReplayRoutes(deps: { db: Db; providers: Providers; notifications: NotificationsService }) {
  return newRouter().openapi(
    createRoute({
      method: 'post',
      path: '/admin/notifications/{id}/replay',
      tags: ['admin'],
      summary: 'Replay a rejected notification through the normal verification path',
      request: { params: z.object({ id: z.coerce.number().int().positive().openapi({ param: { name: 'id', in: 'path' } }) }) },
      responses: { 200: { description: 'The outcome of the replay', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } }, ...errorResponses },
    }),
    async (c) => {
      requireStaff(c);
      const id = c.req.valid('param').id;
      const [n] = await deps.db.query<Stored>('SELECT id, provider, outcome, headers, raw_body FROM notifications WHERE id = $1', [id]);
      if (!n) throw new AppError('not_found', `no notification ${id}`);
      if (n.outcome !== 'rejected') throw new AppError('invalid_state', 'only a rejected notification can be replayed');
      const provider = deps.providers[n.provider as keyof Providers];
      if (!provider) throw new AppError('invalid_state', `${n.provider} is not enabled`);
      await deps.notifications.receive(provider, { method: 'POST', headers: new Headers(n.headers), rawBody: n.raw_body, query: new URLSearchParams() });
      const [replayed] = await deps.db.query<{ id: number; outcome: string; reason: string | null }>(
        'SELECT id, outcome, reason FROM notifications WHERE provider = $1 AND raw_body = $2 AND id > $3 ORDER BY id DESC LIMIT 1',
        [n.provider, n.raw_body, n.id],
      );
      return c.json({ replayOf: n.id, id: Number(replayed!.id), outcome: replayed!.outcome, ...(replayed!.reason ? { reason: replayed!.reason } : {}) }, 200);
    },
  );
}
