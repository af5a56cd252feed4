import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import { AppError } from '../lib/errors.ts';
import { fromYuanString } from '../lib/money.ts';
import { cancelOwnOrder } from '../orders/cancel-order.ts';
import { orderDetail } from '../orders/order.view.ts';
import type { OrderRow } from '../orders/order.ts';
import { refundDetail, refundsOfOrder } from '../refunds/refund.view.ts';
import { paymentsOfOrder } from '../payments/payment.view.ts';
import { findPaymentById } from '../payments/payments.repository.ts';
import { findRefundWithOrder, heldAmount } from '../refunds/refunds.repository.ts';
import { errorText } from './error-page.tsx';
import { CancelConfirmPage, OrdersPage } from './pages/orders.tsx';
import { orderSummaryOf } from './shop.service.ts';
import { RefundFormPage } from './pages/refund-form.tsx';
import { RefundPage } from './pages/refund.tsx';
import { loadWeb, needCustomer, needUser, type Web } from './web-context.ts';
import type { WebDeps } from './web-deps.ts';
import { isStaff, type User } from '../accounts/accounts.ts';

/** The customer's orders, the refund form and a refund's progress. */
export function ordersRoutes(deps: WebDeps) {
  const app = new Hono();

  const ordersPage = async (web: Web, user: User, error?: string) => {
    const orders = await deps.orders.list(user, 50);
    return OrdersPage({
      web,
      orders: await Promise.all(
        orders.map(async (row) => ({
          row,
          detail: await orderDetail(deps.db, row, { paymentsOf: paymentsOfOrder, refundsOf: refundsOfOrder }),
          summary: await orderSummaryOf(deps.db, row, web.lang),
        })),
      ),
      error,
    });
  };

  app.get('/orders', async (c) => {
    const web = await loadWeb(c, deps);
    return c.html(await ordersPage(web, needCustomer(web)));
  });

  app.get('/orders/:orderNo/cancel', async (c) => {
    const web = await loadWeb(c, deps);
    const order = await deps.orders.getOwn(needCustomer(web), c.req.param('orderNo'));
    if (order.status !== 'pending_payment') return c.redirect(web.href('/orders'), 303);
    return c.html(CancelConfirmPage({ web, order, summary: await orderSummaryOf(deps.db, order, web.lang) }));
  });

  app.post('/orders/:orderNo/cancel', async (c) => {
    const web = await loadWeb(c, deps);
    web.checkCsrf(await c.req.parseBody());
    const user = needCustomer(web);
    try {
      await cancelOwnOrder(deps, user, c.req.param('orderNo'));
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return c.html(await ordersPage(web, user, errorText(web, err)), err.status as 409);
    }
    return c.redirect(web.href('/orders'), 303);
  });

  const refundForm = async (
    web: Web,
    order: OrderRow,
    extra: { error?: string; reasonError?: string; amountError?: string; reason?: string; amount?: string } = {},
  ) => {
    const held = Number((await heldAmount(deps.db, order.id)).held);
    const refundable = Math.max(0, order.paid_amount - order.refunded_amount - held);
    const summary = await orderSummaryOf(deps.db, order, web.lang);
    return RefundFormPage({ web, order, summary, held, refundable, formKey: randomUUID(), ...extra });
  };

  app.get('/orders/:orderNo/refund', async (c) => {
    const web = await loadWeb(c, deps);
    return c.html(await refundForm(web, await deps.orders.getOwn(needCustomer(web), c.req.param('orderNo'))));
  });

  app.post('/orders/:orderNo/refund', async (c) => {
    const web = await loadWeb(c, deps);
    const form = await c.req.parseBody();
    web.checkCsrf(form);
    const user = needCustomer(web);
    const order = await deps.orders.getOwn(user, c.req.param('orderNo'));
    const reason = String(form.reason ?? '').trim();
    const amountText = String(form.amount ?? '')
      .trim()
      .replace(',', '.');
    const amount = amountText === '' ? undefined : fromYuanString(amountText);
    if (amount === null || !reason) {
      return c.html(
        await refundForm(web, order, {
          // Each problem is said beside its field (a reason of only spaces is no reason).
          amountError: amount === null ? web.m.refundForm.badAmount : undefined,
          reasonError: reason ? undefined : web.m.refundForm.reasonMissing,
          reason,
          amount: amountText,
        }),
        422,
      );
    }
    try {
      const res = await deps.refunds.apply(
        user,
        order.order_no,
        { amount, reason: reason.slice(0, 500) },
        typeof form.formKey === 'string' ? form.formKey : undefined,
      );
      return c.redirect(web.href(`/refunds/${(res.body as { refundNo: string }).refundNo}`), 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return c.html(
        await refundForm(web, order, {
          ...(err.code === 'amount_exceeds_refundable' || err.code === 'invalid_amount'
            ? { amountError: errorText(web, err, { currency: order.currency }) }
            : { error: errorText(web, err, { currency: order.currency }) }),
          reason,
          amount: amountText,
        }),
        err.status as 422,
      );
    }
  });

  app.get('/refunds/:refundNo', async (c) => {
    const web = await loadWeb(c, deps);
    const user = needUser(web);
    const refund = await findRefundWithOrder(deps.db, c.req.param('refundNo'));
    if (!refund || (refund.order_user_id !== user.id && !isStaff(user)))
      throw new AppError('refund_not_found', 'refund not found');
    const payment = await findPaymentById(deps.db, refund.payment_id);
    const order = await deps.orders.find(refund.order_no);
    if (!order) throw new AppError('order_not_found', 'order not found');
    return c.html(
      RefundPage({
        web,
        refund: await refundDetail(deps.db, refund),
        method: payment?.method ?? '',
        summary: await orderSummaryOf(deps.db, order, web.lang),
      }),
    );
  });

  return app;
}
