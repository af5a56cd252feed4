import { Hono } from 'hono';
import { currentAlerts } from '../alerts/alerts.ts';
import { AppError } from '../lib/errors.ts';
import { findPaymentWithOrder } from '../payments/payments.repository.ts';
import { errorText } from './error-page.tsx';
import { ConsolePaymentCodePage } from './pages/console-payment-code.tsx';
import { loadWeb, needStaff, type Web } from './web-context.ts';
import type { WebDeps } from './web-deps.ts';

/**
 * The till (docs/channels/alipay-face-to-face.md): staff take an order's payment by the buyer's payment code, through
 * the same service as POST /api/admin/orders/{orderNo}/payment-code, and see it paid, waiting or cancelled.
 */
export function consolePaymentCodeRoutes(deps: WebDeps) {
  const app = new Hono();
  const methods = () => Object.values(deps.providers).flatMap((p) => (p.acceptsPaymentCode ? [p.method] : []));

  const page = async (web: Web, extra: { paymentNo?: string; orderNo?: string; error?: string } = {}) => {
    const payment = extra.paymentNo ? await findPaymentWithOrder(deps.db, extra.paymentNo) : undefined;
    return ConsolePaymentCodePage({
      web,
      alerts: await currentAlerts(deps.db, deps.clock),
      methods: methods(),
      payment: payment?.channel === 'barcode' ? payment : undefined,
      ...(extra.orderNo ? { orderNo: extra.orderNo } : {}),
      ...(extra.error ? { error: extra.error } : {}),
    });
  };

  app.get('/console/payment-code', async (c) => {
    const web = await loadWeb(c, deps);
    needStaff(web);
    const paymentNo = c.req.query('paymentNo');
    return c.html(await page(web, paymentNo && /^[A-Za-z0-9_]{1,64}$/.test(paymentNo) ? { paymentNo } : {}));
  });

  app.post('/console/payment-code', async (c) => {
    const web = await loadWeb(c, deps);
    const form = await c.req.parseBody();
    web.checkCsrf(form);
    const staff = needStaff(web);
    const orderNo = String(form.orderNo ?? '')
      .trim()
      .slice(0, 32);
    const method = String(form.method ?? '').slice(0, 32);
    const authCode = String(form.authCode ?? '')
      .trim()
      .slice(0, 64);
    if (!deps.paymentCodes) throw new AppError('not_found', 'payment codes are not offered');
    try {
      if (!/^[A-Za-z0-9]{8,32}$/.test(orderNo)) throw new AppError('order_not_found', 'order not found');
      const attempt = await deps.paymentCodes.scan(staff, orderNo, method, authCode, '127.0.0.1');
      return c.redirect(web.href(`/console/payment-code?paymentNo=${encodeURIComponent(attempt.payment_no)}`), 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return c.html(await page(web, { orderNo, error: errorText(web, err) }), err.status as 422);
    }
  });

  return app;
}
