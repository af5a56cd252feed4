import { money, time } from '../format.ts';
import { Layout } from '../layout.tsx';
import type { NoticeRow } from '../../notices/notices.repository.ts';
import type { Web } from '../web-context.ts';

/** The customer's notices, newest first: what happened to a refund, each leading to its order and refund. */
export function NoticesPage({ web, notices }: { web: Web; notices: NoticeRow[] }) {
  return (
    <Layout web={web} title={web.m.notices.title}>
      {notices.length === 0 ? <p>{web.m.notices.none}</p> : null}
      <ul class="notices">
        {notices.map((n) => {
          const text = (web.m.notices.kinds as Record<string, string>)[n.kind] ?? web.m.notices.other;
          const amount = n.amount !== null ? money(Number(n.amount), n.currency ?? 'CNY', web.lang) : '';
          return (
            <li class={n.read_at ? '' : 'unread'} data-kind={n.kind}>
              <strong>{web.t(() => text, { amount })}</strong>
              {n.read_at ? null : <span class="badge">{web.m.notices.new}</span>}
              <br />
              <span class="muted small">{time(n.created_at, web.lang)}</span>
              {n.note ? <p>{web.t((m) => m.notices.note, { note: n.note })}</p> : null}
              <p>
                {n.refund_no ? <a href={web.href(`/refunds/${n.refund_no}`)}>{web.m.notices.seeRefund}</a> : null}
                {n.refund_no ? ' · ' : null}
                <a href={web.href(`/orders#o-${n.order_no}`)}>{web.m.notices.seeOrder}</a>
              </p>
            </li>
          );
        })}
      </ul>
    </Layout>
  );
}
