import { createRoute, z } from '@hono/zod-openapi';
import { PAYMENT_METHODS } from '../config.ts';
import type { Db } from '../db/client.ts';
import { isCalendarDate } from '../lib/calendar-date.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { noteText } from '../lib/text.ts';
import { requireStaff } from '../http/auth.ts';
import { errorResponses, newRouter } from '../http/env.ts';
import type { DifferenceRow } from './reconciliation.ts';
import { listDifferences, listRuns } from './reconciliation.repository.ts';
import { resolveDifference } from './resolve-difference.ts';

const view = (d: DifferenceRow & { resolved_by_email?: string | null }) => ({
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
  resolvedAt: d.resolved_at ? d.resolved_at.toISOString() : null,
  resolvedBy: d.resolved_by_email ?? null,
  resolutionNote: d.resolution_note,
});

export function reconciliationRoutes(db: Db, clock: Clock) {
  return newRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/admin/reconciliation/differences/{id}/resolve',
        tags: ['admin'],
        summary: 'Close a flagged (or stuck open) difference with a note of what was found and done',
        request: {
          params: z.object({ id: z.coerce.number().int().positive() }),
          body: {
            required: true,
            content: { 'application/json': { schema: z.object({ note: noteText().trim().min(1).max(1000) }) } },
          },
        },
        responses: {
          200: {
            description: 'Resolved',
            content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const staff = requireStaff(c);
        const row = await resolveDifference({ db, clock }, staff, c.req.valid('param').id, c.req.valid('json').note);
        return c.json(view({ ...row, resolved_by_email: staff.email }), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/admin/reconciliation',
        tags: ['admin'],
        summary: 'Reconciliation runs and the differences they (and the consistency checker) found',
        request: {
          query: z.object({
            // Checked in the handler: a day that does not exist is a 400 invalid_date, whatever its shape.
            date: z
              .string()
              .max(32)
              .optional()
              .openapi({ description: 'A Beijing date YYYY-MM-DD', example: '2026-11-24' }),
            provider: z.enum(PAYMENT_METHODS).optional(),
            status: z.enum(['open', 'resolved', 'flagged']).optional(),
          }),
        },
        responses: {
          200: {
            description: 'Runs and differences',
            content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        requireStaff(c);
        const q = c.req.valid('query');
        if (q.date !== undefined && !isCalendarDate(q.date))
          throw new AppError('invalid_date', `date must be a real day as YYYY-MM-DD, not ${JSON.stringify(q.date)}`);
        const runs = (await listRuns(db, q.date)).filter((r) => !q.provider || r.provider === q.provider);
        return c.json(
          {
            runs: runs.map((r) => ({
              provider: r.provider,
              billDate: r.bill_date,
              status: r.status,
              billLines: r.bill_lines,
              differences: r.differences,
              newDifferences: r.new_differences,
              runs: r.runs,
              lastRunAt: r.last_run_at.toISOString(),
            })),
            differences: (await listDifferences(db, q)).map(view),
          },
          200,
        );
      },
    );
}
