import { PAYMENT_METHODS } from '../../config.ts';
import type { Alert } from '../../alerts/alerts.ts';
import { PREVIEW_CHARS, type RejectedNotificationRow } from '../../notifications/notifications.repository.ts';
import { bodyOf, UNVERIFIED_KEPT_CHARS } from '../../notifications/stored-body.ts';
import { time } from '../format.ts';
import { CsrfField, Layout, ErrorNotice } from '../layout.tsx';
import type { Web } from '../web-context.ts';

/** The console's provider filters: every method mallpay knows, enabled or not (its history stays). */
export const PROVIDERS = PAYMENT_METHODS;
/** A forged delivery can be large: the detail view shows at most this much of any body. */
const FULL = 20_000;

/** Control characters (a NUL in a forged body) shown as visible symbols; JSX escapes the rest. */
// eslint-disable-next-line no-control-regex
const visible = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd');

/** A list shows each body's preview (all the list reads); one notification's page shows its whole body. */
export type RejectedItem = RejectedNotificationRow & { full?: string };

function RawBody({ web, n }: { web: Web; n: RejectedItem }) {
  const p = web.m.notificationsPage;
  const size = n.raw_size ?? 0;
  const kept = n.body_truncated ? (
    <p class="muted">{web.t((m) => m.notificationsPage.kept, { kept: UNVERIFIED_KEPT_CHARS, size })}</p>
  ) : null;
  if (n.full !== undefined) {
    return (
      <>
        <pre class="raw">{visible(n.full.slice(0, FULL))}</pre>
        {n.full.length > FULL ? <p class="muted">{web.t((m) => m.notificationsPage.cut, { length: FULL })}</p> : null}
        {kept}
      </>
    );
  }
  const preview = bodyOf({ raw_body: n.preview, body_encoding: n.body_encoding });
  const whole = n.preview.length < PREVIEW_CHARS && !n.body_truncated;
  return (
    <>
      <pre class="raw">{visible(whole ? preview : `${preview}…`)}</pre>
      {whole ? null : (
        <a href={web.href(`/console/notifications/${n.id}`)}>{web.t(() => p.fullBody, { length: size })}</a>
      )}
      {kept}
    </>
  );
}

function RejectedCard({ web, n }: { web: Web; n: RejectedItem }) {
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
        <dt>{p.from}</dt>
        <dd>{n.source_ip ?? ''}</dd>
      </dl>
      <h4>{p.body}</h4>
      <RawBody web={web} n={n} />
      {n.later_outcome ? (
        <p class="muted later">{web.t((m) => m.notificationsPage.since, { outcome: n.later_outcome ?? '' })}</p>
      ) : null}
      {n.body_truncated ? null : (
        <form method="post" action={web.href(`/console/notifications/${n.id}/replay`)}>
          <CsrfField web={web} />
          <button type="submit">{p.replay}</button>
        </form>
      )}
    </section>
  );
}

export function ConsoleNotificationsPage(props: {
  web: Web;
  alerts: Alert[];
  provider: string | undefined;
  rejected: RejectedItem[];
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
