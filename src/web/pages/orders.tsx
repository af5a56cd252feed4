import type { orderDetail } from '../../orders/order.view.ts';
import type { OrderRow } from '../../orders/order.ts';
import { money, time } from '../format.ts';
import { CsrfField, ErrorNotice, Layout } from '../layout.tsx';
import { OrderSummary } from '../order-summary.tsx';
import type { OrderSummaryData } from '../shop.service.ts';
import type { Web } from '../web-context.ts';
import { orderWord, refundWord } from './status-words.tsx';

type OrderDetail = Awaited<ReturnType<typeof orderDetail>>;
type RefundSummary = { refundNo: string; status: string; amount: number; currency: string };

export interface OrderCard {
  detail: OrderDetail;
  row: OrderRow;
  summary: OrderSummaryData;
}

/** The customer's orders with what was bought, status, a short history and what can be done next. */
export function OrdersPage({ web, orders, error }: { web: Web; orders: OrderCard[]; error?: string | undefined }) {
  return (
    <Layout web={web} title={web.m.orders.title}>
      <ErrorNotice text={error} />
      {orders.length === 0 ? <p>{web.m.orders.none}</p> : null}
      {orders.map(({ detail: o, row, summary }) => (
        <section
          class="card"
          id={`o-${o.orderNo}`}
          data-order={o.orderNo}
          aria-label={web.t((m) => m.orders.order, { time: time(o.createdAt, web.lang) })}
        >
          <h2>{web.t((m) => m.orders.order, { time: time(o.createdAt, web.lang) })}</h2>
          <p>
            <strong class="order-status" data-status={o.status}>
              {orderWord(web, row)}
            </strong>
          </p>
          <OrderSummary web={web} summary={summary} />
          <h3 class="muted" style="font-size:1rem;margin:.5rem 0 .25rem">
            {web.m.orders.history}
          </h3>
          <ul>
            <li>{web.t((m) => m.orders.created, { time: time(o.createdAt, web.lang) })}</li>
            {o.paidAt ? <li>{web.t((m) => m.orders.paid, { time: time(o.paidAt, web.lang) })}</li> : null}
            {o.closedAt ? (
              <li>
                {orderWord(web, row)} · {time(o.closedAt, web.lang)}
              </li>
            ) : null}
            {(o.refunds as RefundSummary[]).map((r) => (
              <li>
                <a href={web.href(`/refunds/${r.refundNo}`)}>
                  {web.t((m) => m.orders.refund, {
                    amount: money(r.amount, r.currency, web.lang),
                    status: refundWord(web, r.status),
                  })}
                </a>
              </li>
            ))}
          </ul>
          {o.status === 'pending_payment' ? (
            <p>
              <a class="button" href={web.href(`/checkout/${o.orderNo}`)}>
                {web.m.orders.pay}
              </a>
              <a class="button secondary" href={web.href(`/orders/${o.orderNo}/cancel`)} data-cancel={o.orderNo}>
                {web.m.orders.cancel}
              </a>
            </p>
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

/** Cancelling asks first: what would be cancelled, and two plain choices. */
export function CancelConfirmPage({ web, order, summary }: { web: Web; order: OrderRow; summary: OrderSummaryData }) {
  return (
    <Layout web={web} title={web.m.orders.cancelTitle}>
      <p>{web.m.orders.cancelQuestion}</p>
      <OrderSummary web={web} summary={summary} />
      <form method="post" action={web.href(`/orders/${order.order_no}/cancel`)}>
        <CsrfField web={web} />
        <button type="submit" class="danger" id="confirm-cancel">
          {web.m.orders.cancelYes}
        </button>
        <a class="button secondary" href={web.href('/orders')}>
          {web.m.orders.cancelNo}
        </a>
      </form>
    </Layout>
  );
}
