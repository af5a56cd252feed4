import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { isStaff } from '../accounts/accounts.ts';
import type { Alert } from '../alerts/alerts.ts';
import { AlertBanner } from './alert-banner.tsx';
import { CSRF_FIELD } from './csrf.ts';
import { LANG_NAMES, LANGS } from './i18n/index.ts';
import { LIVE_SCRIPT } from './live-script.ts';
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

/** Where the customer is on the way from cart to a paid order. */
function Progress({ web, step }: { web: Web; step: 'cart' | 'pay' | 'done' }) {
  const steps = ['cart', 'pay', 'done'] as const;
  return (
    <ol class="progress" aria-label={web.m.progress.label}>
      {steps.map((s) => (
        <li aria-current={s === step ? 'step' : undefined}>{web.m.progress[s]}</li>
      ))}
    </ol>
  );
}

/** `alerts`: console pages pass the current alerts, shown above everything else in the page. */
export function Layout(props: {
  web: Web;
  title: string;
  children?: Child;
  /** Customer pages about money: the cart → pay → done line, with this step current. */
  progress?: 'cart' | 'pay' | 'done';
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
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
          <title>{`${props.title} · ${web.m.brand}`}</title>
          <style>{raw(STYLES)}</style>
        </head>
        <body>
          <header>
            <a class="brand" href={web.href('/')}>
              <img src="/favicon.svg" alt="" width="24" height="24" />
              {web.m.brand}
            </a>
            <nav aria-label={web.m.nav.main}>
              <a href={web.href('/')}>{web.m.nav.shop}</a>
              <a href={web.href('/cart')}>{web.m.nav.cart}</a>
              {user?.role === 'customer' ? (
                <>
                  <a href={web.href('/orders')}>{web.m.nav.orders}</a>
                  <a href={web.href('/notices')} id="notices-link">
                    {web.m.nav.notices}
                    {web.unreadNotices > 0 ? (
                      <span class="badge" id="notices-badge">
                        <span aria-hidden="true">{String(web.unreadNotices)}</span>
                        <span class="sr-only">{web.t((m) => m.nav.unread, { count: web.unreadNotices })}</span>
                      </span>
                    ) : null}
                  </a>
                </>
              ) : null}
              {user && isStaff(user) ? (
                <>
                  <a href={web.href('/console/refunds')}>{web.m.nav.console}</a>
                  <a href={web.href('/console/notifications')}>{web.m.nav.notifications}</a>
                  <a href={web.href('/console/reconciliation')}>{web.m.nav.reconciliation}</a>
                  <a href={web.href('/console/payment-code')}>{web.m.nav.paymentCode}</a>
                </>
              ) : null}
              {user ? (
                <>
                  <span class="who">{web.t((m) => m.nav.loggedInAs, { email: user.email })}</span>
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
            {props.progress ? <Progress web={web} step={props.progress} /> : null}
            <h1>{props.title}</h1>
            {props.children}
          </main>
          <script>{raw(LIVE_SCRIPT)}</script>
        </body>
      </html>
    </>
  );
}
