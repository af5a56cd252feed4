import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { isStaff } from '../accounts/accounts.ts';
import type { Alert } from '../alerts/alerts.ts';
import { AlertBanner } from './alert-banner.tsx';
import { CSRF_FIELD } from './csrf.ts';
import { LANG_NAMES, LANGS } from './i18n/index.ts';
import { STYLES } from './styles.ts';
import type { Web } from './web-context.ts';

/** The anti-forgery token as a hidden field: every state-changing form includes it. */
/** A refusal or failure the page must say first, announced to screen readers. */
export const ErrorNotice = ({ text }: { text?: string | undefined }) =>
  text ? (
    <p class="notice bad" role="alert">
      {text}
    </p>
  ) : null;

export const CsrfField = ({ web }: { web: Web }) => <input type="hidden" name={CSRF_FIELD} value={web.csrfToken} />;

/** `alerts`: console pages pass the current alerts, shown above everything else in the page. */
export function Layout(props: {
  web: Web;
  title: string;
  children?: Child;
  refreshSeconds?: number;
  alerts?: Alert[];
}) {
  const { web } = props;
  const user = web.user;
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang={web.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          {props.refreshSeconds ? <meta http-equiv="refresh" content={String(props.refreshSeconds)} /> : null}
          <title>{`${props.title} · ${web.m.brand}`}</title>
          <style>{raw(STYLES)}</style>
        </head>
        <body>
          <header>
            <a class="brand" href={web.href('/')}>
              {web.m.brand}
            </a>
            <nav aria-label="main">
              <a href={web.href('/')}>{web.m.nav.shop}</a>
              {user?.role === 'customer' ? <a href={web.href('/orders')}>{web.m.nav.orders}</a> : null}
              {user && isStaff(user) ? (
                <>
                  <a href={web.href('/console/refunds')}>{web.m.nav.console}</a>
                  <a href={web.href('/console/notifications')}>{web.m.nav.notifications}</a>
                  <a href={web.href('/console/reconciliation')}>{web.m.nav.reconciliation}</a>
                </>
              ) : null}
              {user ? (
                <>
                  <span>{web.t((m) => m.nav.loggedInAs, { email: user.email })}</span>
                  <form method="post" action={web.href('/logout')}>
                    <CsrfField web={web} />
                    <button type="submit">{web.m.nav.logout}</button>
                  </form>
                </>
              ) : (
                <a href={web.href(`/login?next=${encodeURIComponent(web.path)}`)}>{web.m.nav.login}</a>
              )}
            </nav>
            <nav class="langs" aria-label={web.m.nav.language}>
              {LANGS.map((l) => (
                <a href={web.langHref(l)} lang={l} hreflang={l} aria-current={l === web.lang ? 'true' : undefined}>
                  {LANG_NAMES[l]}
                </a>
              ))}
            </nav>
          </header>
          <main>
            {props.alerts ? <AlertBanner web={web} alerts={props.alerts} /> : null}
            <h1>{props.title}</h1>
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}
