import type { User } from '../accounts/accounts.ts';
import { isStaff } from '../accounts/accounts.ts';
import { lockProducts, takeStock } from '../catalog/catalog.repository.ts';
import { lockUser } from '../accounts/accounts.repository.ts';
import type { StockHoldLimits } from '../config.ts';
import type { Db, Sql } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { idempotent, type StoredResponse } from '../lib/idempotency.ts';
import { merchantNo } from '../lib/ids.ts';
import { enqueue } from '../lib/jobs.ts';
import { MAX_QUANTITY, type OrderItemRow, type OrderRow } from './order.ts';
import * as repo from './orders.repository.ts';

export interface OrderLine {
  sku: string;
  quantity: number;
}

export const EXPIRE_ORDER_JOB = 'order.expire';

export function createOrdersService(deps: {
  db: Db;
  clock: Clock;
  orderTtlSeconds: number;
  stockHolds: StockHoldLimits;
}) {
  const { db, clock } = deps;

  /**
   * Issue 21.4: an unpaid order reserves its stock until its TTL, so without limits one customer could hold a
   * product's whole stock and place it again every TTL. One order takes at most `maxUnitsPerProduct` of a
   * product, and one customer holds at most `maxHeldUnitsPerCustomer` units in unpaid orders, this one
   * included. The customer's row is locked first, so their concurrent orders are counted one after another.
   */
  async function checkHoldLimits(sql: Sql, user: User, wanted: Map<string, number>) {
    const { maxUnitsPerProduct, maxHeldUnitsPerCustomer } = deps.stockHolds;
    const over = [...wanted].filter(([, q]) => q > maxUnitsPerProduct).map(([sku]) => sku);
    if (over.length)
      throw new AppError('quantity_limit_exceeded', `at most ${maxUnitsPerProduct} of a product per order`, {
        skus: over,
        maxUnitsPerProduct,
      });
    await lockUser(sql, user.id);
    const units = [...wanted.values()].reduce((a, b) => a + b, 0);
    const held = await repo.heldUnitsOfCustomer(sql, user.id);
    if (held + units > maxHeldUnitsPerCustomer)
      throw new AppError(
        'hold_limit_reached',
        `unpaid orders may hold at most ${maxHeldUnitsPerCustomer} units; pay or cancel one first`,
        { held, maxHeldUnitsPerCustomer },
      );
  }

  /** Prices come from the catalog; stock is taken in the same transaction, so it can never oversell. */
  async function reserveAndInsert(sql: Sql, user: User, lines: OrderLine[]) {
    const wanted = mergeLines(lines);
    await checkHoldLimits(sql, user, wanted);
    const skus = [...wanted.keys()].sort();
    const products = await lockProducts(sql, skus);
    const unknown = skus.filter((s) => !products.some((p) => p.sku === s));
    if (unknown.length) throw new AppError('unknown_sku', `unknown sku: ${unknown.join(', ')}`, { skus: unknown });
    const currencies = new Set(products.map((p) => p.currency));
    if (currencies.size > 1) throw new AppError('invalid_request', 'one order takes one currency');
    const taken = await takeStock(
      sql,
      skus,
      skus.map((s) => wanted.get(s)!),
    );
    if (taken.length < skus.length) {
      const short = skus.filter((s) => !taken.some((t) => t.sku === s));
      throw new AppError('out_of_stock', `not enough stock for ${short.join(', ')}`, { skus: short });
    }
    const items: OrderItemRow[] = products.map((p) => ({
      sku: p.sku,
      name: p.name,
      unit_price: p.price,
      quantity: wanted.get(p.sku)!,
    }));
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + deps.orderTtlSeconds * 1000);
    const amount = items.reduce((sum, i) => sum + i.unit_price * i.quantity, 0);
    const order = await repo.insertOrder(sql, {
      orderNo: merchantNo('M', now),
      userId: user.id,
      amount,
      currency: products[0]!.currency,
      expiresAt,
      now,
    });
    await repo.insertItems(sql, order.id, items);
    await enqueue(
      sql,
      EXPIRE_ORDER_JOB,
      { orderNo: order.order_no },
      { runAt: expiresAt, dedupeKey: `expire:${order.order_no}` },
    );
    return { order, items };
  }

  return {
    async place(user: User, lines: OrderLine[], idempotencyKey?: string): Promise<StoredResponse<unknown>> {
      return idempotent(
        db,
        { userId: user.id, scope: 'orders.create', key: idempotencyKey, body: lines },
        async (sql) => {
          const { order, items } = await reserveAndInsert(sql, user, lines);
          return { status: 201, body: orderSummary(order, items) };
        },
      );
    },

    /** The order if the user may see it: its owner or staff. Anyone else gets the same 404 as for no order. */
    async getVisible(user: User, orderNo: string): Promise<OrderRow> {
      const order = await repo.findOrder(db, orderNo);
      if (!order || (order.user_id !== user.id && !isStaff(user)))
        throw new AppError('order_not_found', 'order not found');
      return order;
    },

    async getOwn(user: User, orderNo: string): Promise<OrderRow> {
      const order = await repo.findOrder(db, orderNo);
      if (!order || order.user_id !== user.id) throw new AppError('order_not_found', 'order not found');
      return order;
    },

    find: (orderNo: string) => repo.findOrder(db, orderNo),

    /** The order while it can still be paid or closed, else undefined. */
    async findOpen(orderNo: string): Promise<OrderRow | undefined> {
      const order = await repo.findOrder(db, orderNo);
      return order?.status === 'pending_payment' ? order : undefined;
    },

    list: (user: User, limit = 100) => repo.listOrders(db, { userId: isStaff(user) ? undefined : user.id, limit }),
  };
}

export type OrdersService = ReturnType<typeof createOrdersService>;

function mergeLines(lines: OrderLine[]): Map<string, number> {
  const wanted = new Map<string, number>();
  for (const l of lines) wanted.set(l.sku, (wanted.get(l.sku) ?? 0) + l.quantity);
  for (const [sku, q] of wanted) {
    if (q > MAX_QUANTITY) throw new AppError('validation_failed', `quantity of ${sku} over ${MAX_QUANTITY}`);
  }
  return wanted;
}

export function orderSummary(order: OrderRow, items: OrderItemRow[]) {
  return {
    orderNo: order.order_no,
    status: order.status,
    amount: order.amount,
    currency: order.currency,
    paidAmount: order.paid_amount,
    refundedAmount: order.refunded_amount,
    items: items.map((i) => ({ sku: i.sku, name: i.name, unitPrice: i.unit_price, quantity: i.quantity })),
    expiresAt: order.expires_at.toISOString(),
    createdAt: order.created_at.toISOString(),
    paidAt: order.paid_at?.toISOString() ?? null,
    closedAt: order.closed_at?.toISOString() ?? null,
  };
}
