import type { User } from '../accounts/accounts.ts';
import type { Db, Sql } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { idempotent, type StoredResponse } from '../lib/idempotency.ts';
import { merchantNo } from '../lib/ids.ts';
import { enqueue } from '../lib/jobs.ts';
import { guardedUpdate } from '../lib/transitions.ts';
import type { OrderStatus } from '../orders/order.ts';
import { holdOrderForRefund, lockOrder } from '../orders/order-state.ts';
import type { PaymentRow } from '../payments/payment.ts';
import { findRefundablePayment } from '../payments/payments.repository.ts';
import { refundTransitions, type RefundRow, type RefundStatus } from './refund.ts';
import { REFUND_LIMITS } from './refund-limits.ts';
import { record, settleOrderIfIdle, tellCustomer, type Actor } from './refund-history.ts';
import * as repo from './refunds.repository.ts';

export const DRIVE_REFUND_JOB = 'refund.drive';
const REFUNDABLE_ORDER: OrderStatus[] = ['paid', 'partially_refunded', 'refund_pending'];

const staffActor = (u: User): Actor => ({ id: u.id, role: u.role });

/** Application and review: what customers and support staff do with a refund. */
export function createRefundsService(deps: { db: Db; clock: Clock; dualApprovalAbove: number | undefined }) {
  const { db, clock } = deps;

  async function lockRefund(sql: Sql, refundNo: string) {
    const refund = await repo.findRefundWithOrder(sql, refundNo, { lock: true });
    if (!refund) throw new AppError('refund_not_found', 'refund not found');
    return refund;
  }

  return {
    /**
     * A customer applies. The order row is locked for the check and the insert, so the sum of refunds
     * under review, in flight and done never exceeds what was paid, however many apply at once.
     */
    async apply(
      user: User,
      orderNo: string,
      req: { amount?: number | undefined; reason: string },
      idempotencyKey?: string,
    ): Promise<StoredResponse<unknown>> {
      if (req.amount !== undefined && (!Number.isSafeInteger(req.amount) || req.amount <= 0)) {
        throw new AppError('invalid_amount', 'amount must be a whole number of minor units above 0');
      }
      return idempotent(
        db,
        { userId: user.id, scope: `refunds.create:${orderNo}`, key: idempotencyKey, body: req },
        async (sql) => {
          const order = await lockOrder(sql, orderNo);
          if (!order || order.user_id !== user.id) throw new AppError('order_not_found', 'order not found');
          if (!REFUNDABLE_ORDER.includes(order.status))
            throw new AppError('invalid_state', `order is ${order.status}, nothing to refund`);
          const payment = await findRefundablePayment(sql, order.id);
          if (!payment) throw new AppError('invalid_state', 'order has no payment to refund');
          const now = clock.now();
          checkProviderLimits(payment, await repo.countRefundsOfOrder(sql, order.id), now);
          const { held } = await repo.heldAmount(sql, order.id);
          const refundable = order.paid_amount - order.refunded_amount - held;
          const amount = req.amount ?? refundable;
          if (refundable <= 0)
            throw new AppError('amount_exceeds_refundable', 'nothing is left to refund on this order');
          if (amount > refundable)
            throw new AppError('amount_exceeds_refundable', `at most ${refundable} can still be refunded`, {
              refundable,
            });

          const refund = await repo.insertRefund(sql, {
            refund_no: merchantNo('R', now),
            order_id: order.id,
            payment_id: payment.id,
            user_id: user.id,
            automatic: false,
            status: 'pending_review',
            amount,
            currency: order.currency,
            reason: req.reason,
            approvals_needed: deps.dualApprovalAbove !== undefined && amount > deps.dualApprovalAbove ? 2 : 1,
            created_at: now,
          });
          await record(sql, refund, now, { id: user.id, role: 'customer' }, 'applied', {
            to: 'pending_review',
            note: req.reason,
          });
          await holdOrderForRefund(sql, order.id, now);
          return {
            status: 201,
            body: {
              refundNo: refund.refund_no,
              status: refund.status,
              amount: refund.amount,
              currency: refund.currency,
            },
          };
        },
      );
    },

    /** A staff approval; under dual approval the first one is recorded and a second, different one decides. */
    async approve(staff: User, refundNo: string, note: string): Promise<RefundRow> {
      return db.tx(async (sql) => {
        const refund = await lockRefund(sql, refundNo);
        if (refund.status !== 'pending_review') throw new AppError('already_reviewed', `refund is ${refund.status}`);
        const now = clock.now();
        if (!(await repo.insertApproval(sql, refund.id, staff.id, note, now))) {
          throw new AppError('same_approver', 'a second approval must come from another staff member');
        }
        if ((await repo.countApprovals(sql, refund.id)) < refund.approvals_needed) {
          await record(sql, refund, now, staffActor(staff), 'first_approval', { note });
          return refund;
        }
        const approved = await move(sql, refund, 'approved', staffActor(staff), 'approved', now, note);
        await tellCustomer(sql, approved, refund.order_no, 'refund_approved', now, note);
        await enqueue(sql, DRIVE_REFUND_JOB, { refundNo }, { runAt: now, dedupeKey: `refund:${refundNo}` });
        return approved;
      });
    },

    async reject(staff: User, refundNo: string, note: string): Promise<RefundRow> {
      return db.tx(async (sql) => {
        const refund = await lockRefund(sql, refundNo);
        if (refund.status !== 'pending_review') throw new AppError('already_reviewed', `refund is ${refund.status}`);
        const now = clock.now();
        const rejected = await move(sql, refund, 'rejected', staffActor(staff), 'rejected', now, note, {
          finished_at: now,
        });
        await settleOrderIfIdle(sql, refund.order_id, refund.id, now);
        await tellCustomer(sql, rejected, refund.order_no, 'refund_rejected', now, note);
        return rejected;
      });
    },

    /**
     * Staff send a failed refund again: the same refund, as a new request under a new number (the provider
     * answers a number it failed with the same failure for ever). The failed request stays in the refund's
     * history; at most one request is live at a time, and the refund's amount is what it always was, so the
     * money given back never exceeds what was paid (issue 21.8).
     */
    async retry(staff: User, refundNo: string, note: string): Promise<RefundRow> {
      return db.tx(async (sql) => {
        const refund = await lockRefund(sql, refundNo);
        if (refund.status !== 'failed' || refund.abandoned_at)
          throw new AppError('invalid_state', `refund is ${refund.status}${refund.abandoned_at ? ' and closed' : ''}`);
        const now = clock.now();
        const again = await move(sql, refund, 'processing', staffActor(staff), 'retried', now, note, {
          failure_reason: null,
        });
        await enqueue(sql, DRIVE_REFUND_JOB, { refundNo }, { runAt: now, dedupeKey: `refund:${refundNo}` });
        return again;
      });
    },

    /** Staff give up on a failed refund: it stays failed, and the order rests where its money says. */
    async abandon(staff: User, refundNo: string, note: string): Promise<RefundRow> {
      return db.tx(async (sql) => {
        const refund = await lockRefund(sql, refundNo);
        if (refund.status !== 'failed' || refund.abandoned_at)
          throw new AppError('invalid_state', `refund is ${refund.status}`);
        const now = clock.now();
        const closed = await repo.markAbandoned(sql, refund.id, now);
        await record(sql, refund, now, staffActor(staff), 'closed', { note });
        await settleOrderIfIdle(sql, refund.order_id, refund.id, now);
        return closed!;
      });
    },
  };
}

/** A refund's status change, with its history entry. Throws if the refund moved meanwhile. */
export async function move(
  sql: Parameters<Parameters<Db['tx']>[0]>[0],
  refund: RefundRow,
  to: RefundStatus,
  actor: Actor,
  action: string,
  at: Date,
  note: string | null = null,
  set: Record<string, unknown> = {},
): Promise<RefundRow> {
  const moved = await guardedUpdate<RefundStatus, RefundRow>(sql, {
    table: 'refunds',
    transitions: refundTransitions,
    key: { id: refund.id },
    to,
    set: { updated_at: at, ...set },
  });
  if (!moved) throw new AppError('invalid_state', `refund is no longer ${refund.status}`);
  await record(sql, refund, at, actor, action, { from: refund.status, to, note });
  return moved;
}

function checkProviderLimits(payment: PaymentRow, refundsSoFar: number, now: Date): void {
  const limits = REFUND_LIMITS[payment.method];
  if (refundsSoFar >= limits.maxRefunds)
    throw new AppError(
      'refund_limit_reached',
      `${payment.method} takes at most ${limits.maxRefunds} refunds per order`,
    );
  const paidAt = payment.succeeded_at ?? payment.created_at;
  if (now.getTime() - paidAt.getTime() > limits.windowDays * 86400_000) {
    throw new AppError(
      'refund_window_closed',
      `${payment.method} refunds only within ${limits.windowDays} days of payment`,
    );
  }
}

export type RefundsService = ReturnType<typeof createRefundsService>;
