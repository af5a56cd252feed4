import { AlipaySdk } from 'alipay-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/lib/log.ts';
import { loadAlipayKeys, type AlipaySandboxKeys } from '../../../sandbox/alipay/keys.ts';
import { NOTIFY_UNSIGNED, rsa2Sign, signContent } from '../../../sandbox/alipay/signing.ts';
import type { InboundRequest } from '../../../src/providers/provider.ts';
import { createAlipayProvider } from '../../../src/providers/alipay/provider.ts';
import { startAlipayHarness, type AlipayHarness } from '../../support/providers/alipay.harness.ts';

let h: AlipayHarness;
let keys: AlipaySandboxKeys;
let raw: string;
beforeAll(async () => {
  h = await startAlipayHarness();
  keys = await loadAlipayKeys(h.db);
  await h.paid('qr', 1234);
  raw = h.received.at(-1)!.raw;
});
afterAll(() => h.close());

const inbound = (rawBody: string): InboundRequest => ({
  method: 'POST',
  headers: new Headers(),
  rawBody,
  query: new URLSearchParams(),
});
const parse = (rawBody: string) => h.provider.parseNotification(inbound(rawBody));
/** Re-signs edited fields with the sandbox's Alipay key: a genuine notification with other content. */
function signed(fields: Record<string, string>): string {
  const f = { ...fields };
  delete f.sign;
  f.sign = rsa2Sign(signContent(f, NOTIFY_UNSIGNED, { keepEmpty: true }), keys.alipayPrivateKey);
  return new URLSearchParams(f).toString();
}
const fieldsOf = (body: string) => Object.fromEntries(new URLSearchParams(body));

describe('Alipay notifications', () => {
  it('are signed so that alipay-sdk itself verifies them with the Alipay public key', () => {
    const sdk = new AlipaySdk({
      appId: keys.appId,
      privateKey: keys.appPrivateKey,
      keyType: 'PKCS8',
      alipayPublicKey: keys.alipayPublicKey,
    });
    const fields = fieldsOf(raw);
    expect(fields.fund_bill_list).toBe('[{"amount":"12.34","fundChannel":"ALIPAYACCOUNT"}]');
    expect(sdk.checkNotifySignV2(fields)).toBe(true);
    expect(sdk.checkNotifySignV2({ ...fields, total_amount: '0.01' })).toBe(false);
  });

  it('verifies a notification that carries a field with an empty value, signed as `key=` the way Alipay signs it', async () => {
    // Alipay signs every parameter it sends but sign and sign_type, an empty one included (docs/protocols/alipay.md,
    // notification verification); dropping empty values before verifying would refuse such a genuine notification.
    const f = fieldsOf(raw);
    delete f.sign;
    const withEmpty = { ...f, passback_params: '' };
    const sign = rsa2Sign(signContent(withEmpty, NOTIFY_UNSIGNED, { keepEmpty: true }), keys.alipayPrivateKey);
    const body = new URLSearchParams({ ...withEmpty, sign }).toString();
    expect(body).toContain('passback_params=&');
    expect(await parse(body)).toMatchObject({ kind: 'payment' });
    // And the empty field is covered by the signature: giving it a value breaks it.
    expect(await parse(body.replace('passback_params=&', 'passback_params=x&'))).toMatchObject({
      kind: 'rejected',
      reason: 'bad_signature',
    });
  });

  it('rejects a notification with one byte changed as bad_signature', async () => {
    const tampered = raw.replace('total_amount=12.34', 'total_amount=12.35');
    expect(tampered).not.toBe(raw);
    expect(await parse(tampered)).toMatchObject({ kind: 'rejected', reason: 'bad_signature' });
  });

  it('rejects an unsigned notification as bad_signature', async () => {
    const f = fieldsOf(raw);
    delete f.sign;
    expect(await parse(new URLSearchParams(f).toString())).toMatchObject({ kind: 'rejected', reason: 'bad_signature' });
    expect(await parse('')).toMatchObject({ kind: 'rejected', reason: 'bad_signature' });
    expect(await parse('%%%garbage&&==')).toMatchObject({ kind: 'rejected', reason: 'bad_signature' });
  });

  it('rejects a genuinely signed notification for another app_id as merchant_mismatch', async () => {
    const other = signed({ ...fieldsOf(raw), app_id: '2021000000000001' });
    expect(await parse(other)).toMatchObject({ kind: 'rejected', reason: 'merchant_mismatch' });
  });

  it('checks the signature before the merchant, so a tampered foreign notification is bad_signature', async () => {
    const other = new URLSearchParams({ ...fieldsOf(raw), app_id: '2021000000000001' }).toString();
    expect(await parse(other)).toMatchObject({ kind: 'rejected', reason: 'bad_signature' });
  });

  it('rejects another seller when a seller_id is configured, and accepts our own', async () => {
    const strict = createAlipayProvider(
      { ...h.sandbox.credentials, sellerId: '2088000000000009' },
      { clock: h.clock, log: silentLogger },
    );
    expect(await strict.parseNotification(inbound(raw))).toMatchObject({
      kind: 'rejected',
      reason: 'merchant_mismatch',
    });
    expect(await parse(raw)).toMatchObject({ kind: 'payment', state: 'succeeded', amount: 1234 });
  });

  it('rejects a signed notification without a known trade_status as malformed', async () => {
    expect(await parse(signed({ ...fieldsOf(raw), trade_status: 'TRADE_PENDING' }))).toMatchObject({
      kind: 'rejected',
      reason: 'malformed',
    });
  });

  it('reads a refund notice without out_biz_no as a refund whose number the service must ask for', async () => {
    const f = {
      ...fieldsOf(raw),
      refund_fee: '12.34',
      gmt_refund: '2026-11-25 20:00:00.000',
      trade_status: 'TRADE_CLOSED',
    };
    expect(await parse(signed(f))).toMatchObject({
      kind: 'refund',
      refundNo: null,
      state: 'succeeded',
      confirmByQuery: true,
    });
  });

  it('acknowledges with exactly success or failure, HTTP 200', async () => {
    const yes = h.provider.acknowledge(true);
    const no = h.provider.acknowledge(false, 'bad_signature');
    expect([yes.status, await yes.text()]).toEqual([200, 'success']);
    expect([no.status, await no.text()]).toEqual([200, 'failure']);
  });
});

describe('Alipay notification delivery', () => {
  const deliveries = () => h.notifier.deliveries('alipay');

  it('redelivers on the 4m, 10m schedule until the answer is success, with a stable notify_id', async () => {
    h.receiver.mode = 'refuse';
    const before = h.received.length;
    const payment = await h.paid('qr', 100);
    expect(h.received.length).toBe(before + 1);
    h.clock.advance(3 * 60_000);
    await h.notifier.flush();
    expect(h.received.length).toBe(before + 1);
    h.clock.advance(60_000);
    await h.notifier.flush();
    expect(h.received.length).toBe(before + 2);
    h.receiver.mode = 'verdict';
    h.clock.advance(10 * 60_000);
    await h.notifier.flush();
    const mine = h.received.slice(before).map((r) => r.parsed);
    expect(mine).toHaveLength(3);
    expect(new Set(mine.map((p) => (p.kind === 'payment' ? p.eventId : p.kind)))).toHaveProperty('size', 1);
    expect(mine.every((p) => p.kind === 'payment' && p.paymentNo === payment.paymentNo)).toBe(true);
    const row = (await deliveries()).at(-1)!;
    expect([row.status, row.sends]).toEqual(['delivered', 3]);
    h.clock.advance(24 * 3600_000);
    expect(await h.notifier.flush()).toBe(0);
  });

  it('gives up after the eighth send when never acknowledged', async () => {
    h.receiver.mode = 'refuse';
    await h.paid('qr', 100);
    for (const minutes of [4, 10, 10, 60, 120, 360, 900]) {
      h.clock.advance(minutes * 60_000);
      await h.notifier.flush();
    }
    h.receiver.mode = 'verdict';
    const row = (await deliveries()).at(-1)!;
    expect([row.status, row.sends]).toEqual(['gave_up', 8]);
  });

  it('drops or duplicates a notification on request, the duplicate carrying the same notify_id', async () => {
    await h.control('faults', { notifications: { fault: 'drop' } });
    const before = h.received.length;
    await h.paid('qr', 100);
    expect(h.received.length).toBe(before);
    expect((await deliveries()).at(-1)!.status).toBe('dropped');

    await h.control('faults', { notifications: { fault: 'duplicate' } });
    const payment = await h.paid('qr', 100);
    const twice = h.received.slice(before).map((r) => r.parsed);
    expect(twice).toHaveLength(2);
    expect(twice[0]).toEqual(twice[1]);
    expect(twice[0]).toMatchObject({ kind: 'payment', paymentNo: payment.paymentNo });
  });

  it('sends a badly signed notification on request, which is refused as bad_signature and retried', async () => {
    await h.control('notify-faults', { badSignature: 1 });
    const before = h.received.length;
    await h.paid('qr', 100);
    expect(h.received.slice(before).map((r) => r.parsed)).toMatchObject([
      { kind: 'rejected', reason: 'bad_signature' },
    ]);
    const row = (await deliveries()).at(-1)!;
    expect([row.status, row.sends, row.last_result]).toEqual(['pending', 1, '200 failure']);
  });

  it('can deliver a refund notice before the payment notice, each parsed on its own', async () => {
    const before = h.received.length;
    await h.control('faults', { notifications: { fault: 'delay', delayMs: 60_000 } });
    const payment = await h.paid('qr', 800);
    const refund = h.refundInput(payment, 800);
    expect(await h.provider.refund(refund)).toMatchObject({ kind: 'succeeded' });
    await h.notifier.flush();
    h.clock.advance(60_000);
    await h.notifier.flush();
    const kinds = h.received.slice(before).map((r) => r.parsed);
    expect(kinds).toMatchObject([
      { kind: 'refund', paymentNo: payment.paymentNo, refundNo: refund.refundNo },
      { kind: 'payment', paymentNo: payment.paymentNo, state: 'succeeded', amount: 800 },
    ]);
  });
});
