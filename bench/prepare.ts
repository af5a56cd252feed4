/**
 * Prepared state for the notification runs: orders with one pending attempt each, written in bulk with
 * the rows the API would leave (order, item, pending payment, its expiry and poll jobs), and for each
 * attempt a correctly signed notification built by the forgers in test/support/forge.
 */
import { beijingCompact, beijingDateTime, systemClock } from '../src/lib/clock.ts';
import { merchantNo } from '../src/lib/ids.ts';
import { silentLogger } from '../src/lib/log.ts';
import { EXPIRE_ORDER_JOB } from '../src/orders/orders.service.ts';
import { nextPollDelayMs } from '../src/payments/payment.ts';
import { POLL_PAYMENT_JOB } from '../src/payments/payments.service.ts';
import type { Sandboxes } from '../sandbox/sandboxes.ts';
import type { Mall as AnyMall } from '../src/server.ts';

type Mall = AnyMall<Sandboxes>;
import { newTradeNo, type SandboxTrade } from '../sandbox/alipay/trades.ts';
import type { Notifier } from '../sandbox/shared/notifier.ts';
import { createRecordStore } from '../sandbox/shared/store.ts';
import { createLedger, PROVIDER as UNIONPAY } from '../sandbox/unionpay/ledger.ts';
import { newQueryId, type TxnRecord } from '../sandbox/unionpay/records.ts';
import { REFUND_SETTLE_MS } from '../sandbox/unionpay/sandbox.ts';
import { transactionView, type TradeRecord } from '../sandbox/wechatpay/records.ts';
import { alipayForger } from '../test/support/forge/alipay.ts';
import { unionpayForger } from '../test/support/forge/unionpay.ts';
import { wechatpayForger } from '../test/support/forge/wechatpay.ts';
import type { PreparedRequest } from './protocol.ts';

export type Method = 'alipay' | 'wechatpay' | 'unionpay';
export const CHANNEL: Record<Method, string> = { alipay: 'qr', wechatpay: 'qr', unionpay: 'page' };
/** What each provider's success acknowledgement body is (Alipay answers 200 in both cases). */
const ACK: Record<Method, string | undefined> = { alipay: 'success', wechatpay: '', unionpay: undefined };

const AMOUNT = 1999;
const SKU = { sku: 'FAN-SILK', name: 'Silk folding fan' };
const BATCH = 1000;

export interface Attempt {
  orderNo: string;
  paymentNo: string;
  createdAt: Date;
  amount: number;
}

export async function customerId(mall: Mall): Promise<number> {
  const [u] = await mall.db.query<{ id: number }>("SELECT id FROM users WHERE email = 'customer@demo.test'");
  return u!.id;
}

/** `n` orders, each `pending_payment` with one pending attempt of `method`, as placing and paying through the API leaves them. */
export async function pendingAttempts(
  mall: Mall,
  userId: number,
  method: Method,
  merchantId: string,
  n: number,
  ttlSeconds: number,
): Promise<Attempt[]> {
  const out: Attempt[] = [];
  for (let start = 0; start < n; start += BATCH) {
    const now = systemClock.now();
    const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
    const size = Math.min(BATCH, n - start);
    const orderNos = Array.from({ length: size }, () => merchantNo('M', now));
    const paymentNos = Array.from({ length: size }, () => merchantNo('P', now));
    await mall.db.tx(async (sql) => {
      await sql.query(
        `WITH o AS (
           INSERT INTO orders (order_no, user_id, status, amount, currency, expires_at, created_at, updated_at)
           SELECT x, $3, 'pending_payment', $4, 'CNY', $5, $6, $6 FROM unnest($1::text[]) AS x RETURNING id, order_no),
         i AS (INSERT INTO order_items (order_id, sku, name, unit_price, quantity) SELECT id, $7, $8, $4, 1 FROM o)
         INSERT INTO payments (payment_no, order_id, method, channel, merchant_id, status, amount, currency, created_at, updated_at)
         SELECT p.payment_no, o.id, $9, $10, $11, 'pending', $4, 'CNY', $6, $6
         FROM o JOIN unnest($1::text[], $2::text[]) AS p(order_no, payment_no) ON p.order_no = o.order_no`,
        [orderNos, paymentNos, userId, AMOUNT, expiresAt, now, SKU.sku, SKU.name, method, CHANNEL[method], merchantId],
      );
      await sql.query(
        `INSERT INTO jobs (kind, payload, run_at, dedupe_key)
         SELECT $2, jsonb_build_object('orderNo', x), $3, 'expire:' || x FROM unnest($1::text[]) AS x`,
        [orderNos, EXPIRE_ORDER_JOB, expiresAt],
      );
      await sql.query(
        `INSERT INTO jobs (kind, payload, run_at, dedupe_key)
         SELECT $2, jsonb_build_object('paymentNo', x), $3, 'poll:' || x FROM unnest($1::text[]) AS x`,
        [paymentNos, POLL_PAYMENT_JOB, new Date(now.getTime() + nextPollDelayMs(0))],
      );
    });
    for (let i = 0; i < size; i++)
      out.push({ orderNo: orderNos[i]!, paymentNo: paymentNos[i]!, createdAt: now, amount: AMOUNT });
  }
  return out;
}

const asRequest = (
  method: Method,
  req: { url: string; headers: Record<string, string>; body: string },
): PreparedRequest => ({
  method: 'POST',
  path: new URL(req.url).pathname,
  headers: req.headers,
  body: req.body,
  expect: ACK[method],
});

/** Builds the signed notifications; UnionPay's consumes are first recorded as paid in its sandbox's own ledger. */
export async function notificationBuilder(mall: Mall) {
  const target = { url: mall.url, db: mall.db, clock: systemClock };
  const alipay = await alipayForger(target);
  const wechatpay = await wechatpayForger(target);
  const unionpay = await unionpayForger(target);
  // The sandbox's ledger over its own record store. Its notifier is silenced: the bench sends the
  // notifications itself, and the sandbox's deliveries would otherwise queue a second one per consume.
  const silent = { send: async () => {} } as unknown as Notifier;
  const ledger = createLedger({
    store: createRecordStore(mall.db, systemClock, UNIONPAY),
    notifier: silent,
    clock: systemClock,
    log: silentLogger,
    refundSettleMs: REFUND_SETTLE_MS,
  });

  const merchantIds: Record<Method, string> = {
    alipay: alipay.keys.appId,
    wechatpay: wechatpay.keys.mchId,
    unionpay: unionpay.keys.merId,
  };

  async function alipayOne(a: Attempt) {
    const now = systemClock.now();
    const trade: SandboxTrade = {
      appId: alipay.keys.appId,
      outTradeNo: a.paymentNo,
      tradeNo: newTradeNo(now),
      kind: 'precreate',
      productCode: 'FACE_TO_FACE_PAYMENT',
      subject: `Order ${a.orderNo}`,
      totalFen: a.amount,
      notifyUrl: `${mall.url}/notify/alipay`,
      returnUrl: null,
      passbackParams: null,
      qrCode: null,
      opened: true,
      status: 'WAIT_BUYER_PAY',
      expiresAt: new Date(now.getTime() + 1800_000).toISOString(),
      gmtCreate: beijingDateTime(a.createdAt),
      gmtPayment: null,
      gmtClose: null,
      buyerId: null,
      buyerLogonId: null,
      refundFen: 0,
      refunds: [],
    };
    return asRequest('alipay', await alipay.build(alipay.paidFields(trade)));
  }

  async function wechatpayOne(a: Attempt) {
    const trade: TradeRecord = {
      mchid: wechatpay.keys.mchId,
      appid: wechatpay.keys.appId,
      out_trade_no: a.paymentNo,
      trade_type: 'NATIVE',
      description: `Order ${a.orderNo}`,
      notify_url: `${mall.url}/notify/wechatpay`,
      total: a.amount,
      state: 'NOTPAY',
      fingerprint: '',
      prepay: '',
      create_time: a.createdAt.toISOString(),
      refund_nos: [],
      refunded: 0,
    };
    return asRequest('wechatpay', await wechatpay.build(wechatpay.paidResource(transactionView(trade) as never)));
  }

  /** The consume reaches UnionPay's gateway (the browser posted the form) and the cardholder pays: both in the sandbox's ledger. */
  async function unionpayOne(a: Attempt) {
    const now = systemClock.now();
    const consume: TxnRecord = {
      type: 'consume',
      merId: unionpay.keys.merId,
      orderId: a.paymentNo,
      txnTime: beijingCompact(a.createdAt),
      txnAmt: String(a.amount),
      queryId: newQueryId(now),
      status: 'awaiting',
      backUrl: `${mall.url}/notify/unionpay`,
      frontUrl: `${mall.url}/return/unionpay`,
      createdAt: now.toISOString(),
    };
    const opened = await ledger.openConsume(consume);
    if (!opened.ok) throw new Error(`unionpay sandbox refused the consume: ${opened.resp.respMsg}`);
    const paid = await ledger.pay(opened.value);
    if (!paid.ok) throw new Error(`unionpay sandbox refused the payment: ${paid.resp.respMsg}`);
    return asRequest('unionpay', await unionpay.build(unionpay.paidFields(paid.value)));
  }

  const one: Record<Method, (a: Attempt) => Promise<PreparedRequest>> = {
    alipay: alipayOne,
    wechatpay: wechatpayOne,
    unionpay: unionpayOne,
  };

  return {
    merchantIds,
    /** Signed notifications for these attempts; a few at a time, so a PostgreSQL pool is used for UnionPay's ledger. */
    async build(method: Method, attempts: Attempt[]): Promise<PreparedRequest[]> {
      const out: PreparedRequest[] = new Array(attempts.length);
      let next = 0;
      const lanes = method === 'unionpay' && mall.db.kind === 'postgres' ? 8 : 1;
      await Promise.all(
        Array.from({ length: lanes }, async () => {
          for (let i = next++; i < attempts.length; i = next++) out[i] = await one[method](attempts[i]!);
        }),
      );
      return out;
    },
  };
}
