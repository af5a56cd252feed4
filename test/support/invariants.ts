import type { Db } from '../../src/db/client.ts';

/**
 * What must hold of the books at every moment, whatever happened before: checked after every step of the
 * model-based test and at the end of the storm and crash tests. Answers the list of violations (empty: all hold).
 */
export async function violations(db: Db, initialStock?: Map<string, number>): Promise<string[]> {
  const found: string[] = [];
  const bad = async (what: string, sql: string) => {
    const rows = await db.query<Record<string, unknown>>(sql);
    for (const r of rows.slice(0, 5)) found.push(`${what}: ${JSON.stringify(r)}`);
  };
  await bad(
    'paid amount is neither 0 nor the order amount',
    `SELECT order_no, paid_amount, amount FROM orders WHERE paid_amount NOT IN (0, amount)`,
  );
  await bad('refunded more than paid', `SELECT order_no FROM orders WHERE refunded_amount > paid_amount`);
  await bad(
    'paid status without money, or money without paid status',
    `SELECT order_no, status, paid_amount FROM orders
     WHERE (status IN ('pending_payment', 'closed') AND paid_amount <> 0) OR (status NOT IN ('pending_payment', 'closed') AND paid_amount = 0)`,
  );
  await bad(
    'more than one payment counted for an order',
    `SELECT order_id, count(*) FROM payments WHERE status = 'succeeded' AND NOT surplus GROUP BY order_id HAVING count(*) > 1`,
  );
  await bad(
    'a paid order whose counted payment is missing',
    `SELECT o.order_no FROM orders o WHERE o.paid_amount > 0
     AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.status = 'succeeded' AND NOT p.surplus AND p.amount = o.amount)`,
  );
  await bad(
    'refunded amount differs from the refunds that succeeded',
    `SELECT o.order_no, o.refunded_amount, COALESCE(sum(r.amount) FILTER (WHERE r.status = 'succeeded' AND NOT r.automatic), 0) AS succeeded
     FROM orders o LEFT JOIN refunds r ON r.order_id = o.id GROUP BY o.id HAVING o.refunded_amount <> COALESCE(sum(r.amount) FILTER (WHERE r.status = 'succeeded' AND NOT r.automatic), 0)`,
  );
  await bad(
    'refunds held or done exceed what was paid',
    `SELECT o.order_no FROM orders o JOIN refunds r ON r.order_id = o.id
     WHERE NOT r.automatic AND r.abandoned_at IS NULL AND r.status IN ('pending_review', 'approved', 'processing', 'failed', 'succeeded')
     GROUP BY o.id HAVING sum(r.amount) > o.paid_amount`,
  );
  await bad(
    'refund_pending with no refund in flight, or a refund in flight and not refund_pending',
    `SELECT o.order_no, o.status FROM orders o
     WHERE (o.status = 'refund_pending') <> EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id AND NOT r.automatic
       AND (r.status IN ('pending_review', 'approved', 'processing') OR (r.status = 'failed' AND r.abandoned_at IS NULL)))`,
  );
  await bad(
    'resting status disagrees with the money',
    `SELECT order_no, status, paid_amount, refunded_amount FROM orders WHERE
     (status = 'paid' AND refunded_amount <> 0) OR (status = 'refunded' AND refunded_amount <> paid_amount)
     OR (status = 'partially_refunded' AND NOT (refunded_amount > 0 AND refunded_amount < paid_amount))`,
  );
  await bad(
    'surplus money with no automatic refund',
    `SELECT p.payment_no FROM payments p WHERE p.surplus AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.payment_id = p.id AND r.automatic) AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.kind = 'payment.return_surplus' AND j.payload->>'paymentNo' = p.payment_no)`,
  );
  await bad(
    'a payment applied twice',
    `SELECT out_trade_no, count(*) FROM notifications WHERE outcome = 'applied' AND kind = 'payment' GROUP BY out_trade_no HAVING count(*) > 1`,
  );
  await bad('negative stock', `SELECT sku, stock FROM products WHERE stock < 0`);
  await bad('a dead job', `SELECT kind, last_error FROM jobs WHERE dead_at IS NOT NULL`);
  if (initialStock) {
    const rows = await db.query<{ sku: string; stock: number; reserved: number }>(
      `SELECT p.sku, p.stock, COALESCE(sum(i.quantity) FILTER (WHERE o.status <> 'closed'), 0) AS reserved
       FROM products p LEFT JOIN order_items i ON i.sku = p.sku LEFT JOIN orders o ON o.id = i.order_id GROUP BY p.sku, p.stock`,
    );
    for (const r of rows) {
      const initial = initialStock.get(r.sku);
      if (initial !== undefined && r.stock + r.reserved !== initial)
        found.push(`stock of ${r.sku} is ${r.stock} with ${r.reserved} reserved, started at ${initial}`);
    }
  }
  return found;
}

export async function stockSnapshot(db: Db): Promise<Map<string, number>> {
  return new Map(
    (await db.query<{ sku: string; stock: number }>('SELECT sku, stock FROM products')).map((r) => [r.sku, r.stock]),
  );
}
