import { own } from '../../lib/own.ts';
import type { Alert } from '../../alerts/alerts.ts';
import type { DifferenceRow } from '../../reconciliation/reconciliation.ts';
import { money, time } from '../format.ts';
import { CsrfField, Layout, ErrorNotice } from '../layout.tsx';
import type { Web } from '../web-context.ts';
import { PROVIDERS } from './console-notifications.tsx';

/** The page's status filter: the unsettled ones (flagged and open) unless staff ask for others. */
export const STATUS_VIEWS = ['unsettled', 'flagged', 'open', 'resolved', 'all'] as const;
export type StatusView = (typeof STATUS_VIEWS)[number];

export type DifferenceWithStaff = DifferenceRow & { resolved_by_email: string | null };

/** A filter link keeping the other filter. */
function filterHref(web: Web, status: StatusView, provider: string | undefined): string {
  const q = new URLSearchParams();
  if (status !== 'unsettled') q.set('status', status);
  if (provider) q.set('provider', provider);
  const query = q.toString();
  return web.href(`/console/reconciliation${query ? `?${query}` : ''}`);
}

/** One line of the card's facts; a fact the difference does not have is left out. */
function Fact({
  label,
  cls,
  show = true,
  children,
}: {
  label: string;
  cls?: string;
  show?: boolean;
  children?: unknown;
}) {
  if (!show) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd class={cls}>{children}</dd>
    </>
  );
}

function DifferenceCard({ web, d, refundPages }: { web: Web; d: DifferenceWithStaff; refundPages: Set<string> }) {
  const p = web.m.reconciliationPage;
  const amount = (n: number | null) => (n === null ? '—' : money(n, 'CNY', web.lang));
  // A kind or status this page does not know yet (a newer mallpay wrote it) shows as its code.
  const kindLabel = own(p.kinds as Record<string, string>, d.kind) ?? d.kind;
  const statusLabel = own(p.statuses as Record<string, string>, d.status) ?? d.status;
  const noteId = `note-${d.id}`;
  return (
    <section class="card" data-difference={String(d.id)} data-status={d.status} aria-labelledby={`d-${d.id}`}>
      <h3 id={`d-${d.id}`}>{`#${d.id} · ${kindLabel} · ${statusLabel}`}</h3>
      <dl class="facts">
        <dt>{p.kind}</dt>
        <dd class="kind">
          {kindLabel} <code class="kind-code">{d.kind}</code>
        </dd>
        <dt>{p.provider}</dt>
        <dd class="provider">{d.provider ? web.method(d.provider) : '—'}</dd>
        <dt>{p.source}</dt>
        <dd class="source">
          {d.source === 'bill' && d.bill_date
            ? web.t((m) => m.reconciliationPage.bill, { date: d.bill_date ?? '' })
            : p.checker}
        </dd>
        <Fact label={p.order} cls="order" show={!!d.order_no}>
          {d.order_no}
        </Fact>
        <Fact label={p.payment} cls="payment" show={!!d.payment_no}>
          {d.payment_no}
        </Fact>
        <Fact label={p.refund} cls="refund" show={!!d.refund_no}>
          {d.refund_no && refundPages.has(d.refund_no) ? (
            <a href={web.href(`/refunds/${encodeURIComponent(d.refund_no)}`)}>{d.refund_no}</a>
          ) : (
            d.refund_no
          )}
        </Fact>
        <dt>{p.providerAmount}</dt>
        <dd class="provider-amount">{amount(d.provider_amount)}</dd>
        <dt>{p.ourAmount}</dt>
        <dd class="our-amount">{amount(d.our_amount)}</dd>
        <dt>{p.detail}</dt>
        <dd class="detail">{d.detail ?? ''}</dd>
        <dt>{p.remedy}</dt>
        <dd class="remedy">{d.remedy ?? '—'}</dd>
        <dt>{p.found}</dt>
        <dd>{time(d.found_at, web.lang)}</dd>
        {d.status === 'resolved' ? (
          <>
            <dt>{p.resolvedBy}</dt>
            <dd class="resolved-by">{d.resolved_by_email ?? p.byRemedy}</dd>
            <Fact label={p.resolvedAt} show={!!d.resolved_at}>
              {d.resolved_at ? time(d.resolved_at, web.lang) : null}
            </Fact>
            <Fact label={p.resolutionNote} cls="resolution-note" show={!!d.resolution_note}>
              {d.resolution_note}
            </Fact>
          </>
        ) : null}
      </dl>
      {d.status !== 'resolved' ? (
        <form method="post" action={web.href(`/console/reconciliation/${d.id}/resolve`)}>
          <CsrfField web={web} />
          <label for={noteId}>{p.note}</label>
          <textarea id={noteId} name="note" required maxlength={1000}></textarea>
          <button type="submit">{p.resolve}</button>
        </form>
      ) : null}
    </section>
  );
}

export function ConsoleReconciliationPage(props: {
  web: Web;
  alerts: Alert[];
  status: StatusView;
  provider: string | undefined;
  differences: DifferenceWithStaff[];
  /** Refund numbers with a page staff can open (a number mallpay never issued has none). */
  refundPages: Set<string>;
  notice?: string | undefined;
  error?: string | undefined;
}) {
  const { web } = props;
  const p = web.m.reconciliationPage;
  const statusName = (s: StatusView) => (s === 'unsettled' ? p.unsettled : s === 'all' ? p.all : p.statuses[s]);
  return (
    <Layout web={web} title={p.title} alerts={props.alerts}>
      {props.notice ? (
        <p class="notice ok" role="status">
          {props.notice}
        </p>
      ) : null}
      <ErrorNotice text={props.error} />
      <p>{p.intro}</p>
      <nav class="filters" aria-label={p.filterStatus}>
        {STATUS_VIEWS.map((s) => (
          <a href={filterHref(web, s, props.provider)} aria-current={props.status === s ? 'true' : undefined}>
            {statusName(s)}
          </a>
        ))}
      </nav>
      <nav class="filters" aria-label={p.filterProvider}>
        <a href={filterHref(web, props.status, undefined)} aria-current={props.provider ? undefined : 'true'}>
          {p.all}
        </a>
        {PROVIDERS.map((provider) => (
          <a
            href={filterHref(web, props.status, provider)}
            aria-current={props.provider === provider ? 'true' : undefined}
          >
            {web.method(provider)}
          </a>
        ))}
      </nav>
      {props.differences.length === 0 ? <p>{p.none}</p> : null}
      {props.differences.map((d) => (
        <DifferenceCard web={web} d={d} refundPages={props.refundPages} />
      ))}
    </Layout>
  );
}
