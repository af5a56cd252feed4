import { afterAll, beforeAll, describe } from 'vitest';
import { toYuanString } from '../src/lib/money.ts';
import { alipayForger, strangerKey, tamperAmount } from './support/forge/alipay.ts';
import { pendingAttempt } from './support/forge/mall-state.ts';
import { badNotificationTests, validNotificationTests, type Pending } from './support/forge/scenarios.ts';
import { startTestMall, type TestMall } from './support/mall.ts';

// Generated before the mall starts: key generation blocks the event loop the mall's server shares.
const STRANGER_KEY = strangerKey();

describe('forged, tampered and wrong Alipay notifications over HTTP change nothing', () => {
  let t: TestMall;
  let forge: Awaited<ReturnType<typeof alipayForger>>;
  let pending: Pending;
  let wechatAttempt: string;
  beforeAll(async () => {
    t = await startTestMall();
    forge = await alipayForger(t);
    pending = await pendingAttempt(t, 'alipay');
    wechatAttempt = (await t.pay((await t.placeOrder()).orderNo, 'wechatpay', 'qr')).paymentNo;
  });
  afterAll(() => t.close());

  const amountsOf = (fen: number) => {
    const y = toYuanString(fen);
    return {
      total_amount: y,
      receipt_amount: y,
      invoice_amount: y,
      buyer_pay_amount: y,
      fund_bill_list: JSON.stringify([{ amount: y, fundChannel: 'ALIPAYACCOUNT' }]),
    };
  };

  badNotificationTests('alipay', () => ({ t, pending }), [
    {
      what: 'signed by Alipay over a smaller amount',
      reason: 'amount_mismatch',
      names: true,
      send: (p) => forge.payment(p.paymentNo, { fields: amountsOf(p.amount - 1) }),
    },
    {
      what: 'signed by Alipay over a larger amount',
      reason: 'amount_mismatch',
      names: true,
      send: (p) => forge.payment(p.paymentNo, { fields: amountsOf(p.amount + 100) }),
    },
    {
      what: 'signed by Alipay for another app_id',
      reason: 'merchant_mismatch',
      names: true,
      send: (p) =>
        forge.payment(p.paymentNo, { fields: { app_id: '2021000000000001', auth_app_id: '2021000000000001' } }),
    },
    {
      what: 'signed by Alipay for another seller_id',
      reason: 'merchant_mismatch',
      names: true,
      send: (p) => forge.payment(p.paymentNo, { fields: { seller_id: '2088000000000001' } }),
    },
    {
      what: 'signed by Alipay for an order the mall never made',
      reason: 'unknown_order',
      send: (p) => forge.payment(p.paymentNo, { fields: { out_trade_no: 'P20261125000000NOSUCH' } }),
    },
    {
      what: 'signed by Alipay for a WeChat Pay attempt',
      reason: 'unknown_order',
      send: (p) => forge.payment(p.paymentNo, { fields: { out_trade_no: wechatAttempt } }),
    },
    {
      what: 'whose amount was changed by one byte after signing',
      reason: 'bad_signature',
      send: (p) => forge.payment(p.paymentNo, { after: tamperAmount }),
    },
    {
      what: 'changed after signing to name another merchant and a wrong amount',
      reason: 'bad_signature',
      send: (p) =>
        forge.payment(p.paymentNo, {
          after: (f) => Object.assign(f, { app_id: '2021000000000001', total_amount: '0.01' }),
        }),
    },
    {
      what: 'with a refund field added after signing',
      reason: 'bad_signature',
      send: (p) => forge.payment(p.paymentNo, { after: (f) => void (f.out_biz_no = 'R1') }),
    },
    {
      what: 'without a signature',
      reason: 'bad_signature',
      send: (p) => forge.payment(p.paymentNo, { unsigned: true }),
    },
    {
      what: 'signed with the merchant’s own app key',
      reason: 'bad_signature',
      send: (p) => forge.payment(p.paymentNo, { signWith: forge.keys.appPrivateKey }),
    },
    {
      what: 'signed with a key Alipay never issued',
      reason: 'bad_signature',
      send: (p) => forge.payment(p.paymentNo, { signWith: STRANGER_KEY }),
    },
    {
      what: 'whose sign_type was changed to RSA (SHA-1) after signing',
      reason: 'bad_signature',
      send: (p) => forge.payment(p.paymentNo, { after: (f) => void (f.sign_type = 'RSA') }),
    },
    {
      what: 'signed by Alipay without a notify_id',
      reason: 'malformed',
      send: (p) => forge.payment(p.paymentNo, { fields: { notify_id: null } }),
    },
  ]);

  validNotificationTests('alipay', () => ({
    t,
    valid: async (paymentNo) => forge.build(forge.paidFields(await forge.tradeOf(paymentNo))),
  }));
});
