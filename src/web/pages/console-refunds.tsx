import type { Alert } from '../../alerts/alerts.ts';
import type { NotificationRow } from '../../notifications/notifications.repository.ts';
import type { PaymentRow } from '../../payments/payment.ts';
import type { RefundRow } from '../../refunds/refund.ts';
import { money, time } from '../format.ts';
import { CsrfField, Layout, ErrorNotice } from '../layout.tsx';
import type { Web } from '../web-context.ts';
import type { RefundWithOrder } from '../../refunds/refunds.repository.ts';

export interface ReviewItem {
  refund: RefundWithOrder;
  payments: PaymentRow[];
  notifications: NotificationRow[];
  earlier: RefundRow[];
}

/** One refund with the evidence beside it: the order, its payments, what the providers said, earlier refunds. */
function ReviewCard({
  web,
  item,
  actions,
}: {
  web: Web;
  item: ReviewItem;
  actions: ('approve' | 'reject' | 'retry' | 'close')[];
}) {
  const r = item.refund;
  const fmt = (n: number) => money(n, r.currency, web.lang);
  return (
    <section class="card" data-refund={r.refund_no} aria-labelledby={`r-${r.refund_no}`}>
      <h3 id={`r-${r.refund_no}`}>
        <a href={web.href(`/refunds/${r.refund_no}`)}>{r.refund_no}</a> · {web.status(r.status)}
      </h3>
      <p>
        {web.t((m) => m.console.applied, {
          time: time(r.created_at, web.lang),
          amount: fmt(r.amount),
          reason: r.reason,
        })}
      </p>
      {r.failure_reason ? <p class="notice bad">{r.failure_reason}</p> : null}
      {r.approvals_needed > 1 ? <p class="muted">{web.m.console.needsTwo}</p> : null}
      <p>
        {web.t((m) => m.console.order, {
          orderNo: r.order_no,
          status: web.status(r.order_status),
          paid: fmt(r.paid_amount),
          refunded: fmt(r.refunded_amount),
        })}
      </p>
      <details open>
        <summary>
          {web.m.console.payments} ({item.payments.length}) · {web.m.console.notifications} ({item.notifications.length}
          ) · {web.m.console.earlier} ({item.earlier.length})
        </summary>
        <h4>{web.m.console.payments}</h4>
        <ul>
          {item.payments.map((p) => (
            <li>{`${p.payment_no} · ${web.method(p.method)} ${p.channel} · ${fmt(p.amount)} · ${web.status(p.status)}${p.provider_trade_no ? ` · ${p.provider_trade_no}` : ''}${p.surplus ? ' · surplus' : ''}`}</li>
          ))}
        </ul>
        <h4>{web.m.console.notifications}</h4>
        {item.notifications.length === 0 ? <p class="muted">{web.m.console.noNotifications}</p> : null}
        <ul>
          {item.notifications.map((n) => (
            <li>{`${time(n.received_at, web.lang)} · ${n.provider} · ${n.kind ?? ''} · ${n.outcome}${n.reason ? ` (${n.reason})` : ''} · ${n.out_trade_no ?? ''}`}</li>
          ))}
        </ul>
        <h4>{web.m.console.earlier}</h4>
        {item.earlier.length === 0 ? <p class="muted">{web.m.console.noEarlier}</p> : null}
        <ul>
          {item.earlier.map((e) => (
            <li>
              <a href={web.href(`/refunds/${e.refund_no}`)}>{e.refund_no}</a>{' '}
              {`${fmt(e.amount)} · ${web.status(e.status)} · ${e.reason}`}
            </li>
          ))}
        </ul>
      </details>
      <form method="post" action={web.href(`/console/refunds/${r.refund_no}`)}>
        <CsrfField web={web} />
        <label for={`note-${r.refund_no}`}>{web.m.console.note}</label>
        <textarea id={`note-${r.refund_no}`} name="note" required maxlength={1000}></textarea>
        {actions.map((a) => (
          <button type="submit" name="action" value={a} class={a === 'reject' || a === 'close' ? 'danger' : ''}>
            {web.m.console[a]}
          </button>
        ))}
      </form>
    </section>
  );
}

export function ConsoleRefundsPage(props: {
  web: Web;
  alerts: Alert[];
  queue: ReviewItem[];
  failed: ReviewItem[];
  notice?: string;
  error?: string;
}) {
  const { web } = props;
  return (
    <Layout web={web} title={web.m.console.title} alerts={props.alerts}>
      {props.notice ? (
        <p class="notice ok" role="status">
          {props.notice}
        </p>
      ) : null}
      <ErrorNotice text={props.error} />
      <h2>{web.m.console.queue}</h2>
      {props.queue.length === 0 ? <p>{web.m.console.empty}</p> : null}
      {props.queue.map((item) => (
        <ReviewCard web={web} item={item} actions={['approve', 'reject']} />
      ))}
      <h2>{web.m.console.failed}</h2>
      {props.failed.length === 0 ? <p>{web.m.console.noneFailed}</p> : null}
      {props.failed.map((item) => (
        <ReviewCard web={web} item={item} actions={['retry', 'close']} />
      ))}
    </Layout>
  );
}
