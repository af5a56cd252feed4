import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../db/client.ts';
import { requireRole, requireUser } from '../http/auth.ts';
import { clientIp } from '../http/client-ip.ts';
import { errorResponses, newRouter } from '../http/env.ts';
import { isStaff } from '../accounts/accounts.ts';
import { AppError } from '../lib/errors.ts';
import { lineText } from '../lib/text.ts';
import type { Providers } from '../providers/registry.ts';
import { OrderNoParam } from '../orders/orders.routes.ts';
import { METHOD_NAMES, PAYMENT_STATUSES, paymentView } from './payment.ts';
import { findPaymentWithOrder } from './payments.repository.ts';
import type { PaymentsService } from './payments.service.ts';

const ActionSchema = z.union([
  z.object({ type: z.literal('qr'), content: z.string() }),
  z.object({ type: z.literal('redirect'), url: z.string(), expiresAt: z.string().optional() }),
  z.object({ type: z.literal('form'), html: z.string(), expiresAt: z.string().optional() }),
  // In-app channels: the parameters of the provider's client call, verbatim (docs/channels/).
  z.object({ type: z.enum(['jsapi', 'mini', 'app']), params: z.record(z.string(), z.string()) }),
  z.object({
    type: z.literal('payment_code'),
    state: z.enum(['paid', 'waiting']),
    waitUntil: z.string(),
  }),
  z.object({ type: z.literal('alipay_app'), orderString: z.string() }),
  z.object({ type: z.literal('alipay_trade_pay'), tradeNo: z.string() }),
  z.object({ type: z.literal('unionpay_app'), tn: z.string(), mode: z.enum(['00', '01']) }),
]);
const PaymentSchema = z
  .object({
    paymentNo: z.string(),
    method: z.string(),
    channel: z.string(),
    status: z.enum(PAYMENT_STATUSES),
    amount: z.number().int(),
    currency: z.string(),
    action: ActionSchema.nullable(),
    createdAt: z.string(),
    succeededAt: z.string().nullable(),
  })
  .openapi('Payment');

export function paymentsRoutes(deps: { db: Db; providers: Providers; payments: PaymentsService }) {
  return newRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/payment-methods',
        tags: ['payments'],
        summary: 'The enabled payment methods and their channels',
        responses: {
          200: {
            description: 'Methods',
            content: {
              'application/json': {
                schema: z.array(z.object({ method: z.string(), name: z.string(), channels: z.array(z.string()) })),
              },
            },
          },
        },
      }),
      (c) =>
        c.json(
          Object.values(deps.providers).map((p) => ({
            method: p.method,
            name: METHOD_NAMES[p.method],
            channels: [...p.channels],
          })),
          200,
        ),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/orders/{orderNo}/payments',
        tags: ['payments'],
        summary: 'Start paying an order: a QR code, a redirect or a form for the chosen method',
        request: {
          params: OrderNoParam,
          body: {
            required: true,
            content: {
              'application/json': {
                schema: z.object({
                  method: lineText().max(32),
                  channel: lineText().max(32),
                  /** WeChat JSAPI: the OAuth code; mini-program: wx.login's code (docs/channels/). */
                  code: z
                    .string()
                    .regex(/^[A-Za-z0-9_-]{1,128}$/)
                    .optional(),
                  /** Alipay jsapi: the buyer's Alipay user id. */
                  buyerId: lineText().max(32).optional(),
                }),
              },
            },
          },
        },
        responses: {
          201: { description: 'Attempt', content: { 'application/json': { schema: PaymentSchema } } },
          ...errorResponses,
        },
      }),
      async (c) => {
        const user = requireRole(c, 'customer');
        const { method, channel, code, buyerId } = c.req.valid('json');
        const orderNo = c.req.valid('param').orderNo;
        const attempt = await deps.payments.create(user, orderNo, method, channel, clientIp(c), { code, buyerId });
        return c.json(paymentView(attempt) as z.infer<typeof PaymentSchema>, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/payments/{paymentNo}',
        tags: ['payments'],
        summary: 'One attempt with its order status (the pay page polls this)',
        request: {
          params: z.object({
            paymentNo: lineText()
              .max(40)
              .openapi({ param: { name: 'paymentNo', in: 'path' } }),
          }),
        },
        responses: {
          200: {
            description: 'Attempt',
            content: {
              'application/json': {
                schema: PaymentSchema.extend({ orderNo: z.string(), orderStatus: z.string(), expiresAt: z.string() }),
              },
            },
          },
          ...errorResponses,
        },
      }),
      async (c) => {
        const user = requireUser(c);
        const p = await findPaymentWithOrder(deps.db, c.req.valid('param').paymentNo);
        if (!p || (p.order_user_id !== user.id && !isStaff(user)))
          throw new AppError('payment_not_found', 'payment not found');
        return c.json(
          {
            ...(paymentView(p) as z.infer<typeof PaymentSchema>),
            orderNo: p.order_no,
            orderStatus: p.order_status,
            expiresAt: p.order_expires_at.toISOString(),
          },
          200,
        );
      },
    );
}
