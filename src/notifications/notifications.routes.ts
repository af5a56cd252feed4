import { createRoute, z } from '@hono/zod-openapi';
import { PAYMENT_METHODS } from '../config.ts';
import type { Db } from '../db/client.ts';
import { requireStaff } from '../http/auth.ts';
import { errorResponses, newRouter } from '../http/env.ts';
import { lineText } from '../lib/text.ts';
import { listNotifications } from './notifications.repository.ts';

const NotificationSchema = z
  .object({
    id: z.number().int(),
    provider: z.string(),
    receivedAt: z.string(),
    outcome: z.enum(['applied', 'duplicate', 'rejected']),
    reason: z.string().optional(),
    message: z.string().optional(),
    outTradeNo: z.string().optional(),
  })
  .openapi('ProviderNotification');

export function notificationsRoutes(db: Db) {
  return newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/admin/notifications',
      tags: ['admin'],
      summary: 'Every provider notification received, newest first, with its outcome',
      request: {
        query: z.object({
          provider: z.enum(PAYMENT_METHODS).optional(),
          outTradeNo: lineText().max(64).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(200),
        }),
      },
      responses: {
        200: { description: 'Notifications', content: { 'application/json': { schema: z.array(NotificationSchema) } } },
        ...errorResponses,
      },
    }),
    async (c) => {
      requireStaff(c);
      const rows = await listNotifications(db, c.req.valid('query'));
      return c.json(
        rows.map((r) => ({
          id: r.id,
          provider: r.provider,
          receivedAt: r.received_at.toISOString(),
          outcome: r.outcome,
          ...(r.reason ? { reason: r.reason } : {}),
          ...(r.message ? { message: r.message } : {}),
          ...(r.out_trade_no ? { outTradeNo: r.out_trade_no } : {}),
        })),
        200,
      );
    },
  );
}
