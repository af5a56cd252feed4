import { z } from 'zod';

/**
 * Request bodies the sandbox accepts (docs/protocols/wechatpay.md#orders, docs/protocols/wechatpay.md#refunds).
 * Anything outside them is a 400 PARAM_ERROR whose `detail` names the field, the way WeChat's `detail: {field, value,
 * issue, location}` does.
 */
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/;
const notifyUrl = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => {
      try {
        const u = new URL(v);
        return (u.protocol === 'https:' || u.protocol === 'http:') && !u.search && !v.includes('?');
      } catch {
        return false;
      }
    }, 'must be an http(s) URL without a query');
const int = (min: number) => z.number().int().min(min).max(Number.MAX_SAFE_INTEGER);

export const orderSchema = z.object({
  appid: z.string().min(1).max(32),
  mchid: z.string().min(1).max(32),
  description: z.string().min(1).max(127),
  // docs/protocols/wechatpay.md#u13: the sandbox accepts `|` as the wider spelling of the rule does.
  out_trade_no: z.string().regex(/^[A-Za-z0-9_\-|*]{6,32}$/, 'must be 6-32 of letters, digits, _-|*'),
  time_expire: z.string().regex(rfc3339, 'must be RFC 3339 with an offset').optional(),
  attach: z.string().max(128).optional(),
  notify_url: notifyUrl(255),
  goods_tag: z.string().max(32).optional(),
  support_fapiao: z.boolean().optional(),
  amount: z.object({ total: int(1), currency: z.literal('CNY').optional() }),
  scene_info: z
    .object({
      payer_client_ip: z.string().min(1).max(45),
      device_id: z.string().max(32).optional(),
      h5_info: z.object({ type: z.string().min(1).max(32) }).optional(),
    })
    .optional(),
  /** JSAPI only (jsapiOrderSchema requires it); the other APIs do not take it. */
  payer: z.object({ openid: z.string().min(1).max(128) }).optional(),
});
export type OrderRequest = z.infer<typeof orderSchema>;

/** /v3/pay/transactions/jsapi: payer.openid is required (JSAPI下单 doc), for an official account or a mini-program. */
export const jsapiOrderSchema = orderSchema.extend({ payer: z.object({ openid: z.string().min(1).max(128) }) });

export const h5OrderSchema = orderSchema.extend({
  scene_info: z.object({
    payer_client_ip: z.string().min(1).max(45),
    device_id: z.string().max(32).optional(),
    h5_info: z.object({ type: z.string().min(1).max(32) }),
  }),
});

export const closeSchema = z.object({ mchid: z.string().min(1).max(32) });

export const refundSchema = z
  .object({
    transaction_id: z.string().min(1).max(32).optional(),
    out_trade_no: z.string().min(6).max(32).optional(),
    out_refund_no: z.string().regex(/^[0-9A-Za-z_\-|*@]{1,64}$/, 'must be 1-64 of letters, digits, _-|*@'),
    reason: z.string().max(80).optional(),
    notify_url: notifyUrl(256).optional(),
    funds_account: z.string().max(32).optional(),
    amount: z.object({ refund: int(1), total: int(1), currency: z.literal('CNY') }),
  })
  .refine((r) => r.transaction_id !== undefined || r.out_trade_no !== undefined, {
    message: 'transaction_id or out_trade_no is required',
    path: ['out_trade_no'],
  });
export type RefundRequest = z.infer<typeof refundSchema>;

export interface ParamDetail {
  field: string;
  value: unknown;
  issue: string;
  location: 'body' | 'query';
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; detail: ParamDetail };

export function parseBody<T>(schema: z.ZodType<T>, raw: string): Parsed<T> {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return {
      ok: false,
      message: '请求体不是合法的 JSON (body is not JSON)',
      detail: { field: '', value: null, issue: 'invalid JSON', location: 'body' },
    };
  }
  const r = schema.safeParse(json);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0]!;
  const field = issue.path.join('.');
  const value = issue.path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined),
    json,
  );
  return {
    ok: false,
    message: `输入源“/body/${field}”映射到值字段“${field}”${issue.message}`,
    detail: { field, value: value ?? null, issue: issue.message, location: 'body' },
  };
}
