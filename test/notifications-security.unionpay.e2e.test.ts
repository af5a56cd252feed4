import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import { pendingAttempt } from './support/forge/mall-state.ts';
import { badNotificationTests, validNotificationTests, type Pending } from './support/forge/scenarios.ts';
import { tamperAmount, unionpayForger } from './support/forge/unionpay.ts';
import { startTestMall, type TestMall } from './support/mall.ts';

describe('forged, tampered and wrong UnionPay notifications over HTTP change nothing', () => {
  let t: TestMall;
  let forge: Awaited<ReturnType<typeof unionpayForger>>;
  let pending: Pending;
  beforeAll(async () => {
    t = await startTestMall();
    forge = await unionpayForger(t);
    pending = await pendingAttempt(t, 'unionpay');
  });
  afterAll(() => t.close());

  const pay = (p: Pending, f: Parameters<typeof forge.payment>[1] = {}) => forge.payment(p.paymentNo, f);
  /** Sent when the mall's clock is a day past the end of the gateway certificate's validity. */
  async function afterGatewayCertExpired(p: Pending) {
    const now = t.clock.now();
    t.clock.set(new Date(new Date(new X509Certificate(forge.keys.gatewayCert).validTo).getTime() + 24 * 3600_000));
    try {
      return await pay(p);
    } finally {
      t.clock.set(now);
    }
  }

  badNotificationTests('unionpay', () => ({ t, pending }), [
    {
      what: 'signed by UnionPay over a smaller amount',
      reason: 'amount_mismatch',
      names: true,
      send: (p) => pay(p, { fields: { txnAmt: String(p.amount - 1), settleAmt: String(p.amount - 1) } }),
    },
    {
      what: 'signed by UnionPay for another merId',
      reason: 'merchant_mismatch',
      names: true,
      send: (p) => pay(p, { fields: { merId: '777290058110097' } }),
    },
    {
      what: 'signed by UnionPay for an order the mall never made',
      reason: 'unknown_order',
      send: (p) => pay(p, { fields: { orderId: 'P20261125NOSUCHORDER' } }),
    },
    {
      what: 'signed by UnionPay for a refund the mall never asked for',
      reason: 'unknown_refund',
      send: async (p) =>
        pay(p, {
          fields: {
            txnType: '04',
            txnSubType: '00',
            orderId: 'R20261125NOSUCHREFUND',
            origQryId: (await forge.consumeOf(p.paymentNo)).queryId,
            reqReserved: p.paymentNo,
          },
        }),
    },
    {
      what: 'correctly signed for a consume the gateway says is unpaid',
      reason: 'unconfirmed',
      names: true,
      send: (p) => pay(p),
    },
    {
      what: 'whose txnAmt was changed by one byte after signing',
      reason: 'bad_signature',
      send: (p) => pay(p, { after: tamperAmount }),
    },
    {
      what: 'changed after signing to name another merchant',
      reason: 'bad_signature',
      send: (p) => pay(p, { after: (f) => void (f.merId = '777290058110097') }),
    },
    {
      what: 'whose signPubKeyCert lost its CRLF line breaks after signing',
      reason: 'bad_signature',
      send: (p) => pay(p, { after: (f) => void (f.signPubKeyCert = f.signPubKeyCert!.replace(/\r\n/g, '\n')) }),
    },
    {
      what: 'without a signature',
      reason: 'bad_signature',
      message: /unsigned/,
      send: (p) => pay(p, { after: (f) => void delete f.signature }),
    },
    {
      what: 'without its signing certificate',
      reason: 'bad_signature',
      message: /unsigned/,
      send: (p) => pay(p, { after: (f) => void delete f.signPubKeyCert }),
    },
    {
      what: 'carrying the gateway certificate but signed with another key',
      reason: 'bad_signature',
      message: /does not verify/,
      send: (p) => pay(p, { signer: forge.otherKey }),
    },
    {
      what: 'signed with a certificate from another root',
      reason: 'bad_signature',
      message: /does not chain/,
      send: (p) => pay(p, { signer: forge.otherRoot }),
    },
    {
      what: 'signed with a certificate of the right chain whose CN is not UnionPay’s',
      reason: 'bad_signature',
      message: /not UnionPay's/,
      send: (p) => pay(p, { signer: forge.wrongCn }),
    },
    {
      what: 'signed with the gateway certificate after it expired',
      reason: 'bad_signature',
      message: /not valid at/,
      send: (p) => afterGatewayCertExpired(p),
    },
    {
      what: 'signed by UnionPay with signMethod 11',
      reason: 'bad_signature',
      message: /signMethod/,
      send: (p) => pay(p, { after: (f) => void (f.signMethod = '11') }),
    },
  ]);

  validNotificationTests('unionpay', () => ({
    t,
    valid: async (paymentNo) => forge.build(forge.paidFields(await forge.consumeOf(paymentNo))),
  }));
});
