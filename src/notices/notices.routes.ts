import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../db/client.ts';
import { requireUser } from '../http/auth.ts';
import { errorResponses, newRouter } from '../http/env.ts';
import { noticeView } from './notice.ts';
import { listNotices } from './notices.repository.ts';

/** The customer's notices over the API (the notice inbox at /notices is the page for people). */
export function noticesRoutes(deps: { db: Db }) {
  return newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/me/notifications',
      tags: ['refunds'],
      summary: 'Messages to the customer: refund approved, rejected, refunded, failed',
      responses: {
        200: {
          description: 'Messages, newest first',
          content: { 'application/json': { schema: z.array(z.record(z.string(), z.unknown())) } },
        },
        ...errorResponses,
      },
    }),
    async (c) => c.json((await listNotices(deps.db, requireUser(c).id, 200)).map(noticeView), 200),
  );
}
