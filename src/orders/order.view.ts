import type { Sql } from '../db/client.ts';
import type { OrderRow } from './order.ts';
import { listItems } from './orders.repository.ts';
import { orderSummary } from './orders.service.ts';

/**
 * The views of an order's payments and refunds, as their own features make them. Passed in by the wiring:
 * payments and refunds depend on orders, never the other way round.
 */
export interface OrderParts {
  paymentsOf: (sql: Sql, orderId: number) => Promise<unknown[]>;
  refundsOf: (sql: Sql, orderId: number) => Promise<unknown[]>;
}

/** What `GET /api/orders/{orderNo}` shows: the order, its items, its payments and its refunds. */
export async function orderDetail(sql: Sql, order: OrderRow, parts: OrderParts) {
  const [items, payments, refunds] = await Promise.all([
    listItems(sql, [order.id]),
    parts.paymentsOf(sql, order.id),
    parts.refundsOf(sql, order.id),
  ]);
  return { ...orderSummary(order, items), payments, refunds };
}

export async function orderList(sql: Sql, orders: OrderRow[]) {
  const items = await listItems(
    sql,
    orders.map((o) => o.id),
  );
  return orders.map((o) =>
    orderSummary(
      o,
      items.filter((i) => i.order_id === o.id),
    ),
  );
}
