import { Hono } from 'hono';
import { currentAlerts } from '../alerts/alerts.ts';
import { AppError } from '../lib/errors.ts';
import { listNotifications } from '../notifications/notifications.repository.ts';
import { listPaymentsOfOrder } from '../payments/payments.repository.ts';
import { listRefundsOfOrder, listRefundsWithOrder, type RefundWithOrder } from '../refunds/refunds.repository.ts';
import { errorText } from './error-page.tsx';
import { ConsoleRefundsPage, type ReviewItem } from './pages/console-refunds.tsx';

import { loadWeb, needStaff, type Web } from './web-context.ts';
import type { WebDeps } from './web-deps.ts';

const ACTIONS = ['approve', 'reject', 'retry', 'close'] as const;
type Action = (typeof ACTIONS)[number];

/** Staff review: the queue (oldest first) with the evidence, decisions with a note, failed refunds. */
export function consoleRoutes(deps: WebDeps) {
  const app = new Hono();

  async function withEvidence(refund: RefundWithOrder): Promise<ReviewItem> {
    const [payments, earlier] = await Promise.all([
      listPaymentsOfOrder(deps.db, refund.order_id),
      listRefundsOfOrder(deps.db, refund.order_id),
    ]);
    const notifications = (
      await Promise.all(payments.map((p) => listNotifications(deps.db, { outTradeNo: p.payment_no, limit: 20 })))
    ).flat();
    return { refund, payments, notifications, earlier: earlier.filter((e) => e.id !== refund.id) };
  }

  const page = async (web: Web, extra: { notice?: string; error?: string } = {}) => {
    const [queue, failed, alerts] = await Promise.all([
      listRefundsWithOrder(deps.db, { status: 'pending_review', byCreation: true, limit: 100 }),
      listRefundsWithOrder(deps.db, { openFailed: true, limit: 100 }),
      currentAlerts(deps.db, deps.clock),
    ]);
    return ConsoleRefundsPage({
      web,
      alerts,
      queue: await Promise.all(queue.map(withEvidence)),
      failed: await Promise.all(failed.map(withEvidence)),
      ...extra,
    });
  };

  app.get('/console/refunds', async (c) => {
    const web = await loadWeb(c, deps);
    needStaff(web);
    const done = c.req.query('done');
    const refundNo = c.req.query('refundNo');
    const notice =
      done && refundNo && ACTIONS.includes(done as Action)
        ? web.t((m) => m.console.done, { refundNo, action: web.m.console[done as Action] })
        : undefined;
    return c.html(await page(web, { notice }));
  });

  app.post('/console/refunds/:refundNo', async (c) => {
    const web = await loadWeb(c, deps);
    const form = await c.req.parseBody();
    web.checkCsrf(form);
    const staff = needStaff(web);
    const refundNo = c.req.param('refundNo');
    const action = String(form.action ?? '') as Action;
    const note = String(form.note ?? '')
      .trim()
      .slice(0, 1000);
    if (!ACTIONS.includes(action) || !note) return c.html(await page(web, { error: web.m.console.note }), 422);
    const run = {
      approve: deps.refunds.approve,
      reject: deps.refunds.reject,
      retry: deps.refunds.retry,
      close: deps.refunds.abandon,
    }[action];
    try {
      await run(staff, refundNo, note);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return c.html(await page(web, { error: `${refundNo}: ${errorText(web, err)}` }), err.status as 409);
    }
    return c.redirect(web.href(`/console/refunds?done=${action}&refundNo=${encodeURIComponent(refundNo)}`), 303);
  });

  return app;
}
