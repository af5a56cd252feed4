import type { Alert } from '../../alerts/alerts.ts';
import type { RejectedNotificationRow } from '../../notifications/notifications.repository.ts';
import { time } from '../format.ts';
import { CsrfField, Layout, ErrorNotice } from '../layout.tsx';
import type { Web } from '../web-context.ts';

export const PROVIDERS = ['alipay', 'wechatpay', 'unionpay'] as const;
/** Enough of a body to recognise it at a glance; the rest waits behind a <details>. */
const PREVIEW = 400;
/** A forged delivery can be large: the page shows at most this much of any body. */
const FULL = 20_000;

/** The raw body as text (JSX escapes it): a preview, and the full body (capped) on demand. */
function RawBody({ web, body }: { web: Web; body: string }) {
  if (body.length <= PREVIEW) return <pre class="raw">{body}</pre>;
  return (
    <>
      <pre class="raw">{`${body.slice(0, PREVIEW)}…`}</pre>
      <details>
        <summary>{web.t((m) => m.notificationsPage.fullBody, { length: body.length })}</summary>
        <pre class="raw">{body.slice(0, FULL)}</pre>
        {body.length > FULL ? <p class="muted">{web.t((m) => m.notificationsPage.cut, { length: FULL })}</p> : null}
      </details>
    </>
  );
}

function RejectedCard({ web, n }: { web: Web; n: RejectedNotificationRow }) {
  const p = web.m.notificationsPage;
  return (
    <section class="card" data-notification={String(n.id)} aria-labelledby={`n-${n.id}`}>
      <h3 id={`n-${n.id}`}>{`#${n.id} · ${web.method(n.provider)} · ${n.reason ?? ''}`}</h3>
      <dl class="facts">
        <dt>{p.time}</dt>
        <dd>{time(n.received_at, web.lang)}</dd>
        <dt>{p.provider}</dt>
        <dd>{web.method(n.provider)}</dd>
        <dt>{p.reason}</dt>
        <dd class="reason">{n.reason ?? ''}</dd>
        <dt>{p.message}</dt>
        <dd>{n.message ?? ''}</dd>
        <dt>{p.order}</dt>
        <dd class="order">{n.order_no ?? ''}</dd>
        <dt>{p.payment}</dt>
        <dd>{n.out_trade_no ?? ''}</dd>
      </dl>
      <h4>{p.body}</h4>
      <RawBody web={web} body={n.raw_body} />
      {n.later_outcome ? (
        <p class="muted later">{web.t((m) => m.notificationsPage.since, { outcome: n.later_outcome ?? '' })}</p>
      ) : null}
      <form method="post" action={web.href(`/console/notifications/${n.id}/replay`)}>
        <CsrfField web={web} />
        <button type="submit">{p.replay}</button>
      </form>
    </section>
  );
}

export function ConsoleNotificationsPage(props: {
  web: Web;
  alerts: Alert[];
  provider: string | undefined;
  rejected: RejectedNotificationRow[];
  notice?: { text: string; ok: boolean } | undefined;
  error?: string | undefined;
}) {
  const { web } = props;
  const p = web.m.notificationsPage;
  return (
    <Layout web={web} title={p.title} alerts={props.alerts}>
      {props.notice ? (
        <p class={`notice ${props.notice.ok ? 'ok' : 'bad'}`} role="status">
          {props.notice.text}
        </p>
      ) : null}
      <ErrorNotice text={props.error} />
      <p>{p.intro}</p>
      <nav class="filters" aria-label={p.filter}>
        <a href={web.href('/console/notifications')} aria-current={props.provider ? undefined : 'true'}>
          {p.all}
        </a>
        {PROVIDERS.map((provider) => (
          <a
            href={web.href(`/console/notifications?provider=${provider}`)}
            aria-current={props.provider === provider ? 'true' : undefined}
          >
            {web.method(provider)}
          </a>
        ))}
      </nav>
      {props.rejected.length === 0 ? <p>{p.none}</p> : null}
      {props.rejected.map((n) => (
        <RejectedCard web={web} n={n} />
      ))}
    </Layout>
  );
}
