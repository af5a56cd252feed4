import type { orderDetail } from '../../orders/order.view.ts';
import { money, time } from '../format.ts';
import { CsrfField, ErrorNotice, Layout } from '../layout.tsx';
import type { Web } from '../web-context.ts';

type OrderDetail = Awaited<ReturnType<typeof orderDetail>>;
type RefundSummary = { refundNo: string; status: string; amount: number; currency: string };

/** The customer's orders with status, a short history and what can be done next. */
export function OrdersPage({ web, orders, error }: { web: Web; orders: OrderDetail[]; error?: string | undefined }) {
  return (
    <Layout web={web} title={web.m.orders.title}>
      <ErrorNotice text={error} />
      {orders.length === 0 ? <p>{web.m.orders.none}</p> : null}
      {orders.map((o) => (
        <section class="card" data-order={o.orderNo} aria-labelledby={`o-${o.orderNo}`}>
          <h2 id={`o-${o.orderNo}`}>{web.t((m) => m.orders.order, { orderNo: o.orderNo })}</h2>
          <p>
            <strong class="order-status">{web.status(o.status)}</strong> · {money(o.amount, o.currency, web.lang)}
          </p>
          <p class="muted">{o.items.map((i) => `${i.name} × ${i.quantity}`).join(', ')}</p>
          <h3 class="muted" style="font-size:1rem;margin:.5rem 0 .25rem">
            {web.m.orders.history}
          </h3>
          <ul>
            <li>{web.t((m) => m.orders.created, { time: time(o.createdAt, web.lang) })}</li>
            {o.paidAt ? <li>{web.t((m) => m.orders.paid, { time: time(o.paidAt, web.lang) })}</li> : null}
            {o.closedAt ? <li>{web.t((m) => m.orders.closed, { time: time(o.closedAt, web.lang) })}</li> : null}
            {(o.refunds as RefundSummary[]).map((r) => (
              <li>
                <a href={web.href(`/refunds/${r.refundNo}`)}>
                  {web.t((m) => m.orders.refund, {
                    refundNo: r.refundNo,
                    amount: money(r.amount, r.currency, web.lang),
                    status: web.status(r.status),
                  })}
                </a>
              </li>
            ))}
          </ul>
          {o.status === 'pending_payment' ? (
            <form method="post" action={web.href(`/orders/${o.orderNo}/cancel`)}>
              <a class="button" href={web.href(`/checkout/${o.orderNo}`)}>
                {web.m.orders.pay}
              </a>{' '}
              <CsrfField web={web} />
              <button type="submit" class="secondary">
                {web.m.orders.cancel}
              </button>
            </form>
          ) : null}
          {o.status === 'paid' || o.status === 'partially_refunded' ? (
            <a class="button secondary" href={web.href(`/orders/${o.orderNo}/refund`)}>
              {web.m.orders.askRefund}
            </a>
          ) : null}
        </section>
      ))}
    </Layout>
  );
}
