import { Hono, type Context } from 'hono';
import QRCode from 'qrcode';
import { clientIp } from '../http/client-ip.ts';
import { AppError } from '../lib/errors.ts';
import { needsNewAttempt } from '../payments/action-expiry.ts';
import { findPaymentWithOrder, listPaymentsOfOrder } from '../payments/payments.repository.ts';
import { errorText } from './error-page.tsx';
import { JSAPI_PAY_SCRIPT } from './jsapi-pay.ts';
import { pageChannels } from './browser-channels.ts';
import { CheckoutPage } from './pages/checkout.tsx';
import { csrfOfState, payerAuthorizeUrl } from './payer-oauth.ts';
import { deviceOf } from './pick-channel.ts';
import { formAllowances, pageCsp } from './security-headers.ts';
import { PayPage } from './pages/pay.tsx';
import { outcomeOf, ResultPage } from './pages/result.tsx';
import { orderSummaryOf } from './shop.service.ts';
import { loadWeb, needCustomer, needUser, type Web } from './web-context.ts';
import type { WebDeps } from './web-deps.ts';

/** Choosing a method, paying, and the result. */
export function paymentRoutes(deps: WebDeps) {
  const app = new Hono();
  const methods = () =>
    Object.values(deps.providers).map((p) => ({ method: p.method, channels: pageChannels(p.method, p.channels) }));
  const secondsUntil = (at: Date) =>
    Math.max(0, Math.floor((new Date(at).getTime() - deps.clock.now().getTime()) / 1000));
  const checkout = async (c: Context, web: Web, orderNo: string, error?: string) => {
    const order = await deps.orders.getOwn(needCustomer(web), orderNo);
    return CheckoutPage({
      web,
      order,
      summary: await orderSummaryOf(deps.db, order, web.lang),
      methods: methods(),
      device: deviceOf(c.req.header('user-agent')),
      secondsLeft: secondsUntil(order.expires_at),
      error,
    });
  };

  app.get('/checkout/:orderNo', async (c) => c.html(await checkout(c, await loadWeb(c, deps), c.req.param('orderNo'))));

  /** Starts (or picks up) an attempt and sends the browser to its pay page; a refusal shows on the checkout page. */
  const startPayment = async (
    c: Context,
    web: Web,
    orderNo: string,
    method: string,
    channel: string,
    code?: string,
  ) => {
    const user = needCustomer(web);
    try {
      if (pageChannels(method, [channel]).length === 0)
        throw new AppError('channel_not_supported', `${channel} is paid from an app, not from this page`);
      const attempt = await deps.payments.create(user, orderNo, method, channel, clientIp(c), { code });
      return c.redirect(web.href(`/pay/${attempt.payment_no}`), 303);
    } catch (err) {
      if (
        !(err instanceof AppError) ||
        (err.status >= 500 && err.code !== 'provider_error' && err.code !== 'provider_unavailable')
      )
        throw err;
      return c.html(await checkout(c, web, orderNo, errorText(web, err)), err.status as 409);
    }
  };

  app.post('/checkout/:orderNo', async (c) => {
    const web = await loadWeb(c, deps);
    const form = await c.req.parseBody();
    web.checkCsrf(form);
    needCustomer(web);
    const orderNo = c.req.param('orderNo');
    const [method, channel] = [String(form.method ?? ''), String(form.channel ?? '')];
    // JSAPI first learns who pays, through WeChat's OAuth page (payer-oauth.ts).
    const origin = deps.publicUrl ?? new URL(c.req.url).origin;
    const authorize = payerAuthorizeUrl(deps.providers, { origin, orderNo, method, channel, csrfToken: web.csrfToken });
    if (authorize) return c.redirect(authorize, 303);
    return startPayment(c, web, orderNo, method, channel);
  });

  app.get('/checkout/:orderNo/payer/:method/:channel', async (c) => {
    const web = await loadWeb(c, deps);
    web.checkCsrf({ _csrf: csrfOfState(c.req.query('state') ?? '') });
    const { orderNo, method, channel } = c.req.param();
    return startPayment(c, web, orderNo, method, channel, c.req.query('code') ?? '');
  });

  app.get('/pay/:paymentNo', async (c) => {
    const web = await loadWeb(c, deps);
    const user = needUser(web);
    const found = await findPaymentWithOrder(deps.db, c.req.param('paymentNo'));
    if (!found || found.order_user_id !== user.id) throw new AppError('payment_not_found', 'payment not found');
    // Nothing left to pay here: the result page says what happened.
    if (found.status !== 'pending' || found.order_status !== 'pending_payment') {
      return c.redirect(web.href(`/orders/${found.order_no}/result?paymentNo=${found.payment_no}`), 303);
    }
    // Back after a signed form went stale (UnionPay's txnTime): a new attempt with its own orderId and txnTime,
    // never the old form again (docs/protocols/unionpay.md#times).
    if (needsNewAttempt(found.action, deps.clock.now()))
      return startPayment(c, web, found.order_no, found.method, found.channel);
    // A customer back after the link died (WeChat's h5_url: 5 minutes) gets a fresh one, never a dead one.
    const payment = { ...found, action: await deps.payments.currentAction(found) };
    const qrSvg =
      payment.action?.type === 'qr'
        ? await QRCode.toString(payment.action.content, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })
        : undefined;
    const secondsLeft = secondsUntil(payment.order_expires_at);
    const order = await deps.orders.find(payment.order_no);
    if (!order) throw new AppError('order_not_found', 'order not found');
    // A provider's form posts to its gateway and submits itself: the page's policy allows exactly that.
    if (payment.action?.type === 'form')
      c.header('Content-Security-Policy', pageCsp(formAllowances(payment.action.html)));
    if (payment.action?.type === 'jsapi') c.header('Content-Security-Policy', pageCsp({ scripts: [JSAPI_PAY_SCRIPT] }));
    return c.html(
      PayPage({
        web,
        payment,
        summary: await orderSummaryOf(deps.db, order, web.lang),
        qrSvg,
        secondsLeft,
        pollIntervalMs: deps.pollIntervalMs,
      }),
    );
  });

  app.get('/orders/:orderNo/result', async (c) => {
    const web = await loadWeb(c, deps);
    const user = needUser(web);
    const order = await deps.orders.getVisible(user, c.req.param('orderNo'));
    const wanted = c.req.query('paymentNo');
    const payments = await listPaymentsOfOrder(deps.db, order.id);
    let payment =
      payments.find((p) => p.status === 'succeeded' && !p.surplus) ??
      (wanted ? payments.find((p) => p.payment_no === wanted) : payments.at(-1));
    const newer = (p: typeof payment) => !!p && payments.some((q) => q.id > p.id);
    let outcome = outcomeOf(order, payment, newer(payment));
    if (outcome === 'pending' && payment) {
      // Back from the cashier before the provider's notification: ask it, as the return URL does.
      const settled = await deps.payments.settleOnReturn(payment.payment_no);
      if (settled && settled.status !== 'pending') {
        payment = settled;
        outcome = outcomeOf((await deps.orders.find(order.order_no)) ?? order, settled, newer(settled));
      }
    }
    // The customer's own cashier declined this try (a signed return said so): show the failure and the way to
    // pay again, though the attempt stays pending at the provider until its deadline. Page text only.
    if (outcome === 'pending' && c.req.query('declined') === '1' && payment?.payment_no === wanted) outcome = 'failed';
    const now = (await deps.orders.find(order.order_no)) ?? order;
    return c.html(
      ResultPage({ web, order: now, payment, outcome, summary: await orderSummaryOf(deps.db, now, web.lang) }),
    );
  });

  return app;
}
