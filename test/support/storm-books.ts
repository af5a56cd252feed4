import type { Db } from '../../src/db/client.ts';

/** What a quiet system looks like; anything but zeros means something is still moving (or stuck). */
export async function unrest(db: Db) {
  const [row] = await db.query<Record<string, number>>(`SELECT
    (SELECT count(*)::int FROM sandbox_deliveries WHERE status = 'pending') AS "pendingDeliveries",
    (SELECT count(*)::int FROM jobs WHERE dead_at IS NULL AND run_at <= now()) AS "dueJobs",
    (SELECT count(*)::int FROM orders WHERE status = 'pending_payment') AS "openOrders",
    (SELECT count(*)::int FROM refunds WHERE status IN ('pending_review', 'approved', 'processing')) AS "refundsInFlight",
    (SELECT count(*)::int FROM refunds WHERE status = 'failed' AND abandoned_at IS NULL) AS "failedRefunds"`);
  return row!;
}

export interface PaymentBook {
  paymentNo: string;
  method: 'alipay' | 'wechatpay' | 'unionpay';
  status: string;
  surplus: boolean;
  orderNo: string;
  /** What mallpay says it kept of the order: paid_amount - refunded_amount. */
  kept: number;
  /** Refunds of this payment that succeeded here, automatic ones included. */
  refunded: number;
}

export const paymentBooks = (db: Db) =>
  db.query<PaymentBook>(`SELECT p.payment_no AS "paymentNo", p.method, p.status, p.surplus, o.order_no AS "orderNo",
      (o.paid_amount - o.refunded_amount)::int AS kept,
      COALESCE((SELECT sum(r.amount) FROM refunds r WHERE r.payment_id = p.id AND r.status = 'succeeded'), 0)::int AS refunded
    FROM payments p JOIN orders o ON o.id = p.order_id ORDER BY p.id`);

/** Counts for the figures: what happened to orders, payments, refunds, deliveries, notifications and jobs. */
export async function figures(db: Db) {
  const group = async (sql: string) =>
    Object.fromEntries((await db.query<{ k: string; n: number }>(sql)).map((r) => [r.k, r.n]));
  return {
    orders: await group(`SELECT status AS k, count(*)::int AS n FROM orders GROUP BY 1 ORDER BY 1`),
    payments: await group(
      `SELECT status || CASE WHEN surplus THEN ' surplus' ELSE '' END AS k, count(*)::int AS n FROM payments GROUP BY 1 ORDER BY 1`,
    ),
    refunds: await group(
      `SELECT status || CASE WHEN automatic THEN ' automatic' ELSE '' END AS k, count(*)::int AS n FROM refunds GROUP BY 1 ORDER BY 1`,
    ),
    deliveries: await group(`SELECT status AS k, count(*)::int AS n FROM sandbox_deliveries GROUP BY 1 ORDER BY 1`),
    // Why the given-up ones were never acknowledged: their last answer, cut to its status and first words.
    gaveUp: await group(
      `SELECT provider || ': ' || left(COALESCE(last_result, ''), 60) AS k, count(*)::int AS n FROM sandbox_deliveries WHERE status = 'gave_up' GROUP BY 1 ORDER BY 2 DESC LIMIT 10`,
    ),
    deliverySends: (
      await db.query<{ n: number }>(`SELECT COALESCE(sum(sends), 0)::int AS n FROM sandbox_deliveries`)
    )[0]!.n,
    notifications: await group(
      `SELECT outcome || COALESCE(' ' || reason, '') AS k, count(*)::int AS n FROM notifications GROUP BY 1 ORDER BY 1`,
    ),
    deadJobs: (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE dead_at IS NOT NULL`))[0]!.n,
    overdueJobs: (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM jobs WHERE dead_at IS NULL AND run_at < now() - interval '5 seconds'`,
      )
    )[0]!.n,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each sandbox's own trade view
type Trade = any;
/** Money at the provider, in fen: what the customer paid for this trade, and what came back to them. */
export function providerMoney(method: PaymentBook['method'], t: Trade | undefined): { paid: number; refunded: number } {
  if (!t) return { paid: 0, refunded: 0 };
  const sum = (xs: { n: number; ok: boolean }[]) => xs.filter((x) => x.ok).reduce((a, x) => a + x.n, 0);
  if (method === 'alipay') {
    // Alipay refunds are synchronous: every one listed went back.
    return {
      paid: t.gmtPayment ? t.totalFen : 0,
      refunded: sum((t.refunds ?? []).map((r: Trade) => ({ n: r.amountFen, ok: true }))),
    };
  }
  if (method === 'wechatpay') {
    const tx = t.transaction;
    return {
      paid: tx.transaction_id ? tx.amount.total : 0,
      refunded: sum((t.refunds ?? []).map((r: Trade) => ({ n: r.amount.refund, ok: r.status === 'SUCCESS' }))),
    };
  }
  return {
    paid: t.status === 'paid' ? Number(t.txnAmt) : 0,
    refunded: sum((t.refunds ?? []).map((r: Trade) => ({ n: Number(r.txnAmt), ok: r.status === 'succeeded' }))),
  };
}

/**
 * Compares mallpay's books with the providers': every payment's status with its trade (no event lost),
 * every refund total, and every order's money kept (surplus payments fully returned). Answers the mismatches.
 */
export function compareBooks(books: PaymentBook[], trades: Map<string, Trade | undefined>): string[] {
  const found: string[] = [];
  const perOrder = new Map<string, { kept: number; atProvider: number }>();
  for (const b of books) {
    const money = providerMoney(b.method, trades.get(b.paymentNo));
    if (money.paid > 0 !== (b.status === 'succeeded'))
      found.push(`payment ${b.paymentNo} (${b.method}) is ${b.status} here, paid ${money.paid} at the provider`);
    if (money.refunded !== b.refunded)
      found.push(
        `payment ${b.paymentNo} (${b.method}): refunded ${b.refunded} here, ${money.refunded} at the provider`,
      );
    if (b.surplus && money.paid !== money.refunded)
      found.push(`surplus payment ${b.paymentNo} (${b.method}): paid ${money.paid}, only ${money.refunded} returned`);
    const o = perOrder.get(b.orderNo) ?? { kept: b.kept, atProvider: 0 };
    o.atProvider += money.paid - money.refunded;
    perOrder.set(b.orderNo, o);
  }
  for (const [orderNo, o] of perOrder)
    if (o.kept !== o.atProvider)
      found.push(`order ${orderNo}: mallpay kept ${o.kept}, the providers hold ${o.atProvider}`);
  return found;
}
