import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { LIVE_SCRIPT } from './live-script.ts';
import { PAY_POLL_SCRIPT } from './pay-poll.ts';

/** The pages, for `app.use`: the web app adds no `*` middleware, so that API and provider paths never run page code. */
export const PAGE_PATHS = [
  '/',
  '/login',
  '/logout',
  '/checkout/*',
  '/pay/*',
  '/orders',
  '/orders/*',
  '/refunds/*',
  '/products/*',
  '/cart',
  '/notices',
  '/console/*',
];

const sha256 = (script: string) => `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;

/**
 * The pages' Content-Security-Policy: no script runs but the ones mallpay wrote, named by their hashes (the
 * pay page's poller, and a provider's auto-submitting form script on that page), so injected markup cannot
 * run anything; forms post only to mallpay and, on the pay page, to the provider's gateway; no page can be
 * framed (the console's buttons cannot be clickjacked). Styles may be inline: one stylesheet and a few style
 * attributes, through which no script can come.
 */
export function pageCsp(extra: { formActions?: string[]; scripts?: string[] } = {}): string {
  return [
    "default-src 'none'",
    `script-src ${[LIVE_SCRIPT, PAY_POLL_SCRIPT, ...(extra.scripts ?? [])].map(sha256).join(' ')}`,
    "style-src 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `form-action ${["'self'", ...(extra.formActions ?? [])].join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** What a provider's form on the pay page needs: where it posts, and its inline scripts. */
export function formAllowances(html: string): { formActions: string[]; scripts: string[] } {
  const formActions = [...html.matchAll(/<form[^>]*\saction="([^"]+)"/g)].flatMap((m) => {
    try {
      return [new URL(m[1]!.replaceAll('&amp;', '&')).origin];
    } catch {
      return [];
    }
  });
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  return { formActions, scripts };
}

/** Every HTML page gets the default policy unless its route set its own, and the usual hardening headers. */
export const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  if (!c.res.headers.get('content-type')?.startsWith('text/html')) return;
  if (!c.res.headers.has('content-security-policy')) c.res.headers.set('Content-Security-Policy', pageCsp());
  c.res.headers.set('X-Content-Type-Options', 'nosniff');
  // Every page shows who is logged in and carries a form token: none may be kept by the browser or a proxy,
  // so Back after logging out asks the server again (and is sent to log in) instead of showing the old page.
  c.res.headers.set('Cache-Control', 'no-store');
  // Page addresses hold order and payment numbers: they stay on this site.
  c.res.headers.set('Referrer-Policy', 'same-origin');
};
