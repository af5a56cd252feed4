import { createPrivateKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/lib/clock.ts';
import { silentLogger } from '../../../src/lib/log.ts';
import { issueCertificate, type Issued } from '../../../sandbox/unionpay/ca.ts';
import { signAsGateway } from '../../../sandbox/unionpay/wire.ts';
import type { PaymentProvider } from '../../../src/providers/provider.ts';
import { createUnionpayProvider } from '../../../src/providers/unionpay/provider.ts';

const YEAR = 365 * 24 * 3600_000;
const start = new Date('2026-11-25T12:00:00Z');
type Rdn = [string, string][];
const chain = (label: string) => {
  const rootSubject: Rdn = [['CN', `${label} root`]];
  const middleSubject: Rdn = [['CN', `${label} middle`]];
  const root = issueCertificate({
    subject: rootSubject,
    notBefore: start,
    notAfter: new Date(start.getTime() + 10 * YEAR),
    ca: true,
  });
  const middle = issueCertificate({
    subject: middleSubject,
    notBefore: start,
    notAfter: new Date(start.getTime() + 10 * YEAR),
    ca: true,
    issuer: { subject: rootSubject, ...root },
  });
  const leaf = (cn: string, years = 2) =>
    issueCertificate({
      subject: [['CN', cn]],
      notBefore: start,
      notAfter: new Date(start.getTime() + years * YEAR),
      ca: false,
      issuer: { subject: middleSubject, ...middle },
    });
  return { root, middle, leaf };
};

const MER_ID = '777290058110097';
let trusted: ReturnType<typeof chain>;
let gateway: Issued;
let clock: FakeClock;
let provider: PaymentProvider;

const providerFor = (c: ReturnType<typeof chain>, opts: { checkCertOwner?: boolean } = {}) =>
  createUnionpayProvider(
    {
      merId: MER_ID,
      signKey: gateway.key,
      signCert: gateway.cert,
      rootCert: c.root.cert,
      middleCert: c.middle.cert,
      gateway: 'http://127.0.0.1:9',
      fileUrl: 'http://127.0.0.1:9/files/',
    },
    { clock, log: silentLogger, ...opts },
  );

const paymentFields = (over: Record<string, string> = {}) => ({
  version: '5.1.0',
  encoding: 'UTF-8',
  bizType: '000201',
  accessType: '0',
  merId: MER_ID,
  txnType: '01',
  txnSubType: '01',
  orderId: 'P20261125000001',
  txnTime: '20261125200000',
  txnAmt: '1999',
  currencyCode: '156',
  queryId: '261125200000123456789',
  respCode: '00',
  respMsg: '成功[0000000]',
  settleAmt: '1999',
  settleCurrencyCode: '156',
  settleDate: '1125',
  traceNo: '123456',
  traceTime: '1125200000',
  ...over,
});
const body = (fields: Record<string, string>, signer: Issued) =>
  new URLSearchParams(signAsGateway(fields, signer.cert, createPrivateKey(signer.key))).toString();
const notify = (p: PaymentProvider, rawBody: string) =>
  p.parseNotification({ method: 'POST', headers: new Headers(), rawBody, query: new URLSearchParams() });

beforeAll(() => {
  clock = new FakeClock(start);
  trusted = chain('trusted');
  gateway = trusted.leaf('041@Z00000000000001@中国银联股份有限公司@00000001');
  provider = providerFor(trusted);
});

describe('UnionPay notification verification', () => {
  it('accepts a notification signed by the gateway certificate of the configured chain', async () => {
    expect(await notify(provider, body(paymentFields(), gateway))).toMatchObject({
      kind: 'payment',
      paymentNo: 'P20261125000001',
      amount: 1999,
      providerTradeNo: '261125200000123456789',
      eventId: 'P20261125000001:261125200000123456789',
      confirmByQuery: true,
    });
  });

  it('rejects a notification whose field was changed after signing as bad_signature', async () => {
    const tampered = body(paymentFields(), gateway).replace('txnAmt=1999', 'txnAmt=1');
    expect(await notify(provider, tampered)).toMatchObject({
      kind: 'rejected',
      reason: 'bad_signature',
      message: 'signature does not verify',
    });
  });

  it('rejects a certificate from another root as bad_signature, before looking at the merchant', async () => {
    const other = chain('other');
    const forged = other.leaf('041@Z00000000000001@中国银联股份有限公司@00000001');
    const parsed = await notify(provider, body(paymentFields({ merId: '777000000000000' }), forged));
    expect(parsed).toMatchObject({ kind: 'rejected', reason: 'bad_signature' });
    expect(parsed.kind === 'rejected' && parsed.message).toMatch(/does not chain/);
  });

  it('rejects an expired gateway certificate as bad_signature by the injected clock', async () => {
    const later = new FakeClock(new Date(start.getTime() + 3 * YEAR));
    const p = createUnionpayProvider(
      {
        merId: MER_ID,
        signKey: gateway.key,
        signCert: gateway.cert,
        rootCert: trusted.root.cert,
        middleCert: trusted.middle.cert,
        gateway: 'http://127.0.0.1:9',
        fileUrl: 'http://127.0.0.1:9/files/',
      },
      { clock: later, log: silentLogger },
    );
    const parsed = await notify(p, body(paymentFields(), gateway));
    expect(parsed).toMatchObject({ kind: 'rejected', reason: 'bad_signature' });
    expect(parsed.kind === 'rejected' && parsed.message).toMatch(/not valid at/);
  });

  it('rejects a certificate whose CN does not name UnionPay as owner, unless the owner check is off', async () => {
    const stranger = trusted.leaf('041@Z00000000000001@Some Other Company@00000001');
    const parsed = await notify(provider, body(paymentFields(), stranger));
    expect(parsed).toMatchObject({ kind: 'rejected', reason: 'bad_signature' });
    expect(parsed.kind === 'rejected' && parsed.message).toMatch(/not UnionPay's/);
    expect(
      await notify(providerFor(trusted, { checkCertOwner: false }), body(paymentFields(), stranger)),
    ).toMatchObject({ kind: 'payment' });
  });

  it('rejects a correctly signed notification for another merchant as merchant_mismatch', async () => {
    expect(await notify(provider, body(paymentFields({ merId: '777000000000000' }), gateway))).toMatchObject({
      kind: 'rejected',
      reason: 'merchant_mismatch',
    });
  });

  it('answers bad_signature for an unsigned or garbage body instead of throwing', async () => {
    expect(await notify(provider, 'not a form at all %%%')).toMatchObject({
      kind: 'rejected',
      reason: 'bad_signature',
    });
    expect(await notify(provider, new URLSearchParams(paymentFields()).toString())).toMatchObject({
      kind: 'rejected',
      reason: 'bad_signature',
    });
  });

  it('parses a refund notification into the refund named by its orderId and the payment echoed in reqReserved', async () => {
    const fields = paymentFields({
      txnType: '04',
      txnSubType: '00',
      orderId: 'R20261125000001',
      txnAmt: '500',
      origQryId: '261125200000123456789',
      reqReserved: 'P20261125000001',
    });
    expect(await notify(provider, body(fields, gateway))).toMatchObject({
      kind: 'refund',
      refundNo: 'R20261125000001',
      paymentNo: 'P20261125000001',
      state: 'succeeded',
      amount: 500,
    });
  });

  it('ignores a verified notification whose respCode is not a success', async () => {
    expect(await notify(provider, body(paymentFields({ respCode: '61', respMsg: 'x' }), gateway))).toMatchObject({
      kind: 'ignored',
    });
  });

  it('answers 200 ok for an accepted notification and 400 for a refused one', async () => {
    const ok = provider.acknowledge(true);
    expect([ok.status, await ok.text()]).toEqual([200, 'ok']);
    expect(provider.acknowledge(false, 'bad_signature').status).toBe(400);
  });
});
