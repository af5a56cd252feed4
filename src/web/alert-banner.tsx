import type { Alert } from '../alerts/alerts.ts';
import type { Web } from './web-context.ts';

/** One sentence per alert in the page's language; the API's English message stays for logs and machines. */
function alertText(web: Web, a: Alert): string {
  const vars = { count: a.count, provider: a.provider ? web.method(a.provider) : '' };
  if (a.kind === 'reconciliation_differences_open' && !a.provider)
    return web.t((m) => m.alerts.differencesChecker, vars);
  return web.t((m) => m.alerts[a.kind], vars);
}

/** The current alerts at the top of every console page, so staff see trouble wherever they are working. */
export function AlertBanner({ web, alerts }: { web: Web; alerts: Alert[] }) {
  if (alerts.length === 0) return null;
  return (
    <section class="alerts" role="alert" aria-labelledby="alerts-title">
      <h2 id="alerts-title">{web.m.alerts.title}</h2>
      <ul>
        {alerts.map((a) => (
          <li data-alert-kind={a.kind} data-provider={a.provider}>
            {alertText(web, a)}
            {a.kind === 'notifications_silent' ? (
              <>
                {' '}
                <a href={web.href(`/console/notifications?provider=${a.provider ?? ''}`)}>{web.m.nav.notifications}</a>
              </>
            ) : null}
            {a.kind === 'reconciliation_differences_open' ? (
              <>
                {' '}
                <a
                  href={web.href(
                    `/console/reconciliation${a.provider ? `?provider=${encodeURIComponent(a.provider)}` : ''}`,
                  )}
                >
                  {web.m.nav.reconciliation}
                </a>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
