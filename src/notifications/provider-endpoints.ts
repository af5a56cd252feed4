import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { SESSION_COOKIE } from '../accounts/accounts.ts';
import type { AccountsService } from '../accounts/accounts.service.ts';
import type { PaymentMethod } from '../config.ts';
import type { Db } from '../db/client.ts';
import { clientIp } from '../http/client-ip.ts';
import type { AppEnv } from '../http/env.ts';
import type { Metrics } from '../http/observability.ts';
import type { Clock } from '../lib/clock.ts';
import { findPaymentWithOrder } from '../payments/payments.repository.ts';
import type { PaymentsService } from '../payments/payments.service.ts';
import type { InboundRequest } from '../providers/provider.ts';
import type { PaymentProvider } from '../providers/provider.ts';
import { enabledProvider, type Providers } from '../providers/registry.ts';
import { countUnverifiedFrom } from './notifications.repository.ts';
import type { NotificationsService } from './notifications.service.ts';

/** Unverifiable notifications (bad signature, malformed, probe) one address may send per minute. */
export const UNVERIFIED_WINDOW_MS = 60_000;

/** The provider's own failure answer, with the HTTP status that says why (413 too large, 429 too many). */
export function refusal(provider: PaymentProvider, status: 413 | 429, reason: string): Response {
  const ack = provider.acknowledge(false, reason);
  return new Response(ack.body, { status, headers: ack.headers });
}

/** A notification refused before it was read (body-limits.ts): counted and logged, never stored. */
export function oversizedNotification(deps: { providers: Providers; metrics: Metrics }) {
  return (c: Context<AppEnv>, method: PaymentMethod) => {
    deps.metrics.refusedNotifications.inc({ provider: method, reason: 'payload_too_large' });
    c.get('log')?.warn(
      { provider: method, from: clientIp(c), declared: c.req.header('content-length') ?? null },
      'notification refused: body too large',
    );
    return refusal(enabledProvider(deps.providers, method)!, 413, 'payload_too_large');
  };
}

async function inbound(c: Context): Promise<InboundRequest> {
  return {
    method: c.req.method,
    headers: c.req.raw.headers,
    rawBody: c.req.method === 'GET' ? '' : await c.req.text(),
    query: new URL(c.req.url).searchParams,
  };
}

/**
 * What providers and the browsers they send back reach: `/notify/{method}` and `/return/{method}`.
 * Outside /api: providers speak their own formats, not our JSON errors.
 */
export function providerEndpoints(deps: {
  db: Db;
  clock: Clock;
  metrics: Metrics;
  providers: Providers;
  notifications: NotificationsService;
  payments: PaymentsService;
  accounts: AccountsService;
  /** Unverifiable notifications per address per minute before that address's are refused unread. */
  unverifiedPerMinute: number;
}) {
  const app = new Hono<AppEnv>();
  const provider = (c: Context) => enabledProvider(deps.providers, c.req.param('method') ?? '');

  app.post('/notify/:method', async (c) => {
    const p = provider(c);
    if (!p) return c.text('unknown payment method', 404);
    const from = clientIp(c);
    // Counted from the records themselves: past the limit, a notification that does not verify is refused
    // unrecorded (429); one that verifies is applied as always (a provider's real notifications share the
    // address of its deliberately unverifiable signature probes, and must never be held up by them).
    const since = new Date(deps.clock.now().getTime() - UNVERIFIED_WINDOW_MS);
    const overLimit = (await countUnverifiedFrom(deps.db, from, since)) >= deps.unverifiedPerMinute;
    const result = await deps.notifications.receive(
      p,
      { ...(await inbound(c)), sourceIp: from },
      { unverifiedUnrecorded: overLimit },
    );
    if (result.id === null) {
      deps.metrics.refusedNotifications.inc({ provider: p.method, reason: 'rate_limited' });
      c.get('log')?.warn({ provider: p.method, from }, 'notification refused: too many unverifiable from this address');
      return refusal(p, 429, 'rate_limited');
    }
    return deps.notifications.acknowledge(p, result);
  });

  // The browser's word is never enough to mark anything paid: a verified return only tells us which
  // attempt to ask the provider about (when the notification has not come yet). Anyone can call this URL
  // with any number, so it says nothing and asks no provider unless the return is signed (Alipay's return,
  // UnionPay's frontUrl POST) or the browser's session owns the payment; otherwise: the neutral /orders.
  const back = async (c: Context) => {
    const p = provider(c);
    if (!p) return c.text('unknown payment method', 404);
    const info = await p.parseReturn(await inbound(c));
    if (!info.paymentNo) return c.redirect('/orders', 303);
    if (!info.verified) {
      const token = getCookie(c, SESSION_COOKIE);
      const user = token ? await deps.accounts.authenticate(token) : undefined;
      const attempt = user ? await findPaymentWithOrder(deps.db, info.paymentNo) : undefined;
      if (!user || !attempt || attempt.order_user_id !== user.id) return c.redirect('/orders', 303);
    }
    const payment = await deps.payments.settleOnReturn(info.paymentNo);
    if (!payment || payment.method !== p.method) return c.redirect('/orders', 303);
    // A declined try leaves a UnionPay attempt pending (payable until payTimeout): the page says it failed.
    const declined = info.verified && info.declined && payment.status === 'pending' ? '&declined=1' : '';
    return c.redirect(`/orders/${payment.order_no}/result?paymentNo=${payment.payment_no}${declined}`, 303);
  };
  app.get('/return/:method', back);
  app.post('/return/:method', back);
  return app;
}
