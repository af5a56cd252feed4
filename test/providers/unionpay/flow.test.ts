import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formAction,
  formInputs,
  postForm,
  startUnionpayHarness,
  type UnionpayHarness,
} from '../../support/providers/unionpay.harness.ts';

let h: UnionpayHarness;
beforeAll(async () => {
  h = await startUnionpayHarness();
});
afterAll(() => h.close());

async function paidAttempt(amount: number) {
  const input = h.attempt(amount);
  await h.submitConsume(input);
  await h.control(`pay/${input.paymentNo}`);
  await h.notifier.flush();
  const state = await h.provider.queryPayment(input);
  if (state.kind !== 'succeeded') throw new Error(`not paid: ${JSON.stringify(state)}`);
  return { input, queryId: state.providerTradeNo };
}

describe('UnionPay adapter against the sandbox gateway over HTTP', () => {
  it('pays through the cashier: the browser returns signed, the notification is a verified success confirmed by query', async () => {
    const input = h.attempt(1234);
    const cashierUrl = await h.submitConsume(input);
    expect(await h.provider.queryPayment(input)).toEqual({ kind: 'pending' });

    const cashier = await (await fetch(cashierUrl)).text();
    expect(cashier).toContain('SANDBOX');
    expect(cashier).toContain(input.paymentNo);
    expect(cashier).toContain('¥12.34');

    const paidPage = await (await postForm(`${cashierUrl}/pay`, {})).text();
    expect(formAction(paidPage)).toBe(input.returnUrl);
    await postForm(formAction(paidPage), formInputs(paidPage));
    expect(h.returns.at(-1)).toEqual({ paymentNo: input.paymentNo, verified: true, declined: false });

    expect(await h.notifier.flush()).toBe(1);
    const note = h.received.at(-1)!;
    expect(note).toMatchObject({
      kind: 'payment',
      paymentNo: input.paymentNo,
      state: 'succeeded',
      amount: 1234,
      confirmByQuery: true,
    });
    const confirmed = await h.provider.queryPayment(input);
    expect(confirmed).toMatchObject({ kind: 'succeeded', amount: 1234 });
    if (note.kind !== 'payment' || confirmed.kind !== 'succeeded') throw new Error('unreachable');
    expect(note.providerTradeNo).toBe(confirmed.providerTradeNo);
    expect(note.eventId).toBe(`${input.paymentNo}:${confirmed.providerTradeNo}`);
    expect(await h.provider.closePayment(input)).toEqual({ kind: 'already_paid' });
  });

  it('treats a partial refund as processing until the gateway settles it, then as succeeded by notification and query', async () => {
    const { input, queryId } = await paidAttempt(1000);
    const refund = {
      refundNo: `R${input.paymentNo.slice(1)}`,
      createdAt: h.clock.now(),
      amount: 400,
      reason: 'size',
      payment: { ...input, providerTradeNo: queryId },
      notifyUrl: input.notifyUrl,
    };
    const sync = await h.provider.refund(refund);
    expect(sync.kind).toBe('processing');
    expect(await h.provider.queryRefund(refund)).toMatchObject({ kind: 'processing' });

    await h.control(`refunds/${refund.refundNo}`, { outcome: 'succeeded' });
    await h.notifier.flush();
    expect(h.received.at(-1)).toMatchObject({
      kind: 'refund',
      refundNo: refund.refundNo,
      paymentNo: input.paymentNo,
      state: 'succeeded',
      amount: 400,
      confirmByQuery: true,
    });
    expect(await h.provider.queryRefund(refund)).toMatchObject({ kind: 'succeeded' });
  });

  it('refuses a refund that would take the cumulative total above the consume', async () => {
    const { input, queryId } = await paidAttempt(1000);
    const base = {
      createdAt: h.clock.now(),
      reason: 'r',
      payment: { ...input, providerTradeNo: queryId },
      notifyUrl: input.notifyUrl,
    };
    expect((await h.provider.refund({ ...base, refundNo: `A${input.paymentNo}`, amount: 700 })).kind).toBe(
      'processing',
    );
    const over = await h.provider.refund({ ...base, refundNo: `B${input.paymentNo}`, amount: 301 });
    expect(over).toMatchObject({ kind: 'failed', reason: 'respCode_33' });
    expect((await h.provider.refund({ ...base, refundNo: `C${input.paymentNo}`, amount: 300 })).kind).toBe(
      'processing',
    );
  });

  it('settles an accepted refund by itself once its time has passed', async () => {
    const { input, queryId } = await paidAttempt(500);
    const refund = {
      refundNo: `S${input.paymentNo}`,
      createdAt: h.clock.now(),
      amount: 500,
      reason: 'r',
      payment: { ...input, providerTradeNo: queryId },
      notifyUrl: input.notifyUrl,
    };
    await h.provider.refund(refund);
    h.clock.advance(11_000);
    expect(await h.provider.queryRefund(refund)).toMatchObject({ kind: 'succeeded' });
  });

  it('reports a failed payment by query once its payTimeout has passed, and never notifies it', async () => {
    const input = h.attempt(300);
    await h.submitConsume(input);
    await h.notifier.flush();
    const before = h.received.length;
    await h.control(`fail/${input.paymentNo}`);
    await h.notifier.flush();
    expect(h.received.length).toBe(before);
    h.clock.advance(31 * 60_000);
    expect(await h.provider.queryPayment(input)).toMatchObject({ kind: 'failed' });
  });

  it('keeps a failed consume pending before its payTimeout: the cardholder may pay the same order again', async () => {
    const input = h.attempt(310);
    await h.submitConsume(input);
    await h.control(`fail/${input.paymentNo}`);
    // queryTrans: respCode 00 with a failed origRespCode; the real cashier still takes the card until payTimeout.
    expect(await h.provider.queryPayment(input)).toEqual({ kind: 'pending' });
    expect(await h.provider.closePayment(input)).toEqual({ kind: 'closed' });
    const again = await h.control(`pay/${input.paymentNo}`);
    expect(again).toMatchObject({ status: 'paid' });
    expect(await h.provider.queryPayment(input)).toMatchObject({ kind: 'succeeded', amount: 310 });
  });

  it('reads a signed return from a declined cashier as declined, for the page only', async () => {
    const input = h.attempt(330);
    const cashierUrl = await h.submitConsume(input);
    const failedPage = await (await postForm(`${cashierUrl}/fail`, {})).text();
    await postForm(formAction(failedPage), formInputs(failedPage));
    expect(h.returns.at(-1)).toEqual({ paymentNo: input.paymentNo, verified: true, declined: true });
    expect(await h.provider.queryPayment(input)).toEqual({ kind: 'pending' });
  });

  it('lets the cashier refuse a failed consume once its payTimeout has passed', async () => {
    const input = h.attempt(320);
    await h.submitConsume(input);
    await h.control(`fail/${input.paymentNo}`);
    h.clock.advance(31 * 60_000);
    expect(await h.control(`pay/${input.paymentNo}`)).toMatchObject({ error: '42' });
    expect(await h.provider.queryPayment(input)).toMatchObject({ kind: 'failed' });
  });

  it('keeps a consume that never reached the gateway pending, then closed once its pay window is over', async () => {
    const input = h.attempt(100, { createdAt: h.clock.now() });
    expect(await h.provider.queryPayment(input)).toEqual({ kind: 'pending' });
    expect(await h.provider.closePayment(input)).toEqual({ kind: 'closed' });
    h.clock.advance(25 * 3600_000);
    expect(await h.provider.queryPayment(input)).toEqual({ kind: 'closed' });
  });

  it('answers unknown, never failed, when the gateway errs or times out, and the query tells the truth', async () => {
    const { input, queryId } = await paidAttempt(800);
    const mk = (refundNo: string) => ({
      refundNo,
      createdAt: h.clock.now(),
      amount: 100,
      reason: 'r',
      payment: { ...input, providerTradeNo: queryId },
      notifyUrl: input.notifyUrl,
    });
    const errored = mk(`E${input.paymentNo}`);
    h.sandbox.faults.failNextCall('error', 'backTransReq');
    expect(await h.provider.refund(errored)).toMatchObject({ kind: 'unknown', reason: 'respCode_06' });
    expect(await h.provider.queryRefund(errored)).toEqual({ kind: 'not_found' });

    const timedOut = mk(`T${input.paymentNo}`);
    h.sandbox.faults.failNextCall('timeout', 'backTransReq');
    expect(await h.provider.refund(timedOut)).toMatchObject({ kind: 'unknown', reason: 'http' });
    expect(await h.provider.queryRefund(timedOut)).toMatchObject({ kind: 'processing' });
    // Resending the same orderId+txnTime is a duplicate at the gateway: still unknown, never a second refund.
    expect(await h.provider.refund(timedOut)).toMatchObject({ kind: 'unknown', reason: 'respCode_12' });

    h.sandbox.faults.failNextCall('error', 'queryTrans');
    expect(await h.provider.queryPayment(input)).toMatchObject({ kind: 'unknown' });
  });
});
