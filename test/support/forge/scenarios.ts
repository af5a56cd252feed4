import { expect, it } from 'vitest';
import { RETURN_SURPLUS_JOB } from '../../../src/payments/payment-state.service.ts';
import type { OutgoingRequest } from '../../../sandbox/shared/notifier.ts';
import type { TestMall } from '../mall.ts';
import { deliver, type Delivery } from './common.ts';
import {
  expectAcknowledged,
  expectRefused,
  mallState,
  pendingAttempt,
  recorded,
  sentOnce,
  type Method,
} from './mall-state.ts';

export type Pending = Awaited<ReturnType<typeof pendingAttempt>>;

export interface BadCase {
  /** Completes "a notification …". */
  what: string;
  reason: string;
  send: (p: Pending) => Promise<Delivery>;
  /** What the record's message says, where it tells apart causes that share a reason. */
  message?: RegExp;
  /** The record names the attempt (correctly signed notifications: staff find them by order). */
  names?: boolean;
}

const REFUSAL = { alipay: 'failure', wechatpay: 'a 4xx with {code, message}', unionpay: 'a 4xx' } as const;
const NAME = { alipay: 'an Alipay', wechatpay: 'a WeChat Pay', unionpay: 'a UnionPay' } as const;

/**
 * One test per bad notification, all aimed at one pending attempt: each is refused with the provider's
 * failure answer, recorded once as rejected with its reason, and leaves the order, its attempts, the jobs,
 * the refunds and the customer's messages exactly as they were.
 */
export function badNotificationTests(
  method: Method,
  ctx: () => { t: TestMall; pending: Pending },
  cases: BadCase[],
): void {
  for (const c of cases) {
    it(`answers ${REFUSAL[method]} to ${NAME[method]} notification ${c.what}, records it once as ${c.reason}, and changes nothing`, async () => {
      const { t, pending } = ctx();
      const before = await mallState(t, pending.orderNo);
      expect(before.api).toMatchObject({
        status: 'pending_payment',
        paidAmount: 0,
        payments: [{ paymentNo: pending.paymentNo, status: 'pending' }],
      });
      const { answer, record } = await sentOnce(t, method, () => c.send(pending));
      expectRefused(method, answer);
      expect(record).toMatchObject({ outcome: 'rejected', reason: c.reason });
      if (c.message) expect(record.message).toMatch(c.message);
      if (c.names) expect(record.outTradeNo).toBe(pending.paymentNo);
      expect(await mallState(t, pending.orderNo)).toEqual(before);
    });
  }
}

/** The notification mallpay recorded as applied for an attempt, exactly as it arrived (headers and bytes). */
async function recordedRequest(t: TestMall, method: Method, paymentNo: string): Promise<OutgoingRequest> {
  const [row] = await t.db.query<{ headers: Record<string, string>; raw_body: string }>(
    `SELECT headers, raw_body FROM notifications WHERE provider = $1 AND out_trade_no = $2 AND kind = 'payment' AND outcome = 'applied' ORDER BY id LIMIT 1`,
    [method, paymentNo],
  );
  if (!row) throw new Error(`no applied ${method} notification for ${paymentNo}`);
  return { url: `${t.url}/notify/${method}`, headers: row.headers, body: row.raw_body };
}

const outcomesFor = async (t: TestMall, method: Method, paymentNo: string) =>
  (await recorded(t, method)).filter((n) => n.outTradeNo === paymentNo).map((n) => n.outcome);

const surplusJobsOf = async (t: TestMall, paymentNo: string) =>
  (
    await t.db.query<{ payload: { paymentNo: string } }>('SELECT payload FROM jobs WHERE kind = $1', [
      RETURN_SURPLUS_JOB,
    ])
  ).filter((j) => j.payload.paymentNo === paymentNo);

/**
 * What a correctly signed notification does: once, however often and however concurrently it comes.
 * `valid` builds the provider's notification for an attempt the sandbox has been paid for.
 */
export function validNotificationTests(
  method: Method,
  ctx: () => { t: TestMall; valid: (paymentNo: string) => Promise<OutgoingRequest> },
): void {
  /** The customer pays at the provider, whose own notification is lost: only ours will tell the mall. */
  async function paidAtProviderOnly(t: TestMall, paymentNo: string) {
    await t.control(method, 'faults', { notifications: { fault: 'drop' } });
    const paid = await t.control(method, `pay/${paymentNo}`);
    await t.control(method, 'faults', { clear: true });
    return paid;
  }

  it(`applies the same valid ${method} notification sent five times at once exactly once, acknowledging all five`, async () => {
    const { t, valid } = ctx();
    const p = await pendingAttempt(t, method);
    expect((await paidAtProviderOnly(t, p.paymentNo)).body).not.toHaveProperty('error');
    const req = await valid(p.paymentNo);
    const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(req)));
    for (const a of answers) expectAcknowledged(method, a);
    expect((await outcomesFor(t, method, p.paymentNo)).sort()).toEqual([
      'applied',
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
    ]);
    expect(await t.order(p.orderNo)).toMatchObject({
      status: 'paid',
      paidAmount: p.amount,
      refundedAmount: 0,
      refunds: [],
    });
    const s = await mallState(t, p.orderNo);
    expect(s.order).toMatchObject({ status: 'paid', paid_amount: p.amount });
    expect(s.payments).toMatchObject([{ payment_no: p.paymentNo, status: 'succeeded', surplus: false }]);
    expect(await surplusJobsOf(t, p.paymentNo)).toEqual([]);
  });

  it(`changes nothing more when a valid ${method} notification is replayed after the order was refunded`, async () => {
    const { t, valid } = ctx();
    const p = await pendingAttempt(t, method);
    await t.control(method, `pay/${p.paymentNo}`);
    await t.settle();
    expect((await t.order(p.orderNo)).status).toBe('paid');
    const applied = await t.call('POST', `/api/orders/${p.orderNo}/refunds`, {
      as: 'customer',
      body: { reason: 'changed my mind' },
    });
    await t.call('POST', `/api/admin/refunds/${applied.body.refundNo}/approve`, {
      as: 'support',
      body: { note: 'ok' },
    });
    await t.settle();
    if (method !== 'alipay') await t.control(method, `refunds/${applied.body.refundNo}`, { outcome: 'succeeded' });
    await t.settle();
    expect(await t.order(p.orderNo)).toMatchObject({
      status: 'refunded',
      paidAmount: p.amount,
      refundedAmount: p.amount,
    });

    const before = await mallState(t, p.orderNo);
    const replay = await sentOnce(t, method, async () => deliver(await recordedRequest(t, method, p.paymentNo)));
    expectAcknowledged(method, replay.answer);
    expect(replay.record).toMatchObject({ outcome: 'duplicate', outTradeNo: p.paymentNo });
    const resent = await sentOnce(t, method, async () => deliver(await valid(p.paymentNo)));
    expectAcknowledged(method, resent.answer);
    expect(resent.record).toMatchObject({ outcome: 'duplicate', outTradeNo: p.paymentNo });
    expect(await mallState(t, p.orderNo)).toEqual(before);
  });

  it(`returns money that arrives for a closed ${method} order once, and a replay of its notification changes nothing more`, async () => {
    const { t, valid } = ctx();
    const p = await pendingAttempt(t, method);
    expect((await t.call('POST', `/api/orders/${p.orderNo}/cancel`, { as: 'customer' })).status).toBe(200);
    expect(await t.order(p.orderNo)).toMatchObject({ status: 'closed', payments: [{ status: 'closed' }] });
    // UnionPay has no close: its cashier still takes the money (the others refuse, and say so).
    await paidAtProviderOnly(t, p.paymentNo);
    const req = await valid(p.paymentNo);

    const late = await sentOnce(t, method, () => deliver(req));
    expectAcknowledged(method, late.answer);
    expect(late.record).toMatchObject({ outcome: 'applied', outTradeNo: p.paymentNo });
    expect(await t.order(p.orderNo)).toMatchObject({ status: 'closed', paidAmount: 0 });
    expect(await surplusJobsOf(t, p.paymentNo)).toHaveLength(1);

    const before = await mallState(t, p.orderNo);
    const replay = await sentOnce(t, method, () => deliver(req));
    expectAcknowledged(method, replay.answer);
    expect(replay.record).toMatchObject({ outcome: 'duplicate', outTradeNo: p.paymentNo });
    expect(await mallState(t, p.orderNo)).toEqual(before);
    expect(await surplusJobsOf(t, p.paymentNo)).toHaveLength(1);
  });
}
