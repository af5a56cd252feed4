import { releaseOrderStock } from '../catalog/catalog.repository.ts';
import type { Sql } from '../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { guardedUpdate } from '../lib/transitions.ts';
import { orderTransitions, settledOrderStatus, type OrderRow, type OrderStatus } from './order.ts';
import * as repo from './orders.repository.ts';

/**
 * The only code that changes an order row. Payments and refunds call these inside their own transaction;
 * each is a guarded update (`… WHERE status = ANY(allowed) RETURNING *`), so a lost race or a duplicate
 * answers undefined and overwrites nothing. Orders have no history table: the payments' and refunds' own
 * histories say why an order moved.
 */
export async function moveOrder(
  sql: Sql,
  key: { id: number } | { order_no: string },
  to: OrderStatus,
  at: Date,
  opts: { from?: readonly OrderStatus[]; set?: Record<string, unknown> } = {},
): Promise<OrderRow | undefined> {
  return guardedUpdate<OrderStatus, OrderRow>(sql, {
    table: 'orders',
    transitions: orderTransitions,
    key,
    to,
    from: opts.from,
    set: { ...opts.set, updated_at: at },
  });
}

/** An attempt's money arrived: the order is paid, unless it is closed or paid already (then it is surplus). */
export const markOrderPaid = (sql: Sql, orderId: number, paid: { amount: number; paidAt: Date }, at: Date) =>
  moveOrder(sql, { id: orderId }, 'paid', at, { set: { paid_amount: paid.amount, paid_at: paid.paidAt } });

/**
 * Closes an unpaid order and gives its stock back, once: a second call finds it closed (or paid) and does
 * nothing. Answers the order as it now is.
 */
export async function closeUnpaidOrder(
  sql: Sql,
  orderNo: string,
  at: Date,
): Promise<{ closed: boolean; order: OrderRow | undefined }> {
  const closed = await moveOrder(sql, { order_no: orderNo }, 'closed', at, { set: { closed_at: at } });
  if (!closed) return { closed: false, order: await repo.findOrder(sql, orderNo) };
  await releaseOrderStock(sql, closed.id);
  return { closed: true, order: closed };
}

/** A refund application holds the order in refund_pending (a second one finds it there already). */
export const holdOrderForRefund = (sql: Sql, orderId: number, at: Date) =>
  moveOrder(sql, { id: orderId }, 'refund_pending', at, { from: ['paid', 'partially_refunded'] });

/** A customer-applied refund succeeded at the provider: its money counts against what was paid. */
export async function addRefundToOrder(sql: Sql, orderId: number, amount: number, at: Date): Promise<OrderRow> {
  const order = await repo.addRefundedAmount(sql, { orderId, amount, from: ['refund_pending'], at });
  // The refund held the order in refund_pending and the application checked the refundable amount under the
  // order's lock, so this cannot miss; if it does, the books disagree and nothing may be written.
  if (!order) throw new AppError('invalid_state', `order ${orderId} cannot take a refund of ${amount}`);
  return order;
}

/**
 * No refund of the order is in flight any more: it rests where its money says (paid, partially refunded or
 * refunded). That is also "back where it was" for a rejected or given-up refund, derived, never remembered.
 */
export async function settleOrderAfterRefunds(sql: Sql, orderId: number, at: Date): Promise<OrderRow | undefined> {
  const order = await repo.findOrderById(sql, orderId);
  if (!order) return undefined;
  return moveOrder(sql, { id: orderId }, settledOrderStatus(order.paid_amount, order.refunded_amount), at, {
    from: ['refund_pending'],
  });
}

/** The order's row, locked for the rest of the caller's transaction (refund applications, payment attempts). */
export const lockOrder = (sql: Sql, orderNo: string) => repo.lockOrder(sql, orderNo);

/** The order's row by id, read in the caller's transaction. */
export const orderById = (sql: Sql, orderId: number) => repo.findOrderById(sql, orderId);
