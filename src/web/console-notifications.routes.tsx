import { Hono } from 'hono';
import { currentAlerts } from '../alerts/alerts.ts';
import { AppError } from '../lib/errors.ts';
import {
  findNotification,
  findNotificationBody,
  listRejectedNotifications,
} from '../notifications/notifications.repository.ts';
import { bodyOf } from '../notifications/stored-body.ts';
import { errorText } from './error-page.tsx';
import { ConsoleNotificationsPage, PROVIDERS } from './pages/console-notifications.tsx';
import { loadWeb, needStaff, type Web } from './web-context.ts';
import type { WebDeps } from './web-deps.ts';

/** Staff see the notifications mallpay refused and replay one once its cause is fixed, through the API's replay service. */
export function consoleNotificationsRoutes(deps: WebDeps) {
  const app = new Hono();

  const page = async (
    web: Web,
    provider: string | undefined,
    extra: { notice?: { text: string; ok: boolean }; error?: string } = {},
  ) => {
    const [alerts, rejected] = await Promise.all([
      currentAlerts(deps.db, deps.clock),
      listRejectedNotifications(deps.db, { provider, limit: 100 }),
    ]);
    return ConsoleNotificationsPage({ web, alerts, provider, rejected, ...extra });
  };

  app.get('/console/notifications', async (c) => {
    const web = await loadWeb(c, deps);
    needStaff(web);
    const asked = c.req.query('provider');
    const provider = PROVIDERS.find((p) => p === asked);
    // After a replay: the new record's outcome, read back by id (never text from the URL).
    const replayedId = Number(c.req.query('replayed'));
    const replayed =
      Number.isSafeInteger(replayedId) && replayedId > 0 ? await findNotification(deps.db, replayedId) : undefined;
    const notice = replayed
      ? {
          text: web.t((m) => m.notificationsPage.replayed, {
            id: replayed.id,
            outcome: `${replayed.outcome}${replayed.reason ? ` (${replayed.reason})` : ''}`,
          }),
          ok: replayed.outcome !== 'rejected',
        }
      : undefined;
    return c.html(await page(web, provider, { notice }));
  });

  // One notification with its whole stored body: the only place a body is read in full.
  app.get('/console/notifications/:id', async (c) => {
    const web = await loadWeb(c, deps);
    needStaff(web);
    const id = Number(c.req.param('id'));
    const n = Number.isSafeInteger(id) && id > 0 ? await findNotificationBody(deps.db, id) : undefined;
    if (!n || n.outcome !== 'rejected')
      throw new AppError('not_found', `no rejected notification ${c.req.param('id')}`);
    const alerts = await currentAlerts(deps.db, deps.clock);
    const item = { ...n, preview: '', later_outcome: null, full: bodyOf(n) };
    return c.html(ConsoleNotificationsPage({ web, alerts, provider: n.provider, rejected: [item] }));
  });

  app.post('/console/notifications/:id/replay', async (c) => {
    const web = await loadWeb(c, deps);
    web.checkCsrf(await c.req.parseBody());
    needStaff(web);
    const id = Number(c.req.param('id'));
    if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('not_found', `no notification ${c.req.param('id')}`);
    try {
      const result = await deps.replay(id);
      return c.redirect(web.href(`/console/notifications?replayed=${result.id}`), 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return c.html(await page(web, undefined, { error: `#${id}: ${errorText(web, err)}` }), err.status as 409);
    }
  });

  return app;
}
