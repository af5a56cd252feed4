import type { OrderRow } from '../../orders/order.ts';
import type { PaymentRow } from '../../payments/payment.ts';
import { money, time } from '../format.ts';
import { Layout } from '../layout.tsx';
import { OrderSummary } from '../order-summary.tsx';
import type { OrderSummaryData } from '../shop.service.ts';
import type { Web } from '../web-context.ts';
import { orderWord } from './status-words.tsx';

export type Outcome = 'succeeded' | 'pending' | 'failed' | 'closed' | 'switched';

/**
 * Where a paid order's money came from, or, for an unpaid one, the attempt the customer came back from. An
 * attempt closed while its order is still open was replaced by another method, not refused.
 */
export function outcomeOf(order: OrderRow, payment: PaymentRow | undefined, newer = false): Outcome {
  if (order.status !== 'pending_payment' && order.status !== 'closed') return 'succeeded';
  if (order.status === 'closed') return 'closed';
  if (payment?.status === 'pending') return 'pending';
  return payment?.status === 'closed' && newer ? 'switched' : 'failed';
}

/** Success or failure, what was bought, and what to do next. A pending outcome updates in place. */
export function ResultPage({
  web,
  order,
  payment,
  outcome,
  summary,
}: {
  web: Web;
  order: OrderRow;
  payment: PaymentRow | undefined;
  outcome: Outcome;
  summary: OrderSummaryData;
}) {
  const vars = {
    amount: money(order.paid_amount || order.amount, order.currency, web.lang),
    method: payment ? web.method(payment.method) : '',
    why: orderWord(web, order),
  };
  const title = {
    succeeded: web.m.result.successTitle,
    pending: web.m.result.pendingTitle,
    failed: web.m.result.failedTitle,
    closed: web.m.result.closedTitle,
    switched: web.m.result.switchedTitle,
  }[outcome];
  return (
    <Layout web={web} title={title} progress={outcome === 'succeeded' ? 'done' : 'pay'}>
      <div
        data-outcome={outcome}
        data-live-url={outcome === 'pending' && payment ? `/api/payments/${payment.payment_no}` : undefined}
        data-live-state={payment ? `${payment.status}/${order.status}` : undefined}
        data-poll-ms="2000"
      >
        {outcome === 'succeeded' ? (
          <>
            <p class="notice ok" role="status">
              {web.t((m) => m.result.success, vars)}
            </p>
            <OrderSummary web={web} summary={summary} />
            <p>{web.m.result.successNext}</p>
            <a class="button" href={web.href('/orders')}>
              {web.m.result.seeOrders}
            </a>
            <a class="button secondary" href={web.href('/')}>
              {web.m.result.backToShop}
            </a>
          </>
        ) : outcome === 'pending' ? (
          <>
            <p class="notice info" role="status">
              {web.m.result.pending}
            </p>
            <OrderSummary web={web} summary={summary} />
          </>
        ) : outcome === 'failed' || outcome === 'switched' ? (
          <>
            <p class={outcome === 'failed' ? 'notice bad' : 'notice info'} role="status">
              {outcome === 'failed' ? web.m.result.failed : web.t((m) => m.result.switched, vars)}
            </p>
            <OrderSummary web={web} summary={summary} />
            <p>{web.t((m) => m.result.failedNext, { time: time(order.expires_at, web.lang) })}</p>
            <a class="button" href={web.href(`/checkout/${order.order_no}`)}>
              {web.m.result.payAgain}
            </a>
          </>
        ) : (
          <>
            <p class="notice bad" role="status">
              {web.t((m) => m.result.closed, vars)}
            </p>
            <OrderSummary web={web} summary={summary} />
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
