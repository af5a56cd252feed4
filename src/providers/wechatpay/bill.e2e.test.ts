import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../lib/clock.ts';
import { attempt, paymentNo, startWechatpayWorld, type WechatpayWorld } from './e2e.harness.ts';

let w: WechatpayWorld;
beforeAll(async () => {
  w = await startWechatpayWorld({ clock: new FakeClock('2026-11-25T04:00:00Z') }); // noon in Beijing
});
afterAll(() => w.close());

async function paid(amount: number) {
  const no = paymentNo();
  await w.provider.createPayment(attempt(w, no, amount));
  await w.control(`pay/${no}`);
  const state = await w.provider.queryPayment(attempt(w, no, amount));
  if (state.kind !== 'succeeded') throw new Error('not paid');
  return { ...attempt(w, no, amount), providerTradeNo: state.providerTradeNo };
}

describe('WeChat Pay trade bill against the sandbox', () => {
  it('answers not ready until the Beijing day is over, then lists its payments and successful refunds', async () => {
    const a = await paid(1000);
    const b = await paid(2550);
    const refundNo = paymentNo('R');
    await w.provider.refund({ refundNo, createdAt: w.clock.now(), amount: 400, reason: 'too big', payment: a, notifyUrl: w.notifyUrl });
    await w.control(`refunds/${refundNo}`, { outcome: 'succeeded' });
    expect(await w.provider.downloadBill('2026-11-25')).toEqual({ kind: 'not_ready' });

    w.clock.advance(14 * 3600_000); // 02:00 the next day
    const bill = await w.provider.downloadBill('2026-11-25');
    if (bill.kind !== 'bill') throw new Error(JSON.stringify(bill));
    expect(bill.lines.map(({ kind, paymentNo: p, refundNo: r, amount, providerTradeNo }) => ({ kind, p, r, amount, providerTradeNo }))).toEqual([
      { kind: 'payment', p: a.paymentNo, r: null, amount: 1000, providerTradeNo: a.providerTradeNo },
      { kind: 'payment', p: b.paymentNo, r: null, amount: 2550, providerTradeNo: b.providerTradeNo },
      { kind: 'refund', p: a.paymentNo, r: refundNo, amount: 400, providerTradeNo: a.providerTradeNo },
    ]);
    expect(bill.lines[0]!.at.toISOString()).toBe('2026-11-25T04:00:00.000Z');
    // The download is a signed GET of the download_url, and the file's lines carry WeChat's backticks.
    const download = w.outgoing.find((o) => o.url.includes('/v3/billdownload/file'))!;
    expect(download.headers.get('authorization')).toMatch(/^WECHATPAY2-SHA256-RSA2048 /);
  });

  it('reads a day without trades as an empty bill (WeChat makes none)', async () => {
    expect(await w.provider.downloadBill('2026-11-20')).toEqual({ kind: 'bill', lines: [] });
  });

  it('reports a failed file download as unknown, never as an empty day', async () => {
    await paid(300); // 2026-11-26
    w.clock.advance(24 * 3600_000);
    const before = await w.provider.downloadBill('2026-11-26');
    expect(before.kind).toBe('bill');
    await w.control('faults', { call: { fault: 'error', api: 'billdownload' } });
    expect(await w.provider.downloadBill('2026-11-26')).toMatchObject({ kind: 'unknown', reason: 'bill_download_http_500' });
  });
});
