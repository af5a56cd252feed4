import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { SESSION_COOKIE } from '../accounts/accounts.ts';
import { AppError } from '../lib/errors.ts';
import type { AppEnv } from './env.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery on the API. A browser sends the session cookie (SameSite=Lax) along with a POST
 * from any page of the same *site* (another subdomain or port), even one without a body that no CORS
 * preflight stops (order cancel, staff replay). So an API call that changes state and is authenticated by
 * cookie, not by `Authorization: Bearer`, must
 * - not come from elsewhere: `Sec-Fetch-Site` is `same-origin` or `none` when sent, and `Origin`, when sent,
 *   is this server's own (PUBLIC_URL's, or the address the request was made to) — 403 cross_site_request;
 * - be JSON: `Content-Type: application/json` cannot be sent cross-origin without a preflight that mallpay
 *   never grants — 403 csrf_rejected.
 * Bearer calls (back offices, apps, the tests) carry no ambient credential and are unaffected. The pages' forms
 * post to page routes with their own HMAC token (web/csrf.ts), never here.
 */
export function apiCsrf(publicUrl: string): MiddlewareHandler<AppEnv> {
  const publicOrigin = new URL(publicUrl).origin;
  return async (c, next) => {
    if (SAFE.has(c.req.method) || c.req.header('authorization')) return next();
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    const own = origin === undefined || origin === publicOrigin || origin === new URL(c.req.url).origin;
    if ((site !== undefined && site !== 'same-origin' && site !== 'none') || !own)
      throw new AppError('cross_site_request', 'refused: the request came from another site');
    if (getCookie(c, SESSION_COOKIE) && !/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? ''))
      throw new AppError('csrf_rejected', 'a request authenticated by cookie must be sent as application/json');
    await next();
  };
}
