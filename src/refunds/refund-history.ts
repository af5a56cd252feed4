import type { Sql } from '../db/client.ts';
import { orderById, settleOrderAfterRefunds } from '../orders/order-state.ts';
import { noticeToCustomer, type NoticeKind } from '../notices/notice.ts';
import type { RefundRow, RefundStatus } from './refund.ts';
import * as repo from './refunds.repository.ts';

export interface Actor {
  id: number | null;
  role: 'customer' | 'support' | 'admin' | 'system' | 'provider';
}
export const SYSTEM: Actor = { id: null, role: 'system' };
export const PROVIDER: Actor = { id: null, role: 'provider' };

/** Every change of a refund goes into its append-only history, with time and actor. */
export const record = (
  sql: Sql,
  refund: RefundRow,
  at: Date,
  actor: Actor,
  action: string,
  change: { from?: RefundStatus; to?: RefundStatus; note?: string | null } = {},
) =>
  repo.insertEvent(sql, {
    refundId: refund.id,
    at,
    actorId: actor.id,
    actorRole: actor.role,
    action,
    from: change.from,
    to: change.to,
    note: change.note,
  });

/** Tells the customer about their refund, in the same transaction as the change (the notices feature). */
export async function tellCustomer(
  sql: Sql,
  refund: RefundRow,
  orderNo: string,
  kind: NoticeKind,
  at: Date,
  note: string | null = null,
) {
  const userId = refund.user_id ?? (await orderById(sql, refund.order_id))!.user_id;
  await noticeToCustomer(sql, {
    userId,
    kind,
    orderNo,
    refundNo: refund.refund_no,
    amount: refund.amount,
    currency: refund.currency,
    note,
    at,
  });
}

/**
 * When no refund of the order is in flight any more, the order rests where its money says: paid,
 * partially refunded or refunded. While one is, it stays refund_pending.
 */
export async function settleOrderIfIdle(sql: Sql, orderId: number, exceptRefundId: number, at: Date): Promise<void> {
  if ((await repo.countInFlight(sql, orderId, exceptRefundId)) > 0) return;
  await settleOrderAfterRefunds(sql, orderId, at);
}
