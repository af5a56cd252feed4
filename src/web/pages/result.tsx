import type { OrderRow } from '../../orders/order.ts';
import type { PaymentRow } from '../../payments/payment.ts';
import { money, time } from '../format.ts';
import { Layout } from '../layout.tsx';
import type { Web } from '../web-context.ts';

export type Outcome = 'succeeded' | 'pending' | 'failed' | 'closed';

/** Where a paid order's money came from, or, for an unpaid one, the attempt the customer came back from. */
export function outcomeOf(order: OrderRow, payment: PaymentRow | undefined): Outcome {
  if (order.status !== 'pending_payment' && order.status !== 'closed') return 'succeeded';
  if (order.status === 'closed') return 'closed';
  return payment?.status === 'pending' ? 'pending' : 'failed';
}

/** Success or failure, what happened, and what to do next. A pending outcome refreshes itself. */
export function ResultPage({
  web,
  order,
  payment,
  outcome,
}: {
  web: Web;
  order: OrderRow;
  payment: PaymentRow | undefined;
  outcome: Outcome;
}) {
  const vars = {
    orderNo: order.order_no,
    amount: money(order.paid_amount || order.amount, order.currency, web.lang),
    method: payment ? web.method(payment.method) : '',
  };
  const title = {
    succeeded: web.m.result.successTitle,
    pending: web.m.result.pendingTitle,
    failed: web.m.result.failedTitle,
    closed: web.m.result.closedTitle,
  }[outcome];
  return (
    <Layout web={web} title={title} refreshSeconds={outcome === 'pending' ? 3 : undefined}>
      <div data-outcome={outcome}>
        {outcome === 'succeeded' ? (
          <>
            <p class="notice ok" role="status">
              {web.t((m) => m.result.success, vars)}
            </p>
            <p>{web.m.result.successNext}</p>
            <a class="button" href={web.href('/orders')}>
              {web.m.result.seeOrders}
            </a>
            <a class="button secondary" href={web.href('/')}>
              {web.m.result.backToShop}
            </a>
          </>
        ) : outcome === 'pending' ? (
          <p class="notice info" role="status">
            {web.m.result.pending}
          </p>
        ) : outcome === 'failed' ? (
          <>
            <p class="notice bad" role="alert">
              {web.t((m) => m.result.failed, vars)}
            </p>
            <p>{web.t((m) => m.result.failedNext, { time: time(order.expires_at, web.lang) })}</p>
            <a class="button" href={web.href(`/checkout/${order.order_no}`)}>
              {web.m.result.payAgain}
            </a>
          </>
        ) : (
          <>
            <p class="notice bad" role="alert">
              {web.t((m) => m.result.closed, vars)}
            </p>
            <p>{web.m.result.closedNext}</p>
            <a class="button" href={web.href('/')}>
              {web.m.result.backToShop}
            </a>
          </>
        )}
      </div>
    </Layout>
  );
}
