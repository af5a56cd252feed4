import type { Sql } from '../db/client.ts';
import { listPaymentsOfOrder } from '../payments/payments.repository.ts';
import { paymentView } from '../payments/payment.ts';
import type { OrderRow } from './order.ts';
import { listItems } from './orders.repository.ts';
import { orderSummary } from './orders.service.ts';

/** What `GET /api/orders/{orderNo}` shows: the order, its items, its payments and its refunds. */
export type RefundsOfOrder = (sql: Sql, orderId: number) => Promise<unknown[]>;

export async function orderDetail(sql: Sql, order: OrderRow, refundsOf: RefundsOfOrder) {
  const [items, payments, refunds] = await Promise.all([
    listItems(sql, [order.id]),
    listPaymentsOfOrder(sql, order.id),
    refundsOf(sql, order.id),
  ]);
  return { ...orderSummary(order, items), payments: payments.map(paymentView), refunds };
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
