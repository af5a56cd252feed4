import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../db/client.ts';
import { requireStaff } from '../http/auth.ts';
import { errorResponses, newRouter } from '../http/env.ts';
import type { DifferenceRow } from './reconciliation.ts';
import { listDifferences, listRuns } from './reconciliation.repository.ts';

const view = (d: DifferenceRow) => ({
  id: Number(d.id),
  source: d.source,
  provider: d.provider,
  billDate: d.bill_date,
  kind: d.kind,
  paymentNo: d.payment_no,
  refundNo: d.refund_no,
  orderNo: d.order_no,
  providerAmount: d.provider_amount === null ? null : Number(d.provider_amount),
  ourAmount: d.our_amount === null ? null : Number(d.our_amount),
  status: d.status,
  remedy: d.remedy,
  detail: d.detail,
  foundAt: d.found_at.toISOString(),
});

export function reconciliationRoutes(db: Db) {
  return newRouter().openapi(
    createRoute({
      method: 'get',
      path: '/admin/reconciliation',
      tags: ['admin'],
      summary: 'Reconciliation runs and the differences they (and the consistency checker) found',
      request: {
        query: z.object({
          date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
          provider: z.enum(['alipay', 'wechatpay', 'unionpay']).optional(),
          status: z.enum(['open', 'resolved', 'flagged']).optional(),
        }),
      },
      responses: { 200: { description: 'Runs and differences', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } }, ...errorResponses },
    }),
    async (c) => {
      requireStaff(c);
      const q = c.req.valid('query');
      const runs = (await listRuns(db, q.date)).filter((r) => !q.provider || r.provider === q.provider);
      return c.json(
        {
          runs: runs.map((r) => ({ provider: r.provider, billDate: r.bill_date, status: r.status, billLines: r.bill_lines, differences: r.differences, newDifferences: r.new_differences, runs: r.runs, lastRunAt: r.last_run_at.toISOString() })),
          differences: (await listDifferences(db, q)).map(view),
        },
        200,
      );
    },
  );
}
