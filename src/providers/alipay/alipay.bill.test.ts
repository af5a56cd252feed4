import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlipayHarness, type AlipayHarness } from './alipay.test-harness.ts';

let h: AlipayHarness;
beforeAll(async () => {
  h = await startAlipayHarness();
});
afterAll(() => h.close());

describe('Alipay daily bill through the sandbox', () => {
  it('answers not ready for a Beijing day that is not over, then lists that day’s payments and refunds', async () => {
    // The harness clock is 2026-11-25 20:00 in Beijing.
    const a = await h.paid('qr', 1000);
    const b = await h.paid('qr', 2550);
    const refund = h.refundInput(a, 300);
    expect(await h.provider.refund(refund)).toMatchObject({ kind: 'succeeded' });
    expect(await h.provider.downloadBill('2026-11-25')).toEqual({ kind: 'not_ready' });

    h.clock.advance(5 * 3600_000); // 2026-11-26 01:00 Beijing
    const late = await h.paid('qr', 777);
    const bill = await h.provider.downloadBill('2026-11-25');
    if (bill.kind !== 'bill') throw new Error(JSON.stringify(bill));
    const mine = bill.lines.filter((l) => [a.paymentNo, b.paymentNo, late.paymentNo].includes(l.paymentNo));
    expect(mine.map(({ kind, paymentNo, refundNo, amount }) => ({ kind, paymentNo, refundNo, amount })).sort((x, y) => x.amount - y.amount)).toEqual([
      { kind: 'refund', paymentNo: a.paymentNo, refundNo: refund.refundNo, amount: 300 },
      { kind: 'payment', paymentNo: a.paymentNo, refundNo: null, amount: 1000 },
      { kind: 'payment', paymentNo: b.paymentNo, refundNo: null, amount: 2550 },
    ]);
    expect(mine.every((l) => l.providerTradeNo && /^\d{28}$/.test(l.providerTradeNo))).toBe(true);
    expect(mine.find((l) => l.kind === 'payment')!.at.toISOString().slice(0, 10)).toBe('2026-11-25');
  });

  it('reports a bill download the gateway could not answer as unknown, not as an empty day', async () => {
    await h.control('faults', { call: { fault: 'error', api: 'alipay.data.dataservice.bill.downloadurl.query' } });
    expect(await h.provider.downloadBill('2026-11-25')).toMatchObject({ kind: 'unknown' });
  });

  it('refuses a bill download URL whose token is not the one the gateway issued', async () => {
    const res = await fetch(`${h.url}/sandbox/alipay/bill/download?bill_date=2026-11-25&token=0000`);
    expect(res.status).toBe(404);
  });
});
