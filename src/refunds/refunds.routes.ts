import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../db/client.ts';
import { isStaff } from '../accounts/accounts.ts';
import { requireRole, requireStaff, requireUser } from '../http/auth.ts';
import { errorResponses, newRouter } from '../http/env.ts';
import { AppError } from '../lib/errors.ts';
import { noteText } from '../lib/text.ts';
import { OrderNoParam } from '../orders/orders.routes.ts';
import { REFUND_STATUSES } from './refund.ts';
import { refundDetail, refundSummary } from './refund.view.ts';
import * as repo from './refunds.repository.ts';
import type { RefundsService } from './refunds.service.ts';

const RefundNoParam = z.object({
  refundNo: z
    .string()
    .regex(/^[A-Za-z0-9]{8,32}$/)
    .openapi({ param: { name: 'refundNo', in: 'path' } }),
});
const NoteBody = {
  required: true,
  content: { 'application/json': { schema: z.object({ note: noteText().trim().min(1).max(1000) }) } },
} as const;
const json = (schema: z.ZodTypeAny, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const Refund = z.record(z.string(), z.unknown()).openapi('Refund');

export function refundsRoutes(deps: { db: Db; refunds: RefundsService }) {
  const { db, refunds } = deps;
  const review = (action: 'approve' | 'reject' | 'retry' | 'close', summary: string) =>
    createRoute({
      method: 'post',
      path: `/admin/refunds/{refundNo}/${action}`,
      tags: ['admin'],
      summary,
      request: { params: RefundNoParam, body: NoteBody },
      responses: { 200: json(Refund, 'The refund after the decision'), ...errorResponses },
    });
  const decided = async (refundNo: string) => refundDetail(db, (await repo.findRefund(db, refundNo))!);

  return newRouter()
    .openapi(
      createRoute({
        method: 'post',
        path: '/orders/{orderNo}/refunds',
        tags: ['refunds'],
        summary: 'Apply for a refund (amount defaults to all that is still refundable)',
        request: {
          params: OrderNoParam,
          headers: z.object({ 'idempotency-key': z.string().optional() }),
          body: {
            required: true,
            content: {
              'application/json': {
                schema: z.object({ amount: z.number().optional(), reason: noteText().trim().min(1).max(500) }),
              },
            },
          },
        },
        responses: { 201: json(Refund, 'Under review'), ...errorResponses },
      }),
      async (c) => {
        const user = requireRole(c, 'customer');
        const res = await refunds.apply(
          user,
          c.req.valid('param').orderNo,
          c.req.valid('json'),
          c.req.header('idempotency-key'),
        );
        return c.json(res.body as Record<string, unknown>, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/refunds/{refundNo}',
        tags: ['refunds'],
        summary: 'One refund with its review and provider history',
        request: { params: RefundNoParam },
        responses: { 200: json(Refund, 'Refund'), ...errorResponses },
      }),
      async (c) => {
        const user = requireUser(c);
        const refund = await repo.findRefundWithOrder(db, c.req.valid('param').refundNo);
        if (!refund || (refund.order_user_id !== user.id && !isStaff(user)))
          throw new AppError('refund_not_found', 'refund not found');
        return c.json(await refundDetail(db, refund), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/admin/refunds',
        tags: ['admin'],
        summary: 'Refunds, oldest first, optionally of one status (the review queue: pending_review)',
        request: {
          query: z.object({
            status: z.enum(REFUND_STATUSES).optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(200),
          }),
        },
        responses: { 200: json(z.array(Refund), 'Refunds'), ...errorResponses },
      }),
      async (c) => {
        requireStaff(c);
        const { status, limit } = c.req.valid('query');
        return c.json((await repo.listRefundsWithOrder(db, { status, limit })).map(refundSummary), 200);
      },
    )
    .openapi(review('approve', 'Approve a refund application (then it goes to the provider)'), async (c) => {
      const r = await refunds.approve(requireStaff(c), c.req.valid('param').refundNo, c.req.valid('json').note);
      return c.json(await decided(r.refund_no), 200);
    })
    .openapi(review('reject', 'Reject a refund application; the order goes back where it was'), async (c) => {
      const r = await refunds.reject(requireStaff(c), c.req.valid('param').refundNo, c.req.valid('json').note);
      return c.json(await decided(r.refund_no), 200);
    })
    .openapi(review('retry', 'Send a failed refund again, as a new request under a new provider number'), async (c) => {
      const r = await refunds.retry(requireStaff(c), c.req.valid('param').refundNo, c.req.valid('json').note);
      return c.json(await decided(r.refund_no), 200);
    })
    .openapi(review('close', 'Give up on a failed refund; the order rests where its money says'), async (c) => {
      const r = await refunds.abandon(requireStaff(c), c.req.valid('param').refundNo, c.req.valid('json').note);
      return c.json(await decided(r.refund_no), 200);
    });
}
