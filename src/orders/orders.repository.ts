import type { Sql } from '../db/client.ts';
import type { OrderItemRow, OrderRow, OrderStatus } from './order.ts';

export const insertOrder = async (
  sql: Sql,
  o: { orderNo: string; userId: number; amount: number; currency: string; expiresAt: Date; now: Date },
) =>
  (
    await sql.query<OrderRow>(
      `INSERT INTO orders (order_no, user_id, status, amount, currency, expires_at, created_at, updated_at)
       VALUES ($1, $2, 'pending_payment', $3, $4, $5, $6, $6) RETURNING *`,
      [o.orderNo, o.userId, o.amount, o.currency, o.expiresAt, o.now],
    )
  )[0]!;

export const insertItems = (sql: Sql, orderId: number, items: OrderItemRow[]) =>
  sql.query(
    `INSERT INTO order_items (order_id, sku, name, unit_price, quantity)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::int[])`,
    [
      orderId,
      items.map((i) => i.sku),
      items.map((i) => i.name),
      items.map((i) => i.unit_price),
      items.map((i) => i.quantity),
    ],
  );

export const findOrder = async (sql: Sql, orderNo: string) =>
  (await sql.query<OrderRow>('SELECT * FROM orders WHERE order_no = $1', [orderNo]))[0];

export const lockOrder = async (sql: Sql, orderNo: string) =>
  (await sql.query<OrderRow>('SELECT * FROM orders WHERE order_no = $1 FOR UPDATE', [orderNo]))[0];

export const listItems = (sql: Sql, orderIds: number[]) =>
  sql.query<OrderItemRow & { order_id: number }>(
    'SELECT order_id, sku, name, unit_price, quantity FROM order_items WHERE order_id = ANY($1) ORDER BY order_id, sku',
    [orderIds],
  );

export const listOrders = (sql: Sql, filter: { userId?: number; status?: OrderStatus; limit: number }) =>
  sql.query<OrderRow>(
    `SELECT * FROM orders WHERE ($1::bigint IS NULL OR user_id = $1) AND ($2::text IS NULL OR status = $2)
     ORDER BY id DESC LIMIT $3`,
    [filter.userId ?? null, filter.status ?? null, filter.limit],
  );

export const findOrderById = async (sql: Sql, orderId: number) =>
  (await sql.query<OrderRow>('SELECT * FROM orders WHERE id = $1', [orderId]))[0];

/**
 * Adds a refund's money to the order, guarded like a status change: only while the order waits on refunds
 * (`refund_pending`), and never past what was paid. No row back means the order is elsewhere.
 */
export const addRefundedAmount = async (
  sql: Sql,
  o: { orderId: number; amount: number; from: readonly OrderStatus[]; at: Date },
) =>
  (
    await sql.query<OrderRow>(
      `UPDATE orders SET refunded_amount = refunded_amount + $1, updated_at = $2
       WHERE id = $3 AND status = ANY($4) AND refunded_amount + $1 <= paid_amount RETURNING *`,
      [o.amount, o.at, o.orderId, o.from],
    )
  )[0];

/** Units of each sku the customer holds in their unpaid orders (issue 21.4). */
export const heldUnitsOfCustomer = async (sql: Sql, userId: number) =>
  (
    await sql.query<{ held: number }>(
      `SELECT COALESCE(sum(i.quantity), 0)::int AS held FROM orders o JOIN order_items i ON i.order_id = o.id
       WHERE o.user_id = $1 AND o.status = 'pending_payment'`,
      [userId],
    )
  )[0]!.held;
