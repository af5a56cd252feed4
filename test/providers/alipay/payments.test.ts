import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlipayHarness, type AlipayHarness } from '../../support/providers/alipay.harness.ts';

let h: AlipayHarness;
beforeAll(async () => {
  h = await startAlipayHarness();
});
afterAll(() => h.close());

const lastParsed = () => h.received.at(-1)!.parsed;

describe('Alipay payments through the sandbox', () => {
  it('creates a QR payment whose qr_code is passed on verbatim and leads to the sandbox cashier', async () => {
    const input = h.attempt('qr');
    const created = await h.provider.createPayment(input);
    expect(created.kind).toBe('created');
    if (created.kind !== 'created' || created.action.type !== 'qr') throw new Error('expected a qr action');
    expect(created.action.content).toMatch(new RegExp(`^${h.url}/sandbox/alipay/qr/bax[0-9a-f]+$`));
    const page = await fetch(created.action.content);
    const html = await page.text();
    expect(html).toContain('SANDBOX');
    expect(html).toContain(input.paymentNo);
    expect(html).toContain('¥19.99');
  });

  it('gives the same QR code when a create that timed out is retried with the same payment number', async () => {
    const input = h.attempt('qr');
    await h.control('faults', { call: { fault: 'timeout', api: 'alipay.trade.precreate' } });
    expect(await h.provider.createPayment(input)).toMatchObject({ kind: 'unknown' });
    const stored = (await (await fetch(`${h.url}/sandbox/alipay/_control/trades/${input.paymentNo}`)).json()) as {
      qrCode: string;
    };
    h.clock.advance(5_000);
    expect(await h.provider.createPayment(input)).toEqual({
      kind: 'created',
      action: { type: 'qr', content: stored.qrCode },
    });
  });

  it('answers pending for a precreated trade before the scan, when Alipay says the trade does not exist', async () => {
    const input = h.attempt('qr');
    await h.provider.createPayment(input);
    expect(await h.provider.queryPayment(input)).toEqual({ kind: 'pending' });
  });

  it('parses the notification of a paid QR payment as succeeded with the amount in fen', async () => {
    const input = await h.paid('qr', 1999);
    const parsed = lastParsed();
    expect(parsed).toMatchObject({
      kind: 'payment',
      paymentNo: input.paymentNo,
      state: 'succeeded',
      amount: 1999,
      confirmByQuery: false,
    });
    if (parsed.kind !== 'payment') throw new Error('expected a payment');
    expect(parsed.providerTradeNo).toMatch(/^\d{28}$/);
    // The sandbox paid at the fake clock's instant; gmt_payment is Beijing time and parses back to it.
    expect(parsed.paidAt?.toISOString()).toBe(h.clock.now().toISOString());
    const state = await h.provider.queryPayment(input);
    expect(state).toEqual({
      kind: 'succeeded',
      providerTradeNo: parsed.providerTradeNo,
      amount: 1999,
      paidAt: parsed.paidAt,
    });
  });

  it.each(['page', 'wap'] as const)(
    'takes a %s payment from the redirect through the cashier back to a verified return',
    async (channel) => {
      const input = h.attempt(channel, 1);
      const created = await h.provider.createPayment(input);
      if (created.kind !== 'created' || created.action.type !== 'redirect') throw new Error('expected a redirect');
      const gateway = await fetch(created.action.url, { redirect: 'manual' });
      expect(gateway.status).toBe(302);
      const cashierUrl = new URL(gateway.headers.get('location')!, h.url).toString();
      expect(await (await fetch(cashierUrl)).text()).toContain('¥0.01');
      const pay = await fetch(`${h.url}/sandbox/alipay/cashier/pay`, {
        method: 'POST',
        body: new URLSearchParams({ out_trade_no: input.paymentNo }),
        redirect: 'manual',
      });
      expect(pay.status).toBe(303);
      const back = pay.headers.get('location')!;
      expect(back.startsWith(`${h.url}/return/alipay?`)).toBe(true);
      expect(new URL(back).searchParams.get('method')).toBe(`alipay.trade.${channel}.pay.return`);
      await fetch(back);
      expect(h.returns.at(-1)).toEqual({ paymentNo: input.paymentNo, verified: true });
      await h.notifier.flush();
      expect(lastParsed()).toMatchObject({
        kind: 'payment',
        paymentNo: input.paymentNo,
        state: 'succeeded',
        amount: 1,
      });
    },
  );

  it('marks a return whose parameters were altered as unverified', async () => {
    const input = await h.paid('page');
    const trade = (await h.control(`pay/${input.paymentNo}`)) as { ok: boolean };
    expect(trade.ok).toBe(false); // already paid: paying twice is refused
    const params = new URLSearchParams({
      out_trade_no: input.paymentNo,
      total_amount: '0.01',
      app_id: h.sandbox.credentials.appId,
      sign: 'AAAA',
      sign_type: 'RSA2',
    });
    await fetch(`${h.url}/return/alipay?${params}`);
    expect(h.returns.at(-1)).toEqual({ paymentNo: input.paymentNo, verified: false });
  });

  it('leaves a trade payable and sends nothing when the buyer fails at the cashier', async () => {
    const input = h.attempt('qr');
    await h.provider.createPayment(input);
    const before = h.received.length;
    await h.control(`fail/${input.paymentNo}`);
    await h.notifier.flush();
    expect(h.received.length).toBe(before);
    expect(await h.provider.queryPayment(input)).toEqual({ kind: 'pending' });
  });

  it('closes a scanned, unpaid trade and then reports it closed, also by notification', async () => {
    const input = h.attempt('qr');
    await h.provider.createPayment(input);
    await h.control(`fail/${input.paymentNo}`); // scanned, not paid: WAIT_BUYER_PAY
    expect(await h.provider.closePayment(input)).toEqual({ kind: 'closed' });
    expect(await h.provider.queryPayment(input)).toEqual({ kind: 'closed' });
    await h.notifier.flush();
    expect(lastParsed()).toMatchObject({ kind: 'payment', paymentNo: input.paymentNo, state: 'closed' });
    expect(await h.provider.closePayment(input)).toEqual({ kind: 'closed' });
  });

  it('closes an unscanned QR payment, after which the QR code can no longer be paid', async () => {
    const input = h.attempt('qr');
    const created = await h.provider.createPayment(input);
    expect(await h.provider.closePayment(input)).toEqual({ kind: 'closed' });
    if (created.kind !== 'created' || created.action.type !== 'qr') throw new Error('expected a qr action');
    expect((await fetch(created.action.content)).status).toBe(404);
    expect(await h.control(`pay/${input.paymentNo}`)).toMatchObject({ ok: false });
  });

  it('answers already_paid when closing a trade the customer has paid', async () => {
    const input = await h.paid('qr');
    expect(await h.provider.closePayment(input)).toEqual({ kind: 'already_paid' });
  });

  it('reports TRADE_FINISHED at the end of the refund window as a succeeded payment', async () => {
    const input = await h.paid('qr', 500);
    await h.control(`finish/${input.paymentNo}`);
    await h.notifier.flush();
    expect(lastParsed()).toMatchObject({
      kind: 'payment',
      paymentNo: input.paymentNo,
      state: 'succeeded',
      amount: 500,
    });
    expect(await h.provider.queryPayment(input)).toMatchObject({ kind: 'succeeded', amount: 500 });
  });

  it('refuses to create a payment that has already expired, without calling Alipay', async () => {
    const input = { ...h.attempt('page'), expiresAt: new Date(h.clock.now().getTime() - 1000) };
    expect(await h.provider.createPayment(input)).toMatchObject({ kind: 'failed', reason: 'expired' });
  });

  it('closes an unpaid trade at its expiry, as Alipay does', async () => {
    const input = h.attempt('qr');
    await h.provider.createPayment(input);
    await h.control(`fail/${input.paymentNo}`);
    h.clock.advance(31 * 60_000);
    expect(await h.provider.queryPayment(input)).toEqual({ kind: 'closed' });
  });
});
