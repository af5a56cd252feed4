import type { refundDetail } from '../../refunds/refund.view.ts';
import { money, time } from '../format.ts';
import { Layout } from '../layout.tsx';
import { OrderSummary } from '../order-summary.tsx';
import type { OrderSummaryData } from '../shop.service.ts';
import { refundWord } from './status-words.tsx';
import type { Web } from '../web-context.ts';

type Detail = Awaited<ReturnType<typeof refundDetail>>;
type Event = Detail['history'][number];

interface Step {
  key: 'applied' | 'reviewed' | 'sent' | 'result';
  label: string;
  event: Event | undefined;
  text?: string;
  bad?: boolean;
}

/** The four steps a customer cares about, read from the refund's append-only history (latest wins). */
function steps(web: Web, refund: Detail, method: string, label: string): Step[] {
  const last = (...actions: string[]) => refund.history.filter((e) => actions.includes(e.action)).at(-1);
  const reviewed = last('approved', 'rejected');
  const result = last('succeeded', 'failed', 'closed');
  const rejected = reviewed?.action === 'rejected';
  // A rejected refund is never sent: its last step is the rejection itself, told once with its note.
  if (rejected)
    return [
      { key: 'applied', label: web.m.refund.steps.applied, event: last('applied', 'opened_automatically') },
      { key: 'result', label: web.m.refund.steps.result, event: reviewed, text: label, bad: true },
    ];
  return [
    { key: 'applied', label: web.m.refund.steps.applied, event: last('applied', 'opened_automatically') },
    {
      key: 'reviewed',
      label: web.m.refund.steps.reviewed,
      event: reviewed,
      text: reviewed ? (reviewed.action === 'approved' ? web.m.refund.approvedBy : web.m.refund.rejectedBy) : undefined,
      bad: reviewed?.action === 'rejected',
    },
    {
      key: 'sent',
      label: web.t((m) => m.refund.steps.sent, { method: web.method(method) }),
      event: last('sent', 'retried'),
    },
    {
      key: 'result',
      label: web.m.refund.steps.result,
      event: result,
      text: result ? label : undefined,
      bad: refund.status === 'failed',
    },
  ];
}

/**
 * A refund's progress. While staff or the provider may still move it, the page asks the API for its status
 * and, when it changes, updates in place; once it is decided nothing is asked any more.
 */
export function RefundPage({
  web,
  refund,
  method,
  summary,
}: {
  web: Web;
  refund: Detail;
  method: string;
  summary: OrderSummaryData;
}) {
  const amount = money(refund.amount, refund.currency, web.lang);
  const done = refund.status === 'succeeded' || refund.status === 'rejected' || !!refund.closed;
  const label = refundWord(web, refund.status);
  return (
    <Layout web={web} title={web.t((m) => m.refund.title, { amount })}>
      <p
        class="card"
        data-live-url={done ? undefined : `/api/refunds/${refund.refundNo}`}
        data-live-state={`${refund.status}/`}
        data-poll-ms="3000"
      >
        <strong id="refund-status" data-status={refund.status}>
          {label}
        </strong>
        <br />
        <span class="muted small">{web.t((m) => m.refund.number, { refundNo: refund.refundNo })}</span>
      </p>
      {refund.status === 'succeeded' ? (
        <p class="notice ok" role="status">
          {web.t((m) => m.refund.succeeded, { amount })}
        </p>
      ) : null}
      {refund.status === 'failed' ? (
        <p class="notice bad">{refund.closed ? web.m.refund.abandoned : web.m.refund.failed}</p>
      ) : null}
      {!done && refund.status !== 'failed' ? (
        <p class="notice info">{web.t((m) => m.refund.expected, { text: web.m.refund.expectedBy[method] ?? '' })}</p>
      ) : null}
      <ol class="timeline">
        {steps(web, refund, method, label).map((s) => (
          <li class={s.event ? (s.bad ? 'bad' : 'done') : ''} data-step={s.key}>
            <strong>{s.label}</strong>
            {s.text ? `: ${s.text}` : ''}
            <br />
            <span class="muted">{s.event ? time(s.event.at, web.lang) : web.m.refund.notYet}</span>
            {s.event?.note ? <div>{web.t((m) => m.refund.note, { note: s.event?.note ?? '' })}</div> : null}
          </li>
        ))}
      </ol>
      <h2>{web.m.refund.forOrder}</h2>
      <OrderSummary web={web} summary={summary} />
    </Layout>
  );
}
