import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { beijingCompact, FakeClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/log.ts';
import { freshDb } from '../../test/support/db.ts';
import { createNotifier, type Notifier } from '../shared/notifier.ts';
import type { Sandbox } from '../shared/sandbox.ts';
import type { UnionpayCredentials } from '../../src/config.ts';
import { createUnionpaySandbox } from './sandbox.ts';
import { decimalSerial, signFields, type Fields } from './wire.ts';

let db: Db;
let clock: FakeClock;
let notifier: Notifier;
let sandbox: Sandbox<UnionpayCredentials>;
const sends: { url: string; at: number; body: string }[] = [];
const PUBLIC = 'http://sandbox.test';

beforeAll(async () => {
  db = await freshDb();
  clock = new FakeClock();
  // The merchant's backUrl refuses every notification, so the whole retry schedule plays out.
  const refuse = (async (url: string | URL | Request, init?: RequestInit) => {
    sends.push({ url: String(url), at: clock.now().getTime(), body: String(init?.body) });
    return new Response('no', { status: 500 });
  }) as typeof fetch;
  notifier = createNotifier({ db, clock, log: silentLogger, timeScale: 1, fetch: refuse });
  sandbox = await createUnionpaySandbox({ db, clock, log: silentLogger, notifier, publicUrl: PUBLIC });
});
afterAll(() => db.close());

let seq = 0;
const common = () => ({
  version: '5.1.0',
  encoding: 'UTF-8',
  bizType: '000201',
  accessType: '0',
  merId: sandbox.credentials.merId,
  txnTime: beijingCompact(clock.now()),
});
const signed = (f: Fields): Fields => {
  const out = { ...f, signMethod: '01', certId: decimalSerial(sandbox.credentials.signCert) };
  return { ...out, signature: signFields(out, sandbox.credentials.signKey) };
};
const post = (path: string, f: Fields) =>
  sandbox.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(f).toString(),
  });
const rawAnswer = async (res: Response) =>
  Object.fromEntries(
    (await res.text()).split('&').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
const consume = (over: Fields = {}) =>
  signed({
    ...common(),
    txnType: '01',
    txnSubType: '01',
    channelType: '07',
    orderId: `P${Date.now()}${++seq}`,
    txnAmt: '1000',
    currencyCode: '156',
    frontUrl: 'http://mall.test/return/unionpay',
    backUrl: 'http://mall.test/notify/unionpay',
    ...over,
  });
async function paidConsume(): Promise<Fields> {
  const f = consume();
  expect((await post('/gateway/api/frontTransReq.do', f)).status).toBe(303);
  const trade = (await (await sandbox.app.request(`/_control/pay/${f.orderId}`, { method: 'POST' })).json()) as {
    queryId: string;
  };
  return { ...f, queryId: trade.queryId };
}
const back = (orig: Fields, txnType: '04' | '31', txnAmt: string) =>
  signed({
    ...common(),
    txnType,
    txnSubType: '00',
    channelType: '07',
    orderId: `R${Date.now()}${++seq}`,
    txnAmt,
    currencyCode: '156',
    origQryId: orig.queryId!,
    backUrl: 'http://mall.test/notify/unionpay',
  });

describe('UnionPay sandbox gateway', () => {
  it('refuses a request whose signature does not verify with respCode 11, in a signed raw text/plain answer', async () => {
    const res = await post('/gateway/api/queryTrans.do', {
      ...signed({ ...common(), txnType: '00', txnSubType: '00', orderId: 'P00000001' }),
      orderId: 'P00000002',
    });
    expect(res.headers.get('content-type')).toBe('text/plain;charset=UTF-8');
    const answer = await rawAnswer(res);
    expect(answer.respCode).toBe('11');
    expect(answer.signPubKeyCert).toContain('\r\n');
    expect(answer.signature).toBeTruthy();
  });

  it('answers a query for an unknown transaction with 34 查无此交易[2600000]', async () => {
    const answer = await rawAnswer(
      await post(
        '/gateway/api/queryTrans.do',
        signed({ ...common(), txnType: '00', txnSubType: '00', orderId: 'P00000003' }),
      ),
    );
    expect([answer.respCode, answer.respMsg]).toEqual(['34', '查无此交易[2600000]']);
  });

  it('refuses a consume whose backUrl carries a query string, or whose txnTime is far from now', async () => {
    expect(
      (await post('/gateway/api/frontTransReq.do', consume({ backUrl: 'http://mall.test/notify/unionpay?x=1' })))
        .status,
    ).toBe(400);
    const old = beijingCompact(new Date(clock.now().getTime() - 2 * 24 * 3600_000));
    const page = await post('/gateway/api/frontTransReq.do', consume({ txnTime: old }));
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('txnTime无效');
  });

  it('shows a plain, marked, escaped test cashier with Pay and Fail buttons', async () => {
    const res = await post('/gateway/api/frontTransReq.do', consume({ txnAmt: '123456' }));
    const html = await (
      await sandbox.app.request(new URL(res.headers.get('location')!).pathname.replace('/sandbox/unionpay', ''))
    ).text();
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toContain('SANDBOX');
    expect(html).toContain('¥1,234.56');
    expect(html).toMatch(/<button type="submit">Pay<\/button>[\s\S]*<button type="submit">Fail<\/button>/);
  });

  it('refuses a second transaction with the same orderId and txnTime as a duplicate (12)', async () => {
    const orig = await paidConsume();
    const refund = back(orig, '04', '100');
    expect((await rawAnswer(await post('/gateway/api/backTransReq.do', refund))).respCode).toBe('00');
    expect((await rawAnswer(await post('/gateway/api/backTransReq.do', refund))).respCode).toBe('12');
  });

  it('undoes a same-day consume in full, but not one already partly refunded', async () => {
    const whole = await paidConsume();
    const undo = await rawAnswer(await post('/gateway/api/backTransReq.do', back(whole, '31', '1000')));
    expect([undo.respCode, undo.respMsg]).toEqual(['00', '成功[0000000]']);
    expect(undo.queryId).toMatch(/^\d{21}$/);
    const partial = await paidConsume();
    expect((await rawAnswer(await post('/gateway/api/backTransReq.do', back(partial, '04', '1')))).respCode).toBe('00');
    expect((await rawAnswer(await post('/gateway/api/backTransReq.do', back(partial, '31', '1000')))).respCode).toBe(
      '35',
    );
  });

  it('sends an unacknowledged notification 5 times, 0, 1, 2 and 4 minutes apart, then gives up', async () => {
    await notifier.flush();
    sends.length = 0;
    const orig = await paidConsume();
    for (const step of [0, 0, 60_000, 120_000, 240_000, 600_000]) {
      clock.advance(step);
      await notifier.flush();
    }
    const mine = sends.filter((s) => s.body.includes(`orderId=${orig.orderId}`));
    expect(mine.map((s) => s.at - mine[0]!.at)).toEqual([0, 0, 60_000, 180_000, 420_000]);
    expect(mine[0]!.url).toBe('http://mall.test/notify/unionpay');
    const rows = await notifier.deliveries('unionpay');
    expect(rows.find((r) => JSON.stringify(r.payload).includes(orig.orderId!))).toMatchObject({
      status: 'gave_up',
      sends: 5,
    });
  });

  it('answers a query with the original transaction’s txnType and txnSubType, not the query’s 00/00', async () => {
    const orig = await paidConsume();
    const query = (orderId: string, txnTime: string) =>
      post('/gateway/api/queryTrans.do', signed({ ...common(), txnType: '00', txnSubType: '00', orderId, txnTime }));
    const consumeAnswer = await rawAnswer(await query(orig.orderId!, orig.txnTime!));
    expect([consumeAnswer.respCode, consumeAnswer.txnType, consumeAnswer.txnSubType]).toEqual(['00', '01', '01']);
    const refund = back(orig, '04', '100');
    await post('/gateway/api/backTransReq.do', refund);
    const refundAnswer = await rawAnswer(await query(refund.orderId!, refund.txnTime!));
    expect([refundAnswer.respCode, refundAnswer.txnType, refundAnswer.txnSubType]).toEqual(['00', '04', '00']);
  });

  it('accepts a refund and an undo sent with bizType 000000, as the real gateway does', async () => {
    const refunded = await paidConsume();
    const refund = signed({ ...back(refunded, '04', '100'), bizType: '000000' });
    expect((await rawAnswer(await post('/gateway/api/backTransReq.do', refund))).respCode).toBe('00');
    const undone = await paidConsume();
    const undo = signed({ ...back(undone, '31', '1000'), bizType: '000000' });
    expect((await rawAnswer(await post('/gateway/api/backTransReq.do', undo))).respCode).toBe('00');
  });

  it('answers its controls 404 for an unknown number and 400 for a malformed one or an unknown outcome', async () => {
    const control = (path: string, body?: unknown) =>
      sandbox.app.request(`/_control/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      });
    expect((await control('pay/P99999999999')).status).toBe(404);
    expect((await control('fail/P99999999999')).status).toBe(404);
    expect((await control('refunds/R99999999999', { outcome: 'succeeded' })).status).toBe(404);
    expect((await control('pay/not-a-number!')).status).toBe(400);
    const orig = await paidConsume();
    const refund = back(orig, '04', '100');
    await post('/gateway/api/backTransReq.do', refund);
    const bad = await control(`refunds/${refund.orderId}`, { outcome: 'maybe' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_outcome' });
    const trade = await (await sandbox.app.request(`/_control/trades/${orig.orderId}`)).json();
    expect(trade.refunds[0].status).toBe('processing');
    expect((await control(`refunds/${refund.orderId}`, { outcome: 'failed' })).status).toBe(200);
  });

  it('keeps its keys and the credentials it issued across a restart', async () => {
    const again = await createUnionpaySandbox({ db, clock, log: silentLogger, notifier, publicUrl: PUBLIC });
    expect(again.credentials).toEqual(sandbox.credentials);
    expect(again.credentials.gateway).toBe(`${PUBLIC}/sandbox/unionpay`);
  });
});
