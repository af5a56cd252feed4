import { createRoute, z } from '@hono/zod-openapi';
import { requireStaff } from '../http/auth.ts';
import { clientIp } from '../http/client-ip.ts';
import { errorResponses, newRouter } from '../http/env.ts';
import { lineText } from '../lib/text.ts';
import { OrderNoParam } from '../orders/orders.routes.ts';
import { paymentView } from './payment.ts';
import type { PaymentCodeService } from './payment-code.service.ts';

/**
 * Face-to-face pay is a staff action (docs/channels/alipay-face-to-face.md): the cashier scans the buyer's payment code
 * for an order. Staff only; as every API call that changes state, a cookie-authenticated one must be same-origin JSON.
 */
export function paymentCodeRoutes(deps: { paymentCodes: PaymentCodeService }) {
  const router = newRouter();
  router.use('/admin/orders/:orderNo/payment-code', async (c, next) => {
    // The role before the body: someone who may not take payments learns nothing about what the call needs.
    requireStaff(c);
    await next();
  });
  return router.openapi(
    createRoute({
      method: 'post',
      path: '/admin/orders/{orderNo}/payment-code',
      tags: ['payments'],
      summary: "Staff: take the order's payment with the buyer's payment code (face-to-face)",
      request: {
        params: OrderNoParam,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({
                method: lineText().max(32),
                // Digits as the scanner types them; the provider's own shape is checked next (invalid_payment_code).
                authCode: lineText().max(64),
              }),
            },
          },
        },
      },
      responses: {
        201: {
          description: 'The attempt: paid, or waiting for the buyer (action.state) until action.waitUntil',
          content: {
            'application/json': {
              schema: z.object({
                paymentNo: z.string(),
                method: z.string(),
                channel: z.string(),
                status: z.string(),
                amount: z.number().int(),
                currency: z.string(),
                action: z.unknown(),
                createdAt: z.string(),
                succeededAt: z.string().nullable(),
              }),
            },
          },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const staff = requireStaff(c);
      const { method, authCode } = c.req.valid('json');
      const attempt = await deps.paymentCodes.scan(
        staff,
        c.req.valid('param').orderNo,
        method,
        authCode.trim(),
        clientIp(c),
      );
      return c.json(paymentView(attempt), 201);
    },
  );
}
