import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RefundInput } from '../../../src/providers/provider.ts';
import {
  attempt,
  paymentNo,
  startWechatpayWorld,
  type WechatpayWorld,
} from '../../support/providers/wechatpay.harness.ts';

let w: WechatpayWorld;
beforeAll(async () => {
  w = await startWechatpayWorld({ sandbox: { maxRefundsPerTrade: 3 } });
});
afterAll(() => w.close());

/** A paid order of `amount` fen, as mallpay knows it after the payment notification. */
async function paidOrder(amount = 10_000) {
  const no = paymentNo();
  await w.provider.createPayment(attempt(w, no, amount));
  await w.control(`pay/${no}`);
  const paid = await w.provider.queryPayment(attempt(w, no, amount));
  if (paid.kind !== 'succeeded') throw new Error('not paid');
  return { ...attempt(w, no, amount), providerTradeNo: paid.providerTradeNo };
}
const refundInput = (
  payment: Awaited<ReturnType<typeof paidOrder>>,
  amount: number,
  refundNo = paymentNo('R'),
): RefundInput => ({
  refundNo,
  createdAt: w.clock.now(),
  amount,
  reason: 'customer changed their mind',
  payment,
  notifyUrl: w.notifyUrl,
});
const refundNotifications = (refundNo: string) =>
  w.received.filter((r) => r.parsed.kind === 'refund' && r.parsed.refundNo === refundNo).map((r) => r.parsed);

describe('WeChat Pay refunds against the sandbox', () => {
  it('accepts a refund as processing, and a REFUND.SUCCESS notification then says it succeeded', async () => {
    const payment = await paidOrder();
    const input = refundInput(payment, 3000);
    const r = await w.provider.refund(input);
    expect(r).toMatchObject({ kind: 'processing' });
    if (r.kind === 'processing') expect(r.providerRefundNo).toMatch(/^50\d{27}$/);
    expect(JSON.parse(w.outgoing.at(-1)!.body)).toMatchObject({
      out_trade_no: payment.paymentNo,
      out_refund_no: input.refundNo,
      amount: { refund: 3000, total: 10_000, currency: 'CNY' },
    });
    expect(await w.provider.queryRefund(input)).toMatchObject({ kind: 'processing' });

    await w.control(`refunds/${input.refundNo}`, { outcome: 'succeeded' });
    await w.notifier.flush();
    expect(refundNotifications(input.refundNo)).toEqual([
      expect.objectContaining({
        kind: 'refund',
        paymentNo: payment.paymentNo,
        state: 'succeeded',
        amount: 3000,
        confirmByQuery: false,
      }),
    ]);
    expect(await w.provider.queryRefund(input)).toMatchObject({ kind: 'succeeded' });
    // A refunded payment stays succeeded: the wire's trade_state REFUND is a refund record's business.
    expect(await w.provider.queryPayment(payment)).toMatchObject({ kind: 'succeeded', amount: 10_000 });
    expect(
      ((await w.control(`trades/${payment.paymentNo}`)).body.transaction as { trade_state: string }).trade_state,
    ).toBe('REFUND');
  });

  it('finds a refund succeeded by query once its settlement delay has passed', async () => {
    const payment = await paidOrder();
    const input = refundInput(payment, 100);
    await w.provider.refund(input);
    w.clock.advance(59_000);
    expect(await w.provider.queryRefund(input)).toMatchObject({ kind: 'processing' });
    w.clock.advance(2_000);
    expect(await w.provider.queryRefund(input)).toMatchObject({ kind: 'succeeded' });
  });

  it('answers a replayed out_refund_no with the same refund and moves no more money', async () => {
    const payment = await paidOrder(5000);
    const input = refundInput(payment, 5000);
    const first = await w.provider.refund(input);
    const again = await w.provider.refund(input);
    expect(again).toEqual(first);
    const trade = (await w.control(`trades/${payment.paymentNo}`)).body as { refunds: unknown[] };
    expect(trade.refunds).toHaveLength(1);
  });

  it('creates one refund when the same out_refund_no arrives twice at once', async () => {
    const payment = await paidOrder(800);
    const input = refundInput(payment, 800);
    const [a, b] = await Promise.all([w.provider.refund(input), w.provider.refund(input)]);
    expect(a).toMatchObject({ kind: 'processing' });
    expect(b).toEqual(a);
  });

  it('fails a refund above what is left to refund, counting earlier partial refunds', async () => {
    const payment = await paidOrder(1000);
    expect(await w.provider.refund(refundInput(payment, 1001))).toMatchObject({
      kind: 'failed',
      reason: 'PARAM_ERROR',
    });
    expect(await w.provider.refund(refundInput(payment, 600))).toMatchObject({ kind: 'processing' });
    const over = refundInput(payment, 401);
    expect(await w.provider.refund(over)).toMatchObject({ kind: 'failed', reason: 'PARAM_ERROR' });
    // Nothing was created, so asking about it later is safe to answer not_found.
    expect(await w.provider.queryRefund(over)).toEqual({ kind: 'not_found' });
    expect(await w.provider.refund(refundInput(payment, 400))).toMatchObject({ kind: 'processing' });
  });

  it('reports a refund WeChat closed as failed, by notification and by query, and frees its amount', async () => {
    const payment = await paidOrder(700);
    const input = refundInput(payment, 700);
    await w.provider.refund(input);
    await w.control(`refunds/${input.refundNo}`, { outcome: 'failed' });
    await w.notifier.flush();
    expect(refundNotifications(input.refundNo)).toEqual([expect.objectContaining({ state: 'failed', amount: 700 })]);
    expect(await w.provider.queryRefund(input)).toMatchObject({ kind: 'failed', reason: 'CLOSED' });
    expect(await w.provider.refund(refundInput(payment, 700))).toMatchObject({ kind: 'processing' });
  });

  it('keeps an ABNORMAL refund processing, since it is not final', async () => {
    const payment = await paidOrder(300);
    const input = refundInput(payment, 300);
    await w.provider.refund(input);
    await w.control(`refunds/${input.refundNo}/abnormal`);
    await w.notifier.flush();
    expect(refundNotifications(input.refundNo)).toEqual([expect.objectContaining({ state: 'processing' })]);
    expect(await w.provider.queryRefund(input)).toMatchObject({ kind: 'processing' });
  });

  it('answers not_found for a refund number WeChat never saw, and unknown on a system error or timeout', async () => {
    const payment = await paidOrder(200);
    expect(await w.provider.queryRefund(refundInput(payment, 200))).toEqual({ kind: 'not_found' });
    const input = refundInput(payment, 200);
    w.sandbox.faults.failNextCall('timeout', 'refund');
    expect(await w.provider.refund(input)).toMatchObject({ kind: 'unknown', reason: 'http_504' });
    // The timed-out request did reach WeChat: the retry with the same number finds that refund.
    expect(await w.provider.refund(input)).toMatchObject({ kind: 'processing' });
    w.sandbox.faults.failNextCall('error', 'refund_query');
    expect(await w.provider.queryRefund(input)).toMatchObject({ kind: 'unknown', reason: 'SYSTEM_ERROR' });
  });

  it('refuses refunds of an unpaid order and beyond the per-order refund limit', async () => {
    const unpaid = paymentNo();
    await w.provider.createPayment(attempt(w, unpaid, 500));
    expect(
      await w.provider.refund(refundInput({ ...attempt(w, unpaid, 500), providerTradeNo: 'x' }, 100)),
    ).toMatchObject({ kind: 'failed', reason: 'TRADE_ERROR' });
    const payment = await paidOrder(500);
    for (let i = 0; i < 3; i++)
      expect(await w.provider.refund(refundInput(payment, 100))).toMatchObject({ kind: 'processing' });
    expect(await w.provider.refund(refundInput(payment, 100))).toMatchObject({ kind: 'failed', reason: 'RULE_LIMIT' });
  });
});
