import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBase62 } from '../sandbox/wechatpay/keys.ts';
import { strangerKey } from './support/forge/alipay.ts';
import { deliver } from './support/forge/common.ts';
import { expectAcknowledged, pendingAttempt, sentOnce } from './support/forge/mall-state.ts';
import { badNotificationTests, validNotificationTests, type Pending } from './support/forge/scenarios.ts';
import { tamperCiphertext, unsign, wechatpayForger, type WechatpayForgery } from './support/forge/wechatpay.ts';
import { startTestMall, type TestMall } from './support/mall.ts';

const MINUTE = 60_000;

// Generated before the mall starts: key generation blocks the event loop the mall's server shares.
const STRANGER_KEY = strangerKey();

describe('forged, tampered, stale and wrong WeChat Pay notifications over HTTP change nothing', () => {
  let t: TestMall;
  let forge: Awaited<ReturnType<typeof wechatpayForger>>;
  let pending: Pending;
  beforeAll(async () => {
    t = await startTestMall();
    forge = await wechatpayForger(t);
    pending = await pendingAttempt(t, 'wechatpay');
  });
  afterAll(() => t.close());

  const pay = (p: Pending, f: WechatpayForgery = {}) => forge.payment(p.paymentNo, f);
  /** Built and signed now, delivered when the mall's clock has moved on by `ms`. */
  async function deliveredLater(p: Pending, ms: number, f: WechatpayForgery = {}) {
    const req = await forge.build(forge.paidResource(await forge.transactionOf(p.paymentNo)), f);
    const now = t.clock.now();
    t.clock.advance(ms);
    try {
      return await deliver(req);
    } finally {
      t.clock.set(now);
    }
  }
  const refundResource = (p: Pending) => ({
    mchid: forge.keys.mchId,
    out_trade_no: p.paymentNo,
    transaction_id: '4200000000202611250000000001',
    out_refund_no: 'R20261125NOSUCHREFUND',
    refund_id: '50300000000000000000000000001',
    refund_status: 'SUCCESS',
    success_time: '2026-11-25T20:00:00+08:00',
    user_received_account: '支付用户零钱',
    amount: { total: p.amount, refund: p.amount, payer_total: p.amount, payer_refund: p.amount },
  });

  badNotificationTests('wechatpay', () => ({ t, pending }), [
    {
      what: 'signed by WeChat over a smaller amount',
      reason: 'amount_mismatch',
      names: true,
      send: (p) =>
        pay(p, {
          resource: {
            amount: { total: p.amount - 1, payer_total: p.amount - 1, currency: 'CNY', payer_currency: 'CNY' },
          },
        }),
    },
    {
      what: 'signed by WeChat for another mchid',
      reason: 'merchant_mismatch',
      names: true,
      send: (p) => pay(p, { resource: { mchid: '1900000109' } }),
    },
    {
      what: 'signed by WeChat for another appid',
      reason: 'merchant_mismatch',
      names: true,
      send: (p) => pay(p, { resource: { appid: 'wx0000000000000000' } }),
    },
    {
      what: 'signed by WeChat for an order the mall never made',
      reason: 'unknown_order',
      send: (p) => pay(p, { resource: { out_trade_no: 'P20261125NOSUCHORDER' } }),
    },
    {
      what: 'signed by WeChat for a refund the mall never asked for',
      reason: 'unknown_refund',
      send: async (p) => deliver(await forge.build(refundResource(p), { eventType: 'REFUND.SUCCESS' })),
    },
    {
      what: 'whose encrypted resource was changed by one byte after signing',
      reason: 'bad_signature',
      send: (p) => pay(p, { after: tamperCiphertext }),
    },
    {
      what: 'whose Wechatpay-Timestamp was changed after signing',
      reason: 'bad_signature',
      send: (p) =>
        pay(p, {
          after: (r) => void (r.headers['Wechatpay-Timestamp'] = String(Number(r.headers['Wechatpay-Timestamp']) - 1)),
        }),
    },
    { what: 'without a signature', reason: 'bad_signature', send: (p) => pay(p, { after: unsign }) },
    {
      what: 'signed with a key WeChat never issued',
      reason: 'bad_signature',
      send: (p) => pay(p, { signWith: STRANGER_KEY }),
      message: /signature/,
    },
    {
      what: 'signed with the merchant’s own API key',
      reason: 'bad_signature',
      send: (p) => pay(p, { signWith: forge.keys.merchantPrivateKey }),
    },
    {
      what: 'naming a platform serial the mall does not know',
      reason: 'unknown_serial',
      send: (p) => pay(p, { serial: 'PUB_KEY_ID_0100000000000000000000000000' }),
      message: /Wechatpay-Serial/,
    },
    { what: 'carrying a WECHATPAY/SIGNTEST/ probe signature', reason: 'probe', send: (p) => pay(p, { probe: true }) },
    { what: 'signed 5 minutes before it arrives', reason: 'stale', send: (p) => deliveredLater(p, 5 * MINUTE) },
    { what: 'signed an hour before it arrives', reason: 'stale', send: (p) => deliveredLater(p, 60 * MINUTE) },
    {
      what: 'tampered with after signing and an hour old',
      reason: 'bad_signature',
      send: (p) => deliveredLater(p, 60 * MINUTE, { after: tamperCiphertext }),
    },
    {
      what: 'signed 5 minutes in the future',
      reason: 'stale',
      send: (p) => pay(p, { at: new Date(t.clock.now().getTime() + 5 * MINUTE) }),
    },
    {
      what: 'signed by WeChat but encrypted with another APIv3 key',
      reason: 'malformed',
      send: (p) => pay(p, { apiV3Key: randomBase62(32) }),
    },
  ]);

  it('accepts a notification signed 4 minutes 59 seconds before it arrives', async () => {
    const p = await pendingAttempt(t, 'wechatpay');
    const { answer, record } = await sentOnce(t, 'wechatpay', () => deliveredLater(p, 5 * MINUTE - 1000));
    expectAcknowledged('wechatpay', answer);
    expect(record).toMatchObject({ outcome: 'applied', outTradeNo: p.paymentNo });
    expect(await t.order(p.orderNo)).toMatchObject({ status: 'paid', paidAmount: p.amount });
  });

  validNotificationTests('wechatpay', () => ({
    t,
    valid: async (paymentNo) => forge.build(forge.paidResource(await forge.transactionOf(paymentNo))),
  }));
});
