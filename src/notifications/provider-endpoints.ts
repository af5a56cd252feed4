import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/env.ts';
import type { PaymentsService } from '../payments/payments.service.ts';
import type { InboundRequest } from '../providers/provider.ts';
import type { Providers } from '../providers/registry.ts';
import type { NotificationsService } from './notifications.service.ts';

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
  providers: Providers;
  notifications: NotificationsService;
  payments: PaymentsService;
}) {
  const app = new Hono<AppEnv>();
  const provider = (c: Context) => deps.providers[c.req.param('method') as keyof Providers];

  app.post('/notify/:method', async (c) => {
    const p = provider(c);
    if (!p) return c.text('unknown payment method', 404);
    return deps.notifications.receive(p, await inbound(c));
  });

  // The browser's word is never enough to mark anything paid: a verified return only tells us which
  // attempt to ask the provider about (when the notification has not come yet).
  const back = async (c: Context) => {
    const p = provider(c);
    if (!p) return c.text('unknown payment method', 404);
    const info = await p.parseReturn(await inbound(c));
    if (!info.paymentNo) return c.redirect('/orders', 303);
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
