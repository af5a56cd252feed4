import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUnionpayHarness, type UnionpayHarness } from './unionpay.harness.ts';

let h: UnionpayHarness;
beforeAll(async () => {
  h = await startUnionpayHarness(); // 2026-11-25 20:00 in Beijing
});
afterAll(() => h.close());

async function paid(amount: number) {
  const input = h.attempt(amount);
  await h.submitConsume(input);
  await h.control(`pay/${input.paymentNo}`);
  const state = await h.provider.queryPayment(input);
  if (state.kind !== 'succeeded') throw new Error(JSON.stringify(state));
  return { ...input, providerTradeNo: state.providerTradeNo };
}

describe('UnionPay settlement file through fileTransfer.do', () => {
  it('has no file for today’s settleDate, then lists the day’s consumes and settled refunds', async () => {
    const a = await paid(1000);
    const b = await paid(2550);
    const refund = { refundNo: `R${a.paymentNo.slice(1)}`, createdAt: h.clock.now(), amount: 400, reason: 'size', payment: a, notifyUrl: a.notifyUrl };
    expect((await h.provider.refund(refund)).kind).toBe('processing');
    await h.control(`refunds/${refund.refundNo}`, { outcome: 'succeeded' });
    expect(await h.provider.downloadBill('2026-11-25')).toEqual({ kind: 'not_ready' });

    h.clock.advance(6 * 3600_000);
    const bill = await h.provider.downloadBill('2026-11-25');
    if (bill.kind !== 'bill') throw new Error(JSON.stringify(bill));
    expect(bill.lines.map(({ kind, paymentNo, refundNo, amount, providerTradeNo }) => ({ kind, paymentNo, refundNo, amount, providerTradeNo }))).toEqual([
      { kind: 'payment', paymentNo: a.paymentNo, refundNo: null, amount: 1000, providerTradeNo: a.providerTradeNo },
      { kind: 'payment', paymentNo: b.paymentNo, refundNo: null, amount: 2550, providerTradeNo: b.providerTradeNo },
      { kind: 'refund', paymentNo: a.paymentNo, refundNo: refund.refundNo, amount: 400, providerTradeNo: expect.stringMatching(/^\d{21}$/) },
    ]);
  });

  it('answers unknown when the gateway is busy, not an empty day', async () => {
    await h.control('faults', { call: { fault: 'error', api: 'fileTransfer' } });
    expect(await h.provider.downloadBill('2026-11-25')).toMatchObject({ kind: 'unknown' });
  });
});
