import { createRoute, z } from '@hono/zod-openapi';
import { requireStaff } from '../http/auth.ts';
import { errorResponses, newRouter } from '../http/env.ts';
import type { NotificationReplay } from './replay.service.ts';

/** Staff replay a rejected notification once its cause is fixed (see replay.service.ts). */
export function notificationReplayRoutes(replay: NotificationReplay) {
  return newRouter().openapi(
    createRoute({
      method: 'post',
      path: '/admin/notifications/{id}/replay',
      tags: ['admin'],
      summary: 'Replay a rejected notification through the normal verification path',
      request: {
        params: z.object({
          id: z.coerce
            .number()
            .int()
            .positive()
            .openapi({ param: { name: 'id', in: 'path' } }),
        }),
      },
      responses: {
        200: {
          description: 'The outcome of the replay',
          content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      requireStaff(c);
      return c.json({ ...(await replay(c.req.valid('param').id)) }, 200);
    },
  );
}
