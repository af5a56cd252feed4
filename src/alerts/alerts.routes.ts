import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../db/client.ts';
import { requireStaff } from '../http/auth.ts';
import { errorResponses, newRouter } from '../http/env.ts';
import type { Clock } from '../lib/clock.ts';
import { ALERT_KINDS, currentAlerts } from './alerts.ts';

const AlertSchema = z
  .object({
    kind: z.enum(ALERT_KINDS),
    provider: z.string().optional(),
    count: z.number().int(),
    since: z.string().optional(),
    message: z.string(),
  })
  .openapi('Alert');

export function alertsRoutes(deps: { db: Db; clock: Clock }) {
  return newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/admin/alerts',
      tags: ['admin'],
      summary:
        'What needs attention now: open reconciliation differences, jobs backing up, providers whose notifications went silent',
      responses: {
        200: {
          description: 'Current alerts (empty when all is well)',
          content: { 'application/json': { schema: z.array(AlertSchema) } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      requireStaff(c);
      const alerts = await currentAlerts(deps.db, deps.clock);
      return c.json(
        alerts.map((a) => ({
          kind: a.kind,
          ...(a.provider ? { provider: a.provider } : {}),
          count: a.count,
          ...(a.since ? { since: a.since.toISOString() } : {}),
          message: a.message,
        })),
        200,
      );
    },
  );
}
