import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxTrade } from '../../../sandbox/alipay/trades.ts';
import { startAlipayHarness, type AlipayHarness } from '../../support/providers/alipay.harness.ts';

let h: AlipayHarness;
beforeAll(async () => {
  h = await startAlipayHarness();
});
afterAll(() => h.close());

async function sandboxTrade(no: string): Promise<SandboxTrade> {
  const res = await fetch(`${h.url}/sandbox/alipay/_control/trades/${no}`);
  return (await res.json()) as SandboxTrade;
}
const fault = (call: { fault: 'error' | 'timeout'; api?: string }) => h.control('faults', { call });
const refundNotices = () => h.received.filter((r) => r.parsed.kind === 'refund');

describe('Alipay refunds through the sandbox', () => {
  it('refunds part of a payment synchronously and reports it by a trade notification with out_biz_no', async () => {
    const payment = await h.paid('qr', 1000);
    const r = h.refundInput(payment, 300);
    expect(await h.provider.refund(r)).toEqual({ kind: 'succeeded', providerRefundNo: null });
    await h.notifier.flush();
    expect(h.received.at(-1)!.parsed).toMatchObject({
      kind: 'refund',
      paymentNo: payment.paymentNo,
      refundNo: r.refundNo,
      state: 'succeeded',
      amount: null,
      confirmByQuery: true,
    });
    expect(new URLSearchParams(h.received.at(-1)!.raw).get('trade_status')).toBe('TRADE_SUCCESS');
    expect(await h.provider.queryRefund(r)).toEqual({ kind: 'succeeded', providerRefundNo: null });
    expect((await sandboxTrade(payment.paymentNo)).refundFen).toBe(300);
  });

  it('adds partial refunds up and turns the last one into a full refund, still a refund and a succeeded payment', async () => {
    const payment = await h.paid('qr', 1000);
    expect(await h.provider.refund(h.refundInput(payment, 400))).toMatchObject({ kind: 'succeeded' });
    const last = h.refundInput(payment, 600);
    expect(await h.provider.refund(last)).toMatchObject({ kind: 'succeeded' });
    await h.notifier.flush();
    // Both refund notices are delivered at once, in no guaranteed order (as with Alipay): find the last one's.
    const notice = h.received.find((r) => new URLSearchParams(r.raw).get('out_biz_no') === last.refundNo)!;
    const raw = new URLSearchParams(notice.raw);
    expect(raw.get('trade_status')).toBe('TRADE_CLOSED');
    expect(raw.get('refund_fee')).toBe('10.00');
    expect(notice.parsed).toMatchObject({ kind: 'refund', refundNo: last.refundNo });
    expect(await h.provider.queryPayment(payment)).toMatchObject({ kind: 'succeeded', amount: 1000 });
    expect((await sandboxTrade(payment.paymentNo)).status).toBe('TRADE_CLOSED');
  });

  it('refuses a refund larger than what remains, as a definitive failure', async () => {
    const payment = await h.paid('qr', 1000);
    await h.provider.refund(h.refundInput(payment, 700));
    expect(await h.provider.refund(h.refundInput(payment, 301))).toMatchObject({
      kind: 'failed',
      reason: 'ACQ.REASON_TRADE_REFUND_FEE_ERR',
    });
    expect((await sandboxTrade(payment.paymentNo)).refundFen).toBe(700);
  });

  it('answers a replayed out_request_no as the same succeeded refund without moving money again', async () => {
    const payment = await h.paid('qr', 1000);
    const r = h.refundInput(payment, 250);
    await h.provider.refund(r);
    await h.notifier.flush();
    const notices = refundNotices().length;
    expect(await h.provider.refund(r)).toEqual({ kind: 'succeeded', providerRefundNo: null });
    await h.notifier.flush();
    const t = await sandboxTrade(payment.paymentNo);
    expect(t.refundFen).toBe(250);
    expect(t.refunds).toHaveLength(1);
    expect(refundNotices().length).toBe(notices);
  });

  it('refuses the same out_request_no with another amount', async () => {
    const payment = await h.paid('qr', 1000);
    const r = h.refundInput(payment, 250);
    await h.provider.refund(r);
    expect(await h.provider.refund({ ...r, amount: 260 })).toMatchObject({
      kind: 'failed',
      reason: 'ACQ.DISCORDANT_REPEAT_REQUEST',
    });
  });

  it('reports a refund number Alipay never saw as not_found, so the same number can safely be sent', async () => {
    const payment = await h.paid('qr', 1000);
    expect(await h.provider.queryRefund(h.refundInput(payment, 100))).toEqual({ kind: 'not_found' });
  });

  it('fails refunds of unpaid and unscanned trades', async () => {
    const scanned = h.attempt('qr');
    await h.provider.createPayment(scanned);
    const unscanned = h.attempt('qr');
    await h.provider.createPayment(unscanned);
    await h.control(`fail/${scanned.paymentNo}`);
    expect(await h.provider.refund(h.refundInput(scanned, 100))).toMatchObject({
      kind: 'failed',
      reason: 'ACQ.TRADE_STATUS_ERROR',
    });
    expect(await h.provider.refund(h.refundInput(unscanned, 100))).toMatchObject({
      kind: 'failed',
      reason: 'ACQ.TRADE_NOT_EXIST',
    });
  });

  it('refuses refunds once the refund window has ended (TRADE_FINISHED)', async () => {
    const payment = await h.paid('qr', 1000);
    await h.control(`finish/${payment.paymentNo}`);
    expect(await h.provider.refund(h.refundInput(payment, 100))).toMatchObject({
      kind: 'failed',
      reason: 'ACQ.TRADE_HAS_FINISHED',
    });
  });
});

describe('concurrent Alipay refunds', () => {
  it('refunds once when the same refund number arrives twice at the same time', async () => {
    const payment = await h.paid('qr', 1000);
    const r = h.refundInput(payment, 400);
    const both = await Promise.all([h.provider.refund(r), h.provider.refund(r)]);
    expect(both.map((s) => s.kind)).toEqual(['succeeded', 'succeeded']);
    const t = await sandboxTrade(payment.paymentNo);
    expect([t.refunds.length, t.refundFen]).toEqual([1, 400]);
  });

  it('lets only one of two refunds through when together they exceed the payment', async () => {
    const payment = await h.paid('qr', 1000);
    const both = await Promise.all([
      h.provider.refund(h.refundInput(payment, 600)),
      h.provider.refund(h.refundInput(payment, 600)),
    ]);
    expect(both.map((s) => s.kind).sort()).toEqual(['failed', 'succeeded']);
    expect((await sandboxTrade(payment.paymentNo)).refundFen).toBe(600);
  });
});

describe('Alipay calls that end in doubt', () => {
  it('answers unknown on a system error, and nothing was refunded', async () => {
    const payment = await h.paid('qr', 1000);
    await fault({ fault: 'error', api: 'alipay.trade.refund' });
    const r = h.refundInput(payment, 100);
    expect(await h.provider.refund(r)).toMatchObject({ kind: 'unknown', reason: 'isp.unknow-error' });
    expect((await sandboxTrade(payment.paymentNo)).refundFen).toBe(0);
    expect(await h.provider.refund(r)).toMatchObject({ kind: 'succeeded' });
  });

  it('answers unknown on a timeout although the refund happened, and the retry with the same number refunds once', async () => {
    const payment = await h.paid('qr', 1000);
    await fault({ fault: 'timeout', api: 'alipay.trade.refund' });
    const r = h.refundInput(payment, 100);
    expect(await h.provider.refund(r)).toMatchObject({ kind: 'unknown' });
    expect(await h.provider.queryRefund(r)).toMatchObject({ kind: 'succeeded' });
    expect(await h.provider.refund(r)).toMatchObject({ kind: 'succeeded' });
    const t = await sandboxTrade(payment.paymentNo);
    expect(t.refunds).toHaveLength(1);
    expect(t.refundFen).toBe(100);
  });

  it('answers unknown, never a terminal state, for errors and timeouts on create, query, close and refund query', async () => {
    const payment = await h.paid('qr', 1000);
    await fault({ fault: 'error', api: 'alipay.trade.precreate' });
    expect(await h.provider.createPayment(h.attempt('qr'))).toMatchObject({ kind: 'unknown' });
    await fault({ fault: 'timeout', api: 'alipay.trade.precreate' });
    expect(await h.provider.createPayment(h.attempt('qr'))).toMatchObject({ kind: 'unknown', reason: 'http_error' });
    await fault({ fault: 'error', api: 'alipay.trade.query' });
    expect(await h.provider.queryPayment(payment)).toMatchObject({ kind: 'unknown' });
    await fault({ fault: 'timeout', api: 'alipay.trade.close' });
    expect(await h.provider.closePayment(payment)).toMatchObject({ kind: 'unknown' });
    await fault({ fault: 'error', api: 'alipay.trade.fastpay.refund.query' });
    expect(await h.provider.queryRefund(h.refundInput(payment, 1))).toMatchObject({ kind: 'unknown' });
  });

  it('answers unknown when the gateway cannot be reached at all', async () => {
    const { createAlipayProvider } = await import('../../../src/providers/alipay/provider.ts');
    const { silentLogger } = await import('../../../src/lib/log.ts');
    const offline = createAlipayProvider(
      { ...h.sandbox.credentials, gateway: 'http://127.0.0.1:9/gateway.do' },
      { clock: h.clock, log: silentLogger, timeoutMs: 1000 },
    );
    expect(await offline.queryPayment(h.attempt('qr'))).toMatchObject({ kind: 'unknown', reason: 'transport_error' });
  });
});
