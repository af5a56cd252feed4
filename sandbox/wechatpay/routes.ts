import { Hono, type Context } from 'hono';
import type { Clock } from '../../src/lib/clock.ts';
import type { Faults } from '../shared/faults.ts';
import type { Bills } from './bill.ts';
import type { GatewayCrypto } from './crypto.ts';
import type { Platform } from './platform.ts';
import { tradeKey, refundView, transactionView, wireTime, type TradeRecord } from './records.ts';
import type { Outcome, TradeBook, WireError } from './trades.ts';
import { closeSchema, h5OrderSchema, jsapiOrderSchema, orderSchema, parseBody, refundSchema } from './validate.ts';

type Env = { Variables: { mchId: string; rawBody: string } };
type Answer = { status: 200 | 204; body: Record<string, unknown> | null } | { error: WireError };

/** The `/v3/...` gateway API (docs/protocols/wechatpay.md): authenticated, and every answer signed, errors included. */
export function v3Routes(deps: {
  book: TradeBook;
  crypto: GatewayCrypto;
  clock: Clock;
  faults: Faults;
  cashierUrl: (prepay: string) => string;
  bill: Bills;
  platform: Platform;
}) {
  const { book, crypto, clock, faults } = deps;
  const app = new Hono<Env>();

  // The request's Wechatpay-Serial picks the answer's signer for a migrating merchant (platform.ts).
  const signed = (status: number, body: Record<string, unknown> | null, requestSerial: string | null = null) => {
    const text = body === null ? '' : JSON.stringify(body);
    const headers = {
      ...crypto.signedHeaders(text, clock.now(), { requestSerial }),
      ...(body === null ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
    };
    return new Response(body === null ? null : text, { status, headers });
  };
  const wireError = (e: WireError, requestSerial: string | null = null) =>
    signed(e.status, { code: e.code, message: e.message, ...(e.detail ? { detail: e.detail } : {}) }, requestSerial);

  app.use('/v3/*', async (c, next) => {
    const rawBody = await c.req.text();
    const url = new URL(c.req.url);
    const auth = crypto.verifyRequest(
      {
        method: c.req.method,
        pathAndQuery: url.pathname + url.search,
        authorization: c.req.header('authorization') ?? null,
        body: rawBody,
      },
      clock.now(),
    );
    if (!auth.ok)
      return wireError(
        { status: 401, code: 'SIGN_ERROR', message: auth.message },
        c.req.header('wechatpay-serial') ?? null,
      );
    c.set('mchId', auth.mchId);
    c.set('rawBody', rawBody);
    await next();
  });

  /** Scripted faults first: 'error' does nothing, 'timeout' does the work and then answers like a dead gateway. */
  const handle = (api: string, work: (c: Context<Env>) => Promise<Answer>) => async (c: Context<Env>) => {
    const fault = faults.takeCallFault(api);
    const serial = c.req.header('wechatpay-serial') ?? null;
    if (fault === 'error') return wireError({ status: 500, code: 'SYSTEM_ERROR', message: '系统错误' }, serial);
    const answer = await work(c);
    if (fault === 'timeout')
      return new Response('<html><body>504 Gateway Time-out</body></html>', {
        status: 504,
        headers: { 'Content-Type': 'text/html' },
      });
    return 'error' in answer ? wireError(answer.error, serial) : signed(answer.status, answer.body, serial);
  };
  const answer = <T>(o: Outcome<T>, view: (v: T) => Record<string, unknown> | null, status: 200 | 204 = 200): Answer =>
    o.ok ? { status, body: view(o.value) } : { error: o.error };
  const paramError = (p: { message: string; detail: WireError['detail'] }): Answer => ({
    error: { status: 400, code: 'PARAM_ERROR', message: p.message, ...(p.detail ? { detail: p.detail } : {}) },
  });

  app.post(
    '/v3/pay/transactions/native',
    handle('native', async (c) => {
      const p = parseBody(orderSchema, c.get('rawBody'));
      if (!p.ok) return paramError(p);
      return answer(await book.createOrder(c.get('mchId'), p.value, 'NATIVE'), (t: TradeRecord) => ({
        code_url: deps.cashierUrl(t.prepay),
      }));
    }),
  );
  app.post(
    '/v3/pay/transactions/h5',
    handle('h5', async (c) => {
      const p = parseBody(h5OrderSchema, c.get('rawBody'));
      if (!p.ok) return paramError(p);
      return answer(await book.createOrder(c.get('mchId'), p.value, 'MWEB'), (t: TradeRecord) => ({
        h5_url: deps.cashierUrl(t.prepay),
      }));
    }),
  );

  // In-app orders answer a prepay_id (valid 2 h) for the client to pay (docs/sandbox/wechatpay.md#in-app-channels).
  app.post(
    '/v3/pay/transactions/jsapi',
    handle('jsapi', async (c) => {
      const p = parseBody(jsapiOrderSchema, c.get('rawBody'));
      if (!p.ok) return paramError(p);
      return answer(await book.createOrder(c.get('mchId'), p.value, 'JSAPI'), (t: TradeRecord) => ({
        prepay_id: t.prepay,
      }));
    }),
  );
  app.post(
    '/v3/pay/transactions/app',
    handle('app', async (c) => {
      const p = parseBody(orderSchema, c.get('rawBody'));
      if (!p.ok) return paramError(p);
      if (p.value.payer) return paramError({ message: 'APP下单不接受 payer', detail: undefined });
      return answer(await book.createOrder(c.get('mchId'), p.value, 'APP'), (t: TradeRecord) => ({
        prepay_id: t.prepay,
      }));
    }),
  );

  const mchidQuery = (c: Context<Env>): Answer | null => {
    const mchid = c.req.query('mchid');
    if (!mchid)
      return paramError({
        message: '缺少参数 mchid',
        detail: { field: 'mchid', value: null, issue: 'required', location: 'query' },
      });
    if (mchid !== c.get('mchId'))
      return { error: { status: 400, code: 'INVALID_REQUEST', message: 'mchid 与签名商户号不一致' } };
    return null;
  };
  app.get(
    '/v3/pay/transactions/out-trade-no/:no',
    handle('query', async (c) => {
      const bad = mchidQuery(c);
      if (bad) return bad;
      const trade = await book.findTrade(tradeKey(c.get('mchId'), c.req.param('no')!));
      return trade
        ? { status: 200, body: transactionView(trade) }
        : { error: { status: 404, code: 'ORDER_NOT_EXIST', message: '订单不存在' } };
    }),
  );
  app.get(
    '/v3/pay/transactions/id/:id',
    handle('query', async (c) => {
      const bad = mchidQuery(c);
      if (bad) return bad;
      const trade = await book.findByTransactionId(c.req.param('id')!);
      return trade && trade.mchid === c.get('mchId')
        ? { status: 200, body: transactionView(trade) }
        : { error: { status: 404, code: 'ORDER_NOT_EXIST', message: '订单不存在' } };
    }),
  );
  app.post(
    '/v3/pay/transactions/out-trade-no/:no/close',
    handle('close', async (c) => {
      const p = parseBody(closeSchema, c.get('rawBody'));
      if (!p.ok) return paramError(p);
      if (p.value.mchid !== c.get('mchId'))
        return { error: { status: 400, code: 'INVALID_REQUEST', message: 'mchid 与签名商户号不一致' } };
      return answer(await book.close(tradeKey(p.value.mchid, c.req.param('no')!)), () => null, 204);
    }),
  );
  app.post(
    '/v3/refund/domestic/refunds',
    handle('refund', async (c) => {
      const p = parseBody(refundSchema, c.get('rawBody'));
      if (!p.ok) return paramError(p);
      return answer(await book.createRefund(c.get('mchId'), p.value), refundView);
    }),
  );
  app.get(
    '/v3/refund/domestic/refunds/:no',
    handle('refund_query', async (c) => {
      const r = await book.getRefund(c.get('mchId'), c.req.param('no')!);
      return r
        ? { status: 200, body: refundView(r) }
        : { error: { status: 404, code: 'RESOURCE_NOT_EXISTS', message: '退款单不存在' } };
    }),
  );
  app.get(
    '/v3/certificates',
    handle('certificates', async () => {
      // A public-key-only merchant has no platform certificate: the real answer, captured in wechatpay-java#306.
      if (deps.platform.state === 'public_key')
        return {
          error: {
            status: 404,
            code: 'RESOURCE_NOT_EXISTS',
            message:
              '无可用的平台证书，请在商户平台-API安全申请使用微信支付公钥。可查看指引https://pay.weixin.qq.com/docs/merchant/products/platform-certificate/wxp-pub-key-guide.html',
          },
        };
      return {
        status: 200,
        body: {
          data: deps.platform.certificates().map((cert) => ({
            serial_no: cert.serial,
            effective_time: wireTime(new Date(cert.effectiveAt)),
            expire_time: wireTime(new Date(cert.expireAt)),
            // AEAD_AES_256_GCM with the APIv3 key, associated_data "certificate" (download-certificates doc).
            encrypt_certificate: {
              algorithm: 'AEAD_AES_256_GCM',
              associated_data: 'certificate',
              ...crypto.encrypt(cert.cert, 'certificate'),
            },
          })),
        },
      };
    }),
  );
  app.get(
    '/v3/bill/tradebill',
    handle('tradebill', async (c) => deps.bill.tradeBill(c.get('mchId'), new URL(c.req.url).searchParams)),
  );
  app.get(
    '/v3/bill/fundflowbill',
    handle('fundflowbill', async (c) => deps.bill.fundFlowBill(c.get('mchId'), new URL(c.req.url).searchParams)),
  );
  app.get('/v3/billdownload/file', async (c) => {
    const fault = faults.takeCallFault('billdownload');
    if (fault === 'error') return wireError({ status: 500, code: 'SYSTEM_ERROR', message: '系统错误' });
    return deps.bill.download(c.get('mchId'), new URL(c.req.url).searchParams);
  });
  app.all('/v3/*', () => wireError({ status: 404, code: 'NOT_FOUND', message: 'no such API in the sandbox' }));
  return app;
}
