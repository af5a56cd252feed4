import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Faults } from '../shared/faults.ts';
import { MERCHANT_STATES, type Platform } from './platform.ts';
import { refundView, tradeKey, transactionView } from './records.ts';
import type { Bills } from './bill.ts';
import { TRADE_BILL_FORMATS } from './trade-bill.ts';
import type { Outcome, TradeBook } from './trades.ts';

/**
 * out_trade_no and out_refund_no as WeChat allows them (docs/protocols/wechatpay.md#orders,
 * docs/protocols/wechatpay.md#refunds); anything else cannot name a record.
 */
const PAYMENT_NO = /^[A-Za-z0-9_\-*|]{6,32}$/;
const REFUND_NO = /^[A-Za-z0-9_\-*|@]{1,64}$/;

const faultsSchema = z
  .object({
    call: z
      .object({
        fault: z.enum(['error', 'timeout']),
        api: z
          .string()
          .regex(/^[a-z_]{1,32}$/)
          .optional(),
        times: z.number().int().min(1).max(1000).default(1),
      })
      .strict()
      .optional(),
    notifications: z
      .object({
        fault: z.enum(['drop', 'duplicate', 'delay']),
        delayMs: z.number().int().min(0).max(3_600_000).default(5000),
        times: z.number().int().min(1).max(1000).default(1),
      })
      .strict()
      .optional(),
    clear: z.boolean().optional(),
  })
  .strict();
/** `{"coupon": 300}`: pay 3.00 of the order with a merchant-funded coupon (bills then differ: 订单金额 vs 应结订单金额). */
const paySchema = z.object({ coupon: z.number().int().min(1).optional() }).strict();
const settleSchema = z.object({ outcome: z.enum(['succeeded', 'failed']).default('succeeded') }).strict();
const stateSchema = z.object({ state: z.enum(MERCHANT_STATES) }).strict();
const billFormatSchema = z.object({ format: z.enum(TRADE_BILL_FORMATS) }).strict();

const bad = (c: Context, error: string, message: string) => c.json({ error, message }, 400);
/** An empty body is `{}`; a body that is not JSON is refused, not taken as `{}`. */
async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return Symbol('not json');
  }
}
/** A sandbox refusal keeps the gateway's own status (404 for an unknown id) and code. */
const answer = <T>(c: Context, o: Outcome<T>, view: (v: T) => unknown) =>
  o.ok
    ? c.json(view(o.value) as object)
    : c.json({ error: o.error.code, message: o.error.message }, o.error.status as 400);

/**
 * The WeChat sandbox's `/_control` hooks, each validating what it is sent (docs/sandbox/wechatpay.md):
 * a malformed id or body is 400 `invalid_*`, an id the sandbox never issued 404.
 */
export function controlRoutes(deps: {
  book: TradeBook;
  platform: Platform;
  mchId: string;
  faults: Faults;
  bill: Bills;
}) {
  const { book, platform, mchId, faults, bill } = deps;
  const app = new Hono();
  const paymentNo = (c: Context) => {
    const no = c.req.param('paymentNo') ?? '';
    return PAYMENT_NO.test(no) ? no : null;
  };
  const refundNo = (c: Context) => {
    const no = c.req.param('refundNo') ?? '';
    return REFUND_NO.test(no) ? no : null;
  };

  app.post('/_control/pay/:paymentNo', async (c) => {
    const no = paymentNo(c);
    if (!no) return bad(c, 'invalid_payment_no', 'not an out_trade_no');
    const b = paySchema.safeParse(await jsonBody(c));
    if (!b.success) return bad(c, 'invalid_body', 'expected {} or {"coupon": fen}');
    return answer(c, await book.pay(tradeKey(mchId, no), b.data.coupon), transactionView);
  });
  app.post('/_control/fail/:paymentNo', async (c) => {
    const no = paymentNo(c);
    if (!no) return bad(c, 'invalid_payment_no', 'not an out_trade_no');
    return answer(c, await book.fail(tradeKey(mchId, no)), transactionView);
  });
  app.get('/_control/trades/:paymentNo', async (c) => {
    const no = paymentNo(c);
    if (!no) return bad(c, 'invalid_payment_no', 'not an out_trade_no');
    const t = await book.findTrade(tradeKey(mchId, no));
    if (!t) return c.json({ error: 'not_found', message: 'no such trade' }, 404);
    return c.json({ transaction: transactionView(t), refunds: (await book.refundsOf(t)).map(refundView) });
  });
  app.post('/_control/refunds/:refundNo', async (c) => {
    const no = refundNo(c);
    if (!no) return bad(c, 'invalid_refund_no', 'not an out_refund_no');
    const b = settleSchema.safeParse(await jsonBody(c));
    if (!b.success) return bad(c, 'invalid_body', 'expected {"outcome":"succeeded"|"failed"}');
    return answer(
      c,
      await book.settleRefund(mchId, no, b.data.outcome === 'succeeded' ? 'SUCCESS' : 'CLOSED'),
      refundView,
    );
  });
  // The not-final ABNORMAL refund (docs/protocols/wechatpay.md#refunds).
  app.post('/_control/refunds/:refundNo/abnormal', async (c) => {
    const no = refundNo(c);
    if (!no) return bad(c, 'invalid_refund_no', 'not an out_refund_no');
    return answer(c, await book.settleRefund(mchId, no, 'ABNORMAL'), refundView);
  });
  app.post('/_control/faults', async (c) => {
    const b = faultsSchema.safeParse(await jsonBody(c));
    if (!b.success)
      return bad(c, 'invalid_body', b.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    if (b.data.clear) faults.clear();
    if (b.data.call) faults.failNextCall(b.data.call.fault, b.data.call.api ?? null, b.data.call.times);
    const n = b.data.notifications;
    if (n) faults.nextNotifications(n.fault === 'delay' ? { delayMs: n.delayMs } : n.fault, n.times);
    return c.json({ ok: true });
  });

  // The trade bill layout: today's, or the early one without the settled and coupon columns (trade-bill.ts).
  app.get('/_control/bill-format', async (c) => c.json({ format: await bill.format(mchId) }));
  app.post('/_control/bill-format', async (c) => {
    const b = billFormatSchema.safeParse(await jsonBody(c));
    if (!b.success)
      return bad(c, 'invalid_body', `expected {"format": ${TRADE_BILL_FORMATS.map((f) => `"${f}"`).join('|')}}`);
    await bill.setFormat(mchId, b.data.format);
    return c.json({ format: b.data.format });
  });

  // The merchant's verification state and the platform certificate rotation (platform.ts).
  app.get('/_control/platform', (c) =>
    c.json({
      state: platform.state,
      certificates: platform
        .certificates()
        .map(({ serial, effectiveAt, expireAt }) => ({ serial, effectiveAt, expireAt })),
    }),
  );
  app.post('/_control/platform/state', async (c) => {
    const b = stateSchema.safeParse(await jsonBody(c));
    if (!b.success)
      return bad(c, 'invalid_body', `expected {"state": ${MERCHANT_STATES.map((s) => `"${s}"`).join('|')}}`);
    await platform.setState(b.data.state);
    return c.json({ state: platform.state });
  });
  app.post('/_control/platform/rotate', async (c) => {
    if (platform.state === 'public_key')
      return c.json(
        { error: 'no_certificates', message: 'a public-key-only merchant has no certificate to rotate' },
        409,
      );
    const fresh = await platform.rotate();
    return c.json({ serial: fresh.serial, certificates: platform.certificates().map((x) => x.serial) });
  });
  return app;
}
